/**
 * Our kubeconfig loading next to real kubectl 1.32: the same files, environment and
 * flags must select the same context, cluster, user and namespace.
 */
import { join } from "node:path";
import { assertEquals } from "../../support/assert.ts";
import {
  makeTestPki,
  sendJson,
  startFakeApiServer,
  type TestPki,
} from "../../support/fake_apiserver.ts";
import { kubeTools } from "../../support/kube_tools.ts";
import type { KubectlConnectionFlags } from "../../../lib/cli/kubectl_flags.ts";
import { type Kubeconfig, loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import { KubeconfigFile } from "../../../lib/kubeconfig/kubeconfig_file.ts";

function config(tag: string, current: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- {name: own-${tag}, cluster: {server: "https://${tag}.example:1"}}`,
    `- {name: shared, cluster: {server: "https://shared-${tag}.example:1"}}`,
    "contexts:",
    `- {name: own-${tag}, context: {cluster: own-${tag}, user: shared, namespace: ns-${tag}}}`,
    "- {name: shared, context: {cluster: shared, user: shared}}",
    `current-context: "${current}"`,
    "users:",
    `- {name: shared, user: {token: token-${tag}}}`,
    "",
  ].join("\n");
}

interface Selected {
  context: string;
  server: string;
  token: string;
  namespace: string;
}

async function kubectlView(
  kubectl: string,
  env: Record<string, string>,
  args: string[],
): Promise<Selected | string> {
  const r = await new Deno.Command(kubectl, {
    args: ["config", "view", "--minify", "--raw", "-o", "json", ...args],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) return new TextDecoder().decode(r.stderr).trim();
  const j = JSON.parse(new TextDecoder().decode(r.stdout));
  return {
    context: j["current-context"],
    server: j.clusters[0].cluster.server,
    token: j.users[0].user.token,
    namespace: j.contexts[0].context.namespace ?? "default",
  };
}

async function ours(env: Record<string, string>, flags: KubectlConnectionFlags): Promise<Selected> {
  const kc = await loadKubeconfig(flags, {
    sources: { env: env.KUBECONFIG, home: env.HOME },
  });
  const rc = await kc.restConfig();
  return {
    context: rc.contextName,
    server: rc.server,
    token: rc.token ?? "",
    namespace: rc.namespace,
  };
}

Deno.test("kubeconfig precedence and merging agree with kubectl config view --minify", async () => {
  const { kubectl } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "kc-compat-" });
  try {
    const home = join(dir, "home");
    await Deno.mkdir(join(home, ".kube"), { recursive: true });
    const [a, b, missing] = ["a.yaml", "b.yaml", "missing.yaml"].map((f) => join(dir, f));
    await Deno.writeTextFile(a, config("a", ""));
    await Deno.writeTextFile(b, config("b", "shared"));
    await Deno.writeTextFile(join(home, ".kube", "config"), config("home", "own-home"));
    const cases: Array<[Record<string, string>, KubectlConnectionFlags]> = [
      [{}, {}],
      [{ KUBECONFIG: `${a}:${b}` }, {}],
      [{ KUBECONFIG: `${b}:${a}` }, {}],
      [{ KUBECONFIG: `${missing}:${a}:${b}` }, { context: "own-b" }],
      [{ KUBECONFIG: `${a}:${b}:${a}` }, { context: "own-a" }],
      [{ KUBECONFIG: `${b}:${a}` }, { kubeconfig: join(home, ".kube", "config") }],
      [{ KUBECONFIG: `${a}:${b}` }, { kubeconfig: a, context: "own-a" }],
    ];
    for (const [env, flags] of cases) {
      const fullEnv = { HOME: home, ...env };
      const args: string[] = [];
      if (flags.kubeconfig) args.push("--kubeconfig", flags.kubeconfig);
      if (flags.context) args.push("--context", flags.context);
      const expected = await kubectlView(kubectl, fullEnv, args);
      assertEquals(await ours(fullEnv, flags), expected, `${JSON.stringify(env)} ${args}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** What a file holds, independent of formatting. */
async function summary(path: string): Promise<unknown> {
  let file: KubeconfigFile;
  try {
    file = await KubeconfigFile.read(path, { allowMissing: false });
  } catch {
    return "absent";
  }
  return {
    current: file.currentContext,
    // kubectl writes entries sorted by name; order is not what is compared here.
    clusters: file.names("clusters").sort().map((n) => [n, file.entry("clusters", n)?.server]),
    contexts: file.names("contexts").sort(),
  };
}

Deno.test("writes land in the same files as kubectl config set-cluster / use-context", async () => {
  const { kubectl } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "kc-compat-" });
  try {
    for (const side of ["kubectl", "ours"]) {
      await Deno.mkdir(join(dir, side));
      await Deno.writeTextFile(join(dir, side, "a.yaml"), config("a", ""));
      await Deno.writeTextFile(join(dir, side, "b.yaml"), config("b", "shared"));
    }
    const list = (side: string) =>
      ["missing.yaml", "a.yaml", "b.yaml"].map((f) => join(dir, side, f)).join(":");
    const steps: Array<[string[], (kc: Kubeconfig) => void]> = [
      [["set-cluster", "fresh", "--server=https://fresh:1"], (kc) => {
        kc.set("clusters", "fresh", { server: "https://fresh:1" });
      }],
      [["set-cluster", "own-b", "--server=https://moved:1"], (kc) => {
        kc.set("clusters", "own-b", { server: "https://moved:1" });
      }],
      [["use-context", "own-b"], (kc) => kc.setCurrentContext("own-b")],
    ];
    for (const [args, edit] of steps) {
      const r = await new Deno.Command(kubectl, {
        args: ["config", ...args],
        env: { HOME: dir, KUBECONFIG: list("kubectl") },
        clearEnv: true,
        stdout: "null",
        stderr: "piped",
      }).output();
      assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
      const kc = await loadKubeconfig({}, { sources: { env: list("ours"), home: dir } });
      edit(kc);
      await kc.save();
      for (const f of ["missing.yaml", "a.yaml", "b.yaml"]) {
        assertEquals(
          await summary(join(dir, "ours", f)),
          await summary(join(dir, "kubectl", f)),
          `${args.join(" ")}: ${f}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("connection-flag overrides reach the server as they do with kubectl", async () => {
  const { kubectl } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "kc-compat-" });
  const pki: TestPki = await makeTestPki(dir);
  const server = await startFakeApiServer(pki, (_req, res) => {
    sendJson(res, 200, { kind: "APIVersions", versions: ["v1"] });
  });
  try {
    const path = join(dir, "config");
    // The kubeconfig points elsewhere; the flags redirect to the fake server.
    await Deno.writeTextFile(
      path,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- {name: far, cluster: {server: 'https://192.0.2.1:1', tls-server-name: nope}}",
        "contexts:",
        "- {name: main, context: {cluster: far, user: alice}}",
        "current-context: main",
        "users:",
        "- {name: alice, user: {token: alice-token}}",
        "- {name: bob, user: {token: bob-token}}",
        "",
      ].join("\n"),
    );
    const variants: Array<[string[], KubectlConnectionFlags]> = [
      [["--user", "bob"], { user: "bob" }],
      [["--token", "flag-token"], { token: "flag-token" }],
    ];
    for (const [extra, flags] of variants) {
      const all: KubectlConnectionFlags = {
        kubeconfig: path,
        server: server.url,
        certificateAuthority: pki.caFile,
        ...flags,
      };
      const args = ["--kubeconfig", path, "-s", server.url, "--certificate-authority", pki.caFile];
      const before = server.requests.length;
      const r = await new Deno.Command(kubectl, {
        args: [...args, ...extra, "get", "--raw", "/api"],
        env: { HOME: dir },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
      const seen = server.requests[before].headers.authorization;
      const rc = await (await loadKubeconfig(all, { sources: {} })).restConfig();
      assertEquals(`Bearer ${rc.token}`, seen, extra.join(" "));
      assertEquals(rc.server, server.url);
      assertEquals(rc.tlsServerName, undefined, "-s drops tls-server-name, as kubectl does");
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
