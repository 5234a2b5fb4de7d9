import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import {
  type FakeApiServer,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
  type TestPki,
} from "../support/fake_apiserver.ts";
import { pathExists } from "../support/path_exists.ts";

/** A kcp-like admin kubeconfig for `server` (clusters base and root, contexts base and root). */
function adminKubeconfig(server: FakeApiServer, pki: TestPki): string {
  const ca = btoa(pki.caPem);
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${ca}`,
    `    server: ${server.url}`,
    "  name: base",
    "- cluster:",
    `    certificate-authority-data: ${ca}`,
    `    server: ${server.url}/clusters/root`,
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
    "current-context: base",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: kcp-admin",
    "  user:",
    "    token: admin-token",
    "",
  ].join("\n");
}

async function withServer(
  ready: (n: number) => boolean,
  fn: (dir: string, server: FakeApiServer, pki: TestPki) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wait-switch-" });
  const pki = await makeTestPki(dir);
  let n = 0;
  const server = await startFakeApiServer(pki, (_req, res) => {
    if (ready(++n)) sendJson(res, 200, { kind: "NamespaceList", metadata: {}, items: [] });
    else sendStatus(res, 503, "ServiceUnavailable", "the server is starting");
  });
  try {
    await fn(dir, server, pki);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("wait-and-switch-domain waits for a server that becomes ready, then switches", async () => {
  await withServer((n) => n > 1, async (dir, server, pki) => {
    const input = join(dir, "admin.kubeconfig");
    const original = adminKubeconfig(server, pki);
    // The kubeconfig appears only after the command started, as when kcp is starting.
    const child = runCli(
      ["--timeout", "60s", input, "out.yaml", "root", "yep.yep", "6443", pki.caFile],
      { as: "wait-and-switch-domain", cwd: dir },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Deno.writeTextFile(input, original);
    const r = await child;
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "");
    assertEquals(await Deno.readTextFile(input), original);
    const out = join(dir, "out.yaml");
    assertEquals((await Deno.stat(out)).mode! & 0o777, 0o600);
    const lines = (await Deno.readTextFile(out)).split("\n");
    const before = original.split("\n");
    // The CA data stays the same: the input already trusted the same CA.
    assertEquals(before.flatMap((l, i) => l === lines[i] ? [] : [i + 1]), [5, 9]);
    assertEquals(lines[3], `    certificate-authority-data: ${btoa(pki.caPem)}`);
    assertEquals(lines[4], "    server: https://yep.yep:6443");
    assertEquals(lines[8], "    server: https://yep.yep:6443/clusters/root");
    // It polled the named context's cluster with that context's credentials.
    assertEquals(server.requests.length, 2);
    for (const req of server.requests) {
      assertEquals(req.url, "/clusters/root/api/v1/namespaces?limit=1");
      assertEquals(req.headers.authorization, "Bearer admin-token");
    }
  });
});

Deno.test("wait-and-switch-domain gives up at the timeout with one line and no output", async () => {
  await withServer(() => false, async (dir, server, pki) => {
    const input = join(dir, "admin.kubeconfig");
    await Deno.writeTextFile(input, adminKubeconfig(server, pki));
    const r = await runCli(
      [input, "out.yaml", "root", "yep.yep", "6443", pki.caFile, "--timeout=1s"],
      { as: "wait-and-switch-domain", cwd: dir },
    );
    assertEquals(r.code, 1);
    const last = r.stderr.trimEnd().split("\n").at(-1)!;
    assertMatch(
      last,
      new RegExp(
        `^wait-and-switch-domain: the server at ${server.url}/clusters/root did not answer ` +
          `within 1s \\(\\d+ attempts; last error: the server is starting\\)$`,
      ),
    );
    for (const line of r.stderr.trimEnd().split("\n").slice(0, -1)) {
      assertMatch(line, /^Waiting for the server at https:\/\/127\.0\.0\.1:\d+\/clusters\/root/);
    }
    // How many attempts fit in 1 s depends on the machine's load (the back-off itself is
    // pinned with a fake clock in tests/lib/kube/wait_for_server_test.ts).
    assertTrue(server.requests.length >= 1);
    assertEquals(await pathExists(join(dir, "out.yaml")), false);
  });
});

Deno.test("wait-and-switch-domain: $KUBESTELLAR_WAIT_TIMEOUT bounds the wait for a missing kubeconfig", async () => {
  await withServer(() => true, async (dir, _server, pki) => {
    const r = await runCli(
      ["never.kubeconfig", "out.yaml", "root", "yep.yep", "6443", pki.caFile],
      { as: "wait-and-switch-domain", cwd: dir, env: { KUBESTELLAR_WAIT_TIMEOUT: "500ms" } },
    );
    assertEquals(r.code, 1);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertStringIncludes(
      r.stderr,
      `wait-and-switch-domain: the server of context 'root' in "never.kubeconfig" did not ` +
        "answer within 0.5s",
    );
    assertStringIncludes(r.stderr, 'cannot read kubeconfig file "never.kubeconfig"');
    assertEquals(await pathExists(join(dir, "out.yaml")), false);
  });
});

Deno.test("wait-and-switch-domain checks its arguments before waiting", async () => {
  await withServer(() => true, async (dir, server, pki) => {
    const input = join(dir, "admin.kubeconfig");
    await Deno.writeTextFile(input, adminKubeconfig(server, pki));
    const run = (args: string[], env?: Record<string, string>) =>
      runCli(args, { as: "wait-and-switch-domain", cwd: dir, env });
    const ok = [input, "out.yaml", "root", "yep.yep", "6443", pki.caFile];
    const usage =
      "Usage: wait-and-switch-domain [--timeout DURATION] inpath outpath context domain port cacert_file";

    const few = await run(ok.slice(1));
    assertEquals(few, { code: 1, stdout: "", stderr: usage + "\n" });
    const help = await run(["-h"]);
    assertEquals(help, { code: 0, stdout: usage + "\n", stderr: "" });

    const cases: Array<[string[], Record<string, string> | undefined, RegExp]> = [
      [[...ok, "--timeout", "soon"], undefined, /invalid --timeout "soon": give a positive/],
      [[...ok, "--timeout"], undefined, /missing --timeout value/],
      [ok, { KUBESTELLAR_WAIT_TIMEOUT: "0s" }, /invalid \$KUBESTELLAR_WAIT_TIMEOUT "0s"/],
      [[...ok, "--verbose"], undefined, /unknown flag "--verbose"/],
      [[...ok.slice(0, 4), "99999", pki.caFile], undefined, /invalid port "99999"/],
      [[...ok.slice(0, 5), "nope.crt"], undefined, /cannot read CA certificate file/],
      [[input, "missing/out.yaml", ...ok.slice(2)], undefined, /no such file or directory/],
    ];
    for (const [args, env, re] of cases) {
      const r = await run(args, env);
      assertEquals(r.code, 1, r.stderr);
      assertMatch(r.stderr.split("\n")[0], /^wait-and-switch-domain: /);
      assertMatch(r.stderr, re);
    }
    assertEquals(server.requests.length, 0, "nothing was polled");

    assertEquals(await pathExists(join(dir, "out.yaml")), false);
  });
});

Deno.test("wait-and-switch-domain fails at once on a kubeconfig that exists and cannot be used", async () => {
  await withServer(() => true, async (dir, server, pki) => {
    const input = join(dir, "admin.kubeconfig");
    const run = (args: string[]) =>
      runCli(args, {
        as: "wait-and-switch-domain",
        cwd: dir,
        // Were it to wait, it would wait this long and end with "did not answer".
        env: { KUBESTELLAR_WAIT_TIMEOUT: "10m" },
      });
    const rest = ["out.yaml", "root", "yep.yep", "6443", pki.caFile];
    const cases: Array<[string, () => Promise<void>, string[], RegExp]> = [
      [
        "no such context",
        () => Deno.writeTextFile(input, adminKubeconfig(server, pki)),
        [input, "out.yaml", "nope", ...rest.slice(2)],
        /^wait-and-switch-domain: context "nope" does not exist in kubeconfig "[^"]+admin.kubeconfig"/,
      ],
      [
        "not YAML",
        () => Deno.writeTextFile(input, "clusters: [\n  - {name: a\n: :\n"),
        [input, ...rest],
        /^wait-and-switch-domain: kubeconfig file "[^"]+" is not valid YAML: /,
      ],
      [
        "unreadable (a directory)",
        () => Deno.mkdir(join(dir, "adir")),
        [join(dir, "adir"), ...rest],
        /^wait-and-switch-domain: cannot read kubeconfig file "[^"]+adir": /,
      ],
    ];
    for (const [what, prepare, args, re] of cases) {
      await prepare();
      const r = await run(args);
      assertEquals(r.code, 1, `${what}: ${r.stderr}`);
      assertEquals(r.stderr.split("\n").length, 2, `${what}: one line: ${r.stderr}`);
      assertMatch(r.stderr, re);
    }
    assertEquals(server.requests.length, 0, "nothing was polled");
    assertEquals(await pathExists(join(dir, "out.yaml")), false);
  });
});
