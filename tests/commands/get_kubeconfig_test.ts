/**
 * `get-internal-kubeconfig` / `get-external-kubeconfig` against Secrets seeded in a
 * kube-mode kcp-lite hosting cluster: the right key written 0600, `-n` defaulting to
 * `kubestellar`, `-o` exactly once, waiting (bounded) for the Secret while the core's
 * Deployment exists, and clear errors for a missing Secret, key or bad data.
 *
 * @module
 */
import { join } from "node:path";
import { parseGetKubeconfigArgs } from "../../lib/deploy/get_kubeconfig_args.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { type ControlPlane, startKubeCluster } from "../support/control_plane.ts";

const INTERNAL = "apiVersion: v1\nkind: Config\nclusters:\n- name: root\n  cluster:\n" +
  "    server: https://kubestellar:6443/clusters/root\ncontexts: []\nusers: []\n";
const EXTERNAL = INTERNAL.replace("kubestellar:6443", "ks.example.com:1234");

Deno.test("get-*-kubeconfig arguments: -o once, -n default, errors", () => {
  const prog = "kubectl-kubestellar-get_external_kubeconfig";
  const r = parseGetKubeconfigArgs(prog, "external", ["-o", "x", "--kubeconfig", "k", "-X"]);
  assertEquals([r.output, r.flags.namespace, r.flags.kubeconfig, r.trace], [
    "x",
    "kubestellar",
    "k",
    true,
  ]);
  assertEquals(
    parseGetKubeconfigArgs(prog, "external", ["-n", "other", "-o", "x"]).flags.namespace,
    "other",
  );
  assertEquals(
    parseGetKubeconfigArgs(prog, "external", ["--context", "c", "-o", "x"]).flags.context,
    "c",
  );
  assertEquals(parseGetKubeconfigArgs(prog, "external", ["-o", "a", "-o", "b", "-h"]).help, true);
  const cases: [string[], RegExp][] = [
    [[], /-o must be given exactly once \(it was given 0 times\)/],
    [["-o", "a", "-o", "b"], /-o must be given exactly once \(it was given 2 times\)/],
    [["-o", ""], /must be given a non-empty -o/],
    [["-o"], /missing output pathname value/],
    [["-o", "a", "pos"], /no positional arguments accepted/],
    [["-o", "a", "--nope"], /unknown flag "--nope"/],
  ];
  for (const [args, re] of cases) {
    let message = "";
    try {
      parseGetKubeconfigArgs(prog, "external", args);
    } catch (e) {
      message = (e as Error).message;
    }
    assertMatch(message, re, `${args.join(" ")} -> ${message}`);
    assertTrue(message.startsWith(`${prog}: `));
  }
});

