import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import {
  makeTestPki,
  sendJson,
  startFakeApiServer,
  type TestPki,
} from "../support/fake_apiserver.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { pathExists } from "../support/path_exists.ts";

const OLD_CA = btoa("-----BEGIN CERTIFICATE-----\nold\n-----END CERTIFICATE-----\n");

/** The layout of the admin.kubeconfig that `kcp start` (v0.11) writes. */
function kcpAdminKubeconfig(host: string): string {
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${OLD_CA}`,
    `    server: https://${host}:6443`,
    "  name: base",
    "- cluster:",
    `    certificate-authority-data: ${OLD_CA}`,
    `    server: https://${host}:6443/clusters/root`,
    "  name: root",
    "contexts:",
    "- context:",
    "    cluster: base",
    "    user: kcp-admin",
    "  name: base",
    "- context:",
    "    cluster: root",
    "    user: kcp-admin",
    "  name: root",
    "- context:",
    "    cluster: base",
    "    user: shard-admin",
    "  name: system:admin",
    "current-context: root",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: kcp-admin",
    "  user:",
    "    token: 2c5f9a2e-admin-token",
    "- name: shard-admin",
    "  user:",
    "    client-certificate-data: Y2VydA==",
    "    client-key-data: a2V5",
    "",
  ].join("\n");
}

