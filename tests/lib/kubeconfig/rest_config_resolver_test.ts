import { join } from "node:path";
import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import { connectionFlags } from "../../../lib/cli/kubectl_flags.ts";
import { scanPluginArgs } from "../../../lib/cli/plugin_args.ts";
import { UsageError } from "../../../lib/cli/errors.ts";
import type { KubectlConnectionFlags } from "../../../lib/cli/kubectl_flags.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";

const CA = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n";
const FLAG_CA = "-----BEGIN CERTIFICATE-----\nflag-ca\n-----END CERTIFICATE-----\n";

const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "- name: main",
  "  cluster:",
  "    server: https://main.example:6443/clusters/root",
  `    certificate-authority-data: ${btoa(CA)}`,
  "    tls-server-name: kcp.internal",
  "- name: filed",
  "  cluster:",
  "    server: https://filed.example:6443",
  "    certificate-authority: certs/ca.crt",
  "- name: insecure",
  "  cluster:",
  "    server: https://insecure.example",
  "    insecure-skip-tls-verify: true",
  "- name: both",
  "  cluster:",
  "    server: https://both.example",
  "    insecure-skip-tls-verify: true",
  `    certificate-authority-data: ${btoa(CA)}`,
  "- name: noserver",
  "  cluster: {}",
  "- name: badurl",
  "  cluster: {server: 'not a url'}",
  "- name: twoca",
  "  cluster:",
  "    server: https://twoca.example",
  "    certificate-authority: certs/ca.crt",
  `    certificate-authority-data: ${btoa(CA)}`,
  "contexts:",
  "- name: main",
  "  context: {cluster: main, user: token, namespace: web}",
  "- name: filed",
  "  context: {cluster: filed, user: certs}",
  "- name: insecure",
  "  context: {cluster: insecure, user: tokenfile}",
  "- name: both",
  "  context: {cluster: both, user: token}",
  "- name: ghost",
  "  context: {cluster: nowhere, user: token}",
  "- name: nouser",
  "  context: {cluster: main, user: nobody}",
  "- name: noserver",
  "  context: {cluster: noserver}",
  "- name: badurl",
  "  context: {cluster: badurl}",
  "- name: halfcert",
  "  context: {cluster: main, user: halfcert}",
  "- name: twoca",
  "  context: {cluster: twoca, user: token}",
  "- name: twocert",
  "  context: {cluster: main, user: twocert}",
  "current-context: main",
  "users:",
  "- name: token",
  "  user: {token: t0ken}",
  "- name: tokenfile",
  "  user: {tokenFile: secrets/token}",
  "- name: certs",
  "  user:",
  "    client-certificate: certs/client.crt",
  `    client-key-data: ${btoa("client-key-pem")}`,
  "- name: basic",
  "  user: {username: u, password: p}",
  "- name: halfcert",
  "  user: {client-certificate-data: Y2VydA==}",
  "- name: twocert",
  "  user:",
  "    client-certificate: certs/client.crt",
  "    client-certificate-data: Y2VydA==",
  "    client-key-data: a2V5",
  "",
].join("\n");