interface Env {
  cp: ControlPlane;
  client: RestClient;
  dir: string;
  run(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

async function withCluster(fn: (e: Env) => Promise<void>): Promise<void> {
  const cp = await startKubeCluster();
  const dir = await Deno.makeTempDir({ prefix: "get-kubeconfig-test-" });
  const client = restClientFor(
    await (await loadKubeconfig({ kubeconfig: cp.kubeconfigPath })).restConfig(),
  );
  try {
    await fn({
      cp,
      client,
      dir,
      run: (args, env = {}) =>
        runCli(args, {
          as: "kubectl-kubestellar",
          cwd: dir,
          env: { KUBECONFIG: cp.kubeconfigPath, HOME: dir, ...env },
        }),
    });
  } finally {
    client.close();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

async function namespace(client: RestClient, name: string): Promise<void> {
  await client.create({ version: "v1", resource: "namespaces" }, { metadata: { name } });
}

async function secret(client: RestClient, ns: string, data: Record<string, string>) {
  await client.create({ version: "v1", resource: "secrets", namespace: ns }, {
    metadata: { name: "kubestellar" },
    data,
  });
}

const b64 = (s: string) => btoa(s);

Deno.test("get-internal/external-kubeconfig write the published kubeconfigs, 0600", async () => {
  await withCluster(async ({ client, dir, run }) => {
    await namespace(client, "kubestellar");
    await secret(client, "kubestellar", {
      "admin.kubeconfig": b64("admin"),
      "cluster.kubeconfig": b64(INTERNAL),
      "external.kubeconfig": b64(EXTERNAL),
    });
    const ext = await run(["get-external-kubeconfig", "-o", "ext.kubeconfig"]);
    assertEquals([ext.code, ext.stdout, ext.stderr], [0, "", ""]);
    assertEquals(await Deno.readTextFile(join(dir, "ext.kubeconfig")), EXTERNAL);
    assertEquals((await Deno.stat(join(dir, "ext.kubeconfig"))).mode! & 0o777, 0o600);
    const int = await run(["get-internal-kubeconfig", "-o", join(dir, "int.kubeconfig")]);
    assertEquals(int.code, 0, int.stderr);
    assertEquals(await Deno.readTextFile(join(dir, "int.kubeconfig")), INTERNAL);
    // An existing file is replaced, and ends up 0600 too.
    await Deno.writeTextFile(join(dir, "old"), "old", { mode: 0o644 });
    const again = await run(["get-internal-kubeconfig", "-o", "old"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(await Deno.readTextFile(join(dir, "old")), INTERNAL);
    assertEquals((await Deno.stat(join(dir, "old"))).mode! & 0o777, 0o600);
  });
});

Deno.test("get-external-kubeconfig -n reads another namespace", async () => {
  await withCluster(async ({ client, dir, run }) => {
    await namespace(client, "core2");
    await secret(client, "core2", { "external.kubeconfig": b64(EXTERNAL) });
    const r = await run(["get-external-kubeconfig", "-n", "core2", "-o", "e"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(await Deno.readTextFile(join(dir, "e")), EXTERNAL);
  });
});

Deno.test("get-*-kubeconfig: missing Secret, key, bad base64, bad directory", async () => {
  await withCluster(async ({ client, dir, run }) => {
    const none = await run(["get-external-kubeconfig", "-o", "x"]);
    assertEquals(none.code, 1);
    assertMatch(
      none.stderr,
      /^kubectl-kubestellar-get_external_kubeconfig: no KubeStellar core in namespace "kubestellar"/,
    );
    await namespace(client, "kubestellar");
    await secret(client, "kubestellar", {
      "admin.kubeconfig": b64("a"),
      // an API server refuses Secret data that is not base64; bytes that are not text pass
      "cluster.kubeconfig": "/w==",
      "external.kubeconfig": b64("just text, no clusters"),
    });
    const noKey = await run(["get-external-kubeconfig", "-n", "kubestellar", "-o", "x"], {});
    assertEquals(noKey.code, 1);
    const badB64 = await run(["get-internal-kubeconfig", "-o", "x"]);
    assertEquals(badB64.code, 1);
    assertStringIncludes(badB64.stderr, 'key "cluster.kubeconfig" of Secret kubestellar');
    assertStringIncludes(badB64.stderr, "is not valid base64");
    assertStringIncludes(noKey.stderr, 'key "external.kubeconfig"');
    assertStringIncludes(noKey.stderr, "does not hold a kubeconfig");
    await client.patch(
      { version: "v1", resource: "secrets", namespace: "kubestellar", name: "kubestellar" },
      { data: { "external.kubeconfig": null } },
      "merge",
    );
    const missing = await run(["get-external-kubeconfig", "-o", "x"]);
    assertEquals(missing.code, 1);
    assertStringIncludes(
      missing.stderr,
      'has no key "external.kubeconfig" (it has "admin.kubeconfig", "cluster.kubeconfig")',
    );
    const noDir = await run(["get-external-kubeconfig", "-o", "no/such/dir/x"]);
    assertEquals(noDir.code, 1);
    assertStringIncludes(noDir.stderr, "its directory does not exist");
    assertEquals(
      [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n !== ".kube" && n !== ".cache"),
      [],
    );
  });
});

Deno.test("get-*-kubeconfig waits for the core's Secret, bounded", async () => {
  await withCluster(async ({ client, dir, run }) => {
    await namespace(client, "kubestellar");
    await client.create({
      group: "apps",
      version: "v1",
      resource: "deployments",
      namespace: "kubestellar",
    }, {
      metadata: { name: "kubestellar" },
      spec: {
        selector: { matchLabels: { app: "kubestellar" } },
        template: {
          metadata: { labels: { app: "kubestellar" } },
          spec: { containers: [{ name: "kcp", image: "kcp" }] },
        },
      },
    });
    const late = await run(["get-internal-kubeconfig", "-o", "x"], {
      KUBESTELLAR_WAIT_TIMEOUT: "1s",
    });
    assertEquals(late.code, 1);
    assertMatch(
      late.stderr,
      /Secret kubestellar did not appear in namespace "kubestellar" within 1(\.0)?s/,
    );
    const waiting = run(["get-internal-kubeconfig", "-o", "x"], {
      KUBESTELLAR_WAIT_TIMEOUT: "60s",
    });
    await new Promise((r) => setTimeout(r, 1500));
    await secret(client, "kubestellar", { "cluster.kubeconfig": b64(INTERNAL) });
    const r = await waiting;
    assertEquals(r.code, 0, r.stderr);
    assertEquals(await Deno.readTextFile(join(dir, "x")), INTERNAL);
  });
});

Deno.test("get-*-kubeconfig: an unreachable hosting cluster is one clear line", async () => {
  await withCluster(async ({ dir, run }) => {
    const kc = join(dir, "dead.kubeconfig");
    await Deno.writeTextFile(
      kc,
      "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n",
    );
    const r = await run(["get-external-kubeconfig", "--kubeconfig", kc, "-o", "x"]);
    assertEquals(r.code, 1);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertMatch(r.stderr, /^kubectl-kubestellar-get_external_kubeconfig: .*127\.0\.0\.1:1/);
  });
});