async function withDir(fn: (dir: string, pki: TestPki) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "switch-domain-" });
  try {
    await fn(dir, await makeTestPki(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("switch-domain reproduces the seed's example: only the server and CA lines change", async () => {
  await withDir(async (dir, pki) => {
    const input = join(dir, "admin.kubeconfig");
    const original = kcpAdminKubeconfig("192.168.10.11");
    await Deno.writeTextFile(input, original);
    const r = await runCli([input, "test.yaml", "root", "yep.yep", "6443", pki.caFile], {
      as: "switch-domain",
      cwd: dir,
    });
    assertEquals(r, { code: 0, stdout: "", stderr: "" });
    assertEquals(await Deno.readTextFile(input), original, "the input is never written");
    const output = join(dir, "test.yaml");
    assertEquals((await Deno.stat(output)).mode! & 0o777, 0o600);
    const before = original.split("\n");
    const after = (await Deno.readTextFile(output)).split("\n");
    assertEquals(after.length, before.length);
    const changed = before.flatMap((line, i) => line === after[i] ? [] : [i + 1]);
    assertEquals(changed, [4, 5, 8, 9], "the seed's diff shows 4,5c4,5 and 8,9c8,9");
    const caData = btoa(pki.caPem);
    assertEquals(after[3], `    certificate-authority-data: ${caData}`);
    assertEquals(after[4], "    server: https://yep.yep:6443");
    assertEquals(after[7], `    certificate-authority-data: ${caData}`);
    assertEquals(after[8], "    server: https://yep.yep:6443/clusters/root");
  });
});

Deno.test("switch-domain matches the protocol://host:port prefix exactly", async () => {
  await withDir(async (dir, pki) => {
    const input = join(dir, "in.yaml");
    const clusters: Array<[string, string]> = [
      ["same-port", "https://10.0.0.1:6443/clusters/root:espw"],
      ["longer-port", "https://10.0.0.1:64430"],
      ["other-host", "https://10.0.0.11:6443"],
      ["other-scheme", "http://10.0.0.1:6443"],
      ["same-upper", "HTTPS://10.0.0.1:6443?x=1"],
      ["no-server", ""],
    ];
    const lines = ["apiVersion: v1", "kind: Config", "clusters:"];
    for (const [name, server] of clusters) {
      lines.push("- cluster:");
      if (server !== "") lines.push(`    server: ${server}`);
      else lines.push("    extensions: []");
      lines.push(`  name: ${name}`);
    }
    lines.push(
      "contexts:",
      "- context: {cluster: same-port, user: u}",
      "  name: ctx",
      "users: []",
      "",
    );
    await Deno.writeTextFile(input, lines.join("\n"));
    const r = await runCli([input, "out.yaml", "ctx", "kcp.example.com", "443", pki.caFile], {
      as: "switch-domain",
      cwd: dir,
    });
    assertEquals(r.stderr, "");
    assertEquals(r.code, 0);
    const text = await Deno.readTextFile(join(dir, "out.yaml"));
    assertStringIncludes(text, "server: https://kcp.example.com:443/clusters/root:espw\n");
    assertStringIncludes(text, "server: HTTPS://kcp.example.com:443?x=1\n");
    assertStringIncludes(text, "server: https://10.0.0.1:64430\n");
    assertStringIncludes(text, "server: https://10.0.0.11:6443\n");
    assertStringIncludes(text, "server: http://10.0.0.1:6443\n");
    assertEquals(text.split("certificate-authority-data:").length - 1, 2);
  });
});

Deno.test("switch-domain: a server without a port means 443 for https", async () => {
  await withDir(async (dir, pki) => {
    const input = join(dir, "in.yaml");
    await Deno.writeTextFile(
      input,
      [
        "clusters:",
        "- name: a",
        "  cluster:",
        "    server: https://kcp.internal/clusters/root",
        "- name: b",
        "  cluster:",
        "    server: https://kcp.internal:443",
        "- name: c",
        "  cluster:",
        "    server: https://kcp.internal:6443",
        "contexts:",
        "- name: a",
        "  context:",
        "    cluster: a",
        "",
      ].join("\n"),
    );
    const r = await runCli([input, "out.yaml", "a", "kcp.example", "8443", pki.caFile], {
      as: "switch-domain",
      cwd: dir,
    });
    assertEquals(r.code, 0, r.stderr);
    const text = await Deno.readTextFile(join(dir, "out.yaml"));
    assertStringIncludes(text, "server: https://kcp.example:8443/clusters/root\n");
    assertStringIncludes(text, "server: https://kcp.example:8443\n");
    assertStringIncludes(text, "server: https://kcp.internal:6443\n");
  });
});

Deno.test("switch-domain output works with kubectl, replacing certificate-authority and insecure", async () => {
  await withDir(async (dir, pki) => {
    const server = await startFakeApiServer(pki, (_req, res) => {
      sendJson(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    });
    try {
      const input = join(dir, "in.yaml");
      // The original names the server by an address its certificate does not cover and
      // trusts the wrong CA through a file reference and through insecure mode.
      const original = [
        "# kept as is",
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        `    certificate-authority: ${pki.otherCaFile}`,
        `    server: https://127.0.0.2:${server.port}/clusters/root`,
        "    extensions:",
        "    - name: client.example.io/info",
        "      extension: {keep: [1, 2]}",
        "  name: root",
        "- cluster:",
        "    insecure-skip-tls-verify: true",
        `    server: https://127.0.0.2:${server.port}`,
        "  name: base",
        "contexts:",
        "- context: {cluster: root, user: admin}",
        "  name: root",
        "- context: {cluster: base, user: admin}",
        "  name: base",
        "current-context: base",
        "kind: Config",
        "users:",
        "- name: admin",
        "  user: {token: abc}",
        "",
      ].join("\n");
      await Deno.writeTextFile(input, original);
      const out = join(dir, "out.yaml");
      const r = await runCli([input, out, "root", "localhost", String(server.port), pki.caFile], {
        as: "switch-domain",
      });
      assertEquals(r.code, 0, r.stderr);
      const text = await Deno.readTextFile(out);
      assertTrue(!text.includes("certificate-authority:"), text);
      assertTrue(!text.includes("insecure-skip-tls-verify"), text);
      assertStringIncludes(text, "# kept as is\n");
      assertStringIncludes(text, "      extension: {keep: [1, 2]}\n");
      assertStringIncludes(text, "- context: {cluster: root, user: admin}\n");
      const { kubectl } = await kubeTools();
      for (const context of ["root", "base"]) {
        const k = await new Deno.Command(kubectl, {
          args: ["--kubeconfig", out, "--context", context, "get", "--raw", "/api"],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const stderr = new TextDecoder().decode(k.stderr);
        assertEquals(k.code, 0, stderr);
        assertEquals(JSON.parse(new TextDecoder().decode(k.stdout)).kind, "APIVersions");
      }
      assertEquals(server.requests.length, 2);
      assertStringIncludes(text, `server: https://localhost:${server.port}/clusters/root\n`);
    } finally {
      await server.close();
    }
  });
});

Deno.test("switch-domain: usage, missing context and bad inputs leave no output file", async () => {
  await withDir(async (dir, pki) => {
    const input = join(dir, "admin.kubeconfig");
    await Deno.writeTextFile(input, kcpAdminKubeconfig("10.1.1.1"));
    await Deno.writeTextFile(join(dir, "plain-file"), "x");
    await Deno.writeTextFile(join(dir, "not-a-cert"), "hello\n");
    await Deno.mkdir(join(dir, "a-dir"));
    const run = (args: string[]) => runCli(args, { as: "switch-domain", cwd: dir });
    const ok = [input, "out.yaml", "root", "yep.yep", "6443", pki.caFile];

    const usage = await run(ok.slice(0, 5));
    assertEquals(usage.code, 1);
    assertEquals(
      usage.stderr,
      "Usage: switch-domain inpath outpath context domain port cacert_file\n",
    );
    const help = await run(["--help"]);
    assertEquals(help.code, 0);
    assertStringIncludes(help.stdout, "Usage: switch-domain inpath outpath");

    const noCtx = await run([input, "out.yaml", "nope", "yep.yep", "6443", pki.caFile]);
    assertEquals(noCtx.code, 10);
    assertEquals(noCtx.stderr, "switch-domain: there is no context named 'nope'\n");

    const cases: Array<[string[], RegExp]> = [
      [["missing.kubeconfig", ...ok.slice(1)], /cannot read kubeconfig file .*no such file/],
      [[...ok.slice(0, 5), "missing.crt"], /cannot read CA certificate file .*no such file/],
      [[...ok.slice(0, 5), "not-a-cert"], /holds no PEM certificate/],
      [[input, "no-dir/out.yaml", ...ok.slice(2)], /directory .*no such file or directory/],
      [[input, "plain-file/out.yaml", ...ok.slice(2)], /is not a directory/],
      [[input, "a-dir", ...ok.slice(2)], /"a-dir": it is a directory/],
      [[...ok.slice(0, 4), "0", pki.caFile], /invalid port "0"/],
      [[...ok.slice(0, 4), "65536", pki.caFile], /invalid port "65536"/],
      [[...ok.slice(0, 4), "64k", pki.caFile], /invalid port "64k"/],
      [[...ok.slice(0, 3), "https://yep.yep", ...ok.slice(4)], /invalid domain/],
      [[...ok.slice(0, 3), "yep.yep:6443", ...ok.slice(4)], /invalid domain/],
      [[input, input, ...ok.slice(2)], /is the input file/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      assertEquals(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      assertTrue(re.test(r.stderr), `${args.join(" ")}: ${r.stderr}`);
      assertTrue(r.stderr.startsWith("switch-domain: "), r.stderr);
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    assertEquals(await pathExists(join(dir, "out.yaml")), false);
    assertEquals(await Deno.readTextFile(input), kcpAdminKubeconfig("10.1.1.1"));
    const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      n.startsWith(".")
    );
    assertEquals(leftovers, []);
  });
});

Deno.test("kubestellar switch-domain and kubestellar wait-and-switch-domain reach the same commands", async () => {
  const a = await runCli(["switch-domain", "only-one"]);
  assertEquals(a, {
    code: 1,
    stdout: "",
    stderr: "Usage: switch-domain inpath outpath context domain port cacert_file\n",
  });
  const b = await runCli(["wait-and-switch-domain", "--help"]);
  assertEquals(b.code, 0);
  assertStringIncludes(b.stdout, "Usage: wait-and-switch-domain [--timeout DURATION] inpath");
});