async function withKubeconfig(fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kc-resolve-" });
  try {
    await Deno.mkdir(join(dir, "conf", "certs"), { recursive: true });
    await Deno.mkdir(join(dir, "conf", "secrets"));
    await Deno.writeTextFile(join(dir, "conf", "certs", "ca.crt"), CA);
    await Deno.writeTextFile(join(dir, "conf", "certs", "client.crt"), "client-cert-pem");
    await Deno.writeTextFile(join(dir, "conf", "secrets", "token"), "from-file\n");
    await Deno.writeTextFile(join(dir, "flag-ca.crt"), FLAG_CA);
    const path = join(dir, "conf", "config");
    await Deno.writeTextFile(path, KUBECONFIG);
    await fn(path, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function resolve(path: string, flags: KubectlConnectionFlags = {}): Promise<RestConfig> {
  const kc = await loadKubeconfig({ kubeconfig: path, ...flags }, { sources: {} });
  return await kc.restConfig();
}

Deno.test("the current context resolves to its cluster, user and namespace", async () => {
  await withKubeconfig(async (path) => {
    assertEquals(await resolve(path), {
      server: "https://main.example:6443/clusters/root",
      caData: CA,
      tlsServerName: "kcp.internal",
      token: "t0ken",
      namespace: "web",
      contextName: "main",
      clusterName: "main",
      userName: "token",
    });
  });
});

Deno.test("file references are relative to the kubeconfig; data fields are base64", async () => {
  await withKubeconfig(async (path) => {
    const filed = await resolve(path, { context: "filed" });
    assertEquals(filed.caData, CA);
    assertEquals(filed.certData, "client-cert-pem");
    assertEquals(filed.keyData, "client-key-pem");
    assertEquals(filed.namespace, "default");
    const insecure = await resolve(path, { context: "insecure" });
    assertEquals(insecure.token, "from-file");
    assertEquals(insecure.insecureSkipTlsVerify, true);
    assertEquals(insecure.caData, undefined);
  });
});

Deno.test("connection flags override the kubeconfig as in client-go", async () => {
  await withKubeconfig(async (path, dir) => {
    const over = await resolve(path, {
      cluster: "filed",
      user: "basic",
      namespace: "other",
      token: "flag-token",
      requestTimeout: "1m30s",
    });
    assertEquals(over.server, "https://filed.example:6443");
    assertEquals([over.clusterName, over.userName, over.namespace], ["filed", "basic", "other"]);
    assertEquals([over.token, over.username, over.password], ["flag-token", "u", "p"]);
    assertEquals(over.timeoutMs, 90_000);
    // -s drops the kubeconfig's tls-server-name unless --tls-server-name is also given.
    const server = await resolve(path, { server: "https://10.0.0.1:6443" });
    assertEquals([server.server, server.tlsServerName], ["https://10.0.0.1:6443", undefined]);
    const named = await resolve(path, { server: "https://10.0.0.1", tlsServerName: "kcp.x" });
    assertEquals(named.tlsServerName, "kcp.x");
    // --certificate-authority / --insecure-skip-tls-verify replace all CA settings.
    const ca = await resolve(path, {
      context: "insecure",
      certificateAuthority: join(dir, "flag-ca.crt"),
    });
    assertEquals([ca.caData, ca.insecureSkipTlsVerify], [FLAG_CA, undefined]);
    const insecure = await resolve(path, { insecureSkipTlsVerify: true });
    assertEquals([insecure.caData, insecure.insecureSkipTlsVerify], [undefined, true]);
    const certs = await resolve(path, {
      clientCertificate: join(dir, "conf", "certs", "client.crt"),
      clientKey: join(dir, "conf", "certs", "ca.crt"),
    });
    assertEquals([certs.certData, certs.keyData], ["client-cert-pem", CA]);
    assertEquals((await resolve(path, { requestTimeout: "0" })).timeoutMs, undefined);
    assertEquals((await resolve(path, { requestTimeout: "10" })).timeoutMs, 10_000);
  });
});

Deno.test("--server alone needs no context", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kc-resolve-" });
  try {
    const empty = join(dir, "empty");
    await Deno.writeTextFile(empty, "");
    const rc = await resolve(empty, { server: "https://s:1", token: "t" });
    assertEquals([rc.server, rc.token, rc.contextName, rc.namespace], [
      "https://s:1",
      "t",
      "",
      "default",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("broken connections are one clear UserError each", async () => {
  await withKubeconfig(async (path) => {
    const cases: Array<[KubectlConnectionFlags, RegExp]> = [
      [{ context: "ghost" }, /^cluster "nowhere" \(of context "ghost"\) does not exist/],
      [{ context: "nouser" }, /^user "nobody" \(of context "nouser"\) does not exist/],
      [{ context: "noserver" }, /^cluster "noserver" has no server URL/],
      [{ context: "badurl" }, /^server URL "not a url" of cluster "badurl" is not a valid URL/],
      [{ context: "both" }, /sets both insecure-skip-tls-verify and a certificate authority/],
      [{ context: "halfcert" }, /has a client certificate without a key/],
      [{ requestTimeout: "soon" }, /^invalid --request-timeout "soon"/],
      [{ context: "twoca" }, /^"twoca" in .* sets both certificate-authority-data and cert/],
      [{ context: "twocert" }, /^"twocert" in .* sets both client-certificate-data and client-c/],
      [{ certificateAuthority: "/no/such/ca.crt" }, /^cannot read certificate authority/],
    ];
    for (const [flags, re] of cases) await assertRejects(() => resolve(path, flags), re);
  });
});

Deno.test("kubectl flags are accepted anywhere on a plugin's line and feed the RestConfig", async () => {
  await withKubeconfig(async (path) => {
    const scan = scanPluginArgs(
      [
        "loc1",
        "--kubeconfig",
        path,
        "env=prod",
        "--insecure-skip-tls-verify",
        "extra=1",
        "-n",
        "team",
        "--server=https://flag.example:443",
        "--token",
        "tk",
        "--request-timeout=5s",
        "--user",
        "basic",
      ],
      { prog: "kubectl-kubestellar-ensure-location", usage: "Usage: x" },
    );
    assertEquals(scan.positionals, ["loc1", "env=prod", "extra=1"]);
    const flags = connectionFlags(scan.passThrough);
    assertEquals(flags, {
      kubeconfig: path,
      insecureSkipTlsVerify: true,
      namespace: "team",
      server: "https://flag.example:443",
      token: "tk",
      requestTimeout: "5s",
      user: "basic",
    });
    const rc = await resolve(path, flags);
    assertEquals(
      [rc.server, rc.namespace, rc.token, rc.insecureSkipTlsVerify, rc.timeoutMs, rc.username],
      ["https://flag.example:443", "team", "tk", true, 5000, "u"],
    );
  });
});

Deno.test("--context is rejected where the seed says so, in every spelling", () => {
  for (const args of [["--context", "x", "a"], ["a", "--context=x"], ["--contexts"]]) {
    let error: unknown;
    try {
      scanPluginArgs(args, { prog: "kubectl-kubestellar-ensure-wmw", usage: "Usage: u" });
    } catch (e) {
      error = e;
    }
    assertTrue(error instanceof UsageError);
    assertEquals(error.message, "kubectl-kubestellar-ensure-wmw: --context flag not supported");
    assertEquals(error.exitCode, 1);
  }
  const allowed = scanPluginArgs(["--context", "ctx", "pos"], {
    prog: "p",
    usage: "u",
    rejectContext: false,
  });
  assertEquals(allowed.positionals, ["pos"]);
  assertEquals(connectionFlags(allowed.passThrough).context, "ctx");
});
