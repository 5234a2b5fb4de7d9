/**
 * kcp-lite's admin credentials behave as kcp v0.11's: `admin.kubeconfig` is laid out as
 * `clientcmd` writes it, the `shard-admin` token (context `system:admin`) survives a
 * restart through `.admin-token-store` while `kcp-admin` (contexts `root`, `base`) is new
 * every start; kube mode keeps its admin token; a token whose hash no longer matches stops
 * the start with one line; `switch-domain` on kcp-lite's file changes exactly the lines the
 * seed's `diff` shows.
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { assertEquals, assertNotEquals, assertStringIncludes } from "../../../support/assert.ts";
import { runCli } from "../../../support/cli.ts";
import { startKcpLite } from "../../../../lib/kcplite/kcp_lite_server.ts";

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: { name: string; user: { token: string } }[];
}

async function readKubeconfig(path: string): Promise<Kubeconfig> {
  return parseYaml(await Deno.readTextFile(path)) as Kubeconfig;
}

/** GET `path` as the user of `context` in the kubeconfig document; the HTTP status. */
async function statusAs(doc: Kubeconfig, context: string, path: string): Promise<number> {
  const ctx = doc.contexts.find((c) => c.name === context)!.context;
  const cluster = doc.clusters.find((c) => c.name === ctx.cluster)!.cluster;
  const token = doc.users.find((u) => u.name === ctx.user)!.user.token;
  const client = Deno.createHttpClient({ caCerts: [atob(cluster["certificate-authority-data"])] });
  try {
    const res = await fetch(`${cluster.server}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      client,
    });
    await res.body?.cancel();
    return res.status;
  } finally {
    client.close();
  }
}

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "kcp-lite-admin-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("kcp mode: admin.kubeconfig is laid out as kcp writes it", async () => {
  await withRoot(async (root) => {
    const server = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    try {
      const lines = (await Deno.readTextFile(server.adminKubeconfigPath)).split("\n");
      const masked = lines.map((l) =>
        l.replace(/(certificate-authority-data|token): .*/, "$1: X")
          .replace(/server: https:\/\/[^/]+/, "server: URL")
      );
      assertEquals(masked, [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        "    certificate-authority-data: X",
        "    server: URL",
        "  name: base",
        "- cluster:",
        "    certificate-authority-data: X",
        "    server: URL/clusters/root",
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
        "    token: X",
        "- name: shard-admin",
        "  user:",
        "    token: X",
        "",
      ]);
      // The seed's `wait-and-switch-domain … ; diff -w` session (another CA, another
      // domain): lines 4,5 and 8,9 change.
      const r = await runCli(
        [
          server.adminKubeconfigPath,
          "test.yaml",
          "root",
          "yep.yep",
          "6443",
          join(root, "apiserver.crt"),
        ],
        { as: "switch-domain", cwd: root },
      );
      assertEquals(r.code, 0, r.stderr);
      const after = (await Deno.readTextFile(join(root, "test.yaml"))).split("\n");
      const changed = lines.flatMap((line, i) => line === after[i] ? [] : [i + 1]);
      assertEquals(changed, [4, 5, 8, 9]);
    } finally {
      await server.stop();
    }
  });
});

Deno.test("kcp mode: a copy keeps system:admin across a restart; root gets 401", async () => {
  await withRoot(async (root) => {
    const first = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    const path = first.adminKubeconfigPath;
    let copy: Kubeconfig;
    try {
      copy = await readKubeconfig(path);
      assertEquals(await statusAs(copy, "system:admin", "/clusters/root/api/v1/namespaces"), 200);
      assertEquals(await statusAs(copy, "root", "/api/v1/namespaces"), 200);
      const store = await Deno.readFile(join(root, ".admin-token-store"));
      assertEquals(store.length, 32);
      assertEquals((await Deno.stat(join(root, ".admin-token-store"))).mode! & 0o777, 0o600);
    } finally {
      await first.stop();
    }
    const second = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    try {
      const port = new URL(second.url).port;
      for (const c of copy.clusters) {
        c.cluster.server = c.cluster.server.replace(/:\d+/, `:${port}`);
      }
      assertEquals(await statusAs(copy, "system:admin", "/clusters/root/api/v1/namespaces"), 200);
      assertEquals(await statusAs(copy, "root", "/api/v1/namespaces"), 401);
      assertEquals(await statusAs(copy, "base", "/clusters/root/api/v1/namespaces"), 401);
      const now = await readKubeconfig(path);
      const token = (d: Kubeconfig, u: string) => d.users.find((x) => x.name === u)!.user.token;
      assertEquals(token(now, "shard-admin"), token(copy, "shard-admin"));
      assertNotEquals(token(now, "kcp-admin"), token(copy, "kcp-admin"));
      assertEquals(await statusAs(now, "root", "/api/v1/namespaces"), 200);
      // The CLI says what to do with such a copy, in one line.
      const copyPath = join(root, "user.kubeconfig");
      await Deno.writeTextFile(copyPath, stringifyYaml(copy), { mode: 0o600 });
      const init = await runCli(["init"], { env: { KUBECONFIG: copyPath } });
      assertNotEquals(init.code, 0);
      assertStringIncludes(init.stderr, "holds an old token: copy it again");
      assertEquals(init.stderr.trim().split("\n").length, 1);
    } finally {
      await second.stop();
    }
  });
});

Deno.test("kube mode keeps its admin token across a restart", async () => {
  await withRoot(async (root) => {
    const first = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kube" });
    const copy = await readKubeconfig(first.adminKubeconfigPath);
    await first.stop();
    const second = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kube" });
    try {
      const port = new URL(second.url).port;
      for (const c of copy.clusters) {
        c.cluster.server = c.cluster.server.replace(/:\d+/, `:${port}`);
      }
      assertEquals(await statusAs(copy, "default", "/api/v1/namespaces"), 200);
    } finally {
      await second.stop();
    }
  });
});

Deno.test("a kept token that no longer matches its hash stops the start with one line", async () => {
  await withRoot(async (root) => {
    const first = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    await first.stop();
    const path = join(root, "admin.kubeconfig");
    const text = await Deno.readTextFile(path);
    const forged = text.replace(/(name: shard-admin\n {2}user:\n {4}token: ).*/, "$1forged");
    await Deno.writeTextFile(path, forged);
    let message = "";
    try {
      await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    } catch (e) {
      message = (e as Error).message;
    }
    assertStringIncludes(message, "is not valid anymore");
    assertStringIncludes(message, ".admin-token-store");
    assertEquals(message.includes("\n"), false);
    assertEquals(await Deno.readTextFile(path), forged, "nothing was rewritten");
    await Deno.remove(join(root, ".admin-token-store"));
    const again = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    await again.stop();
  });
});
