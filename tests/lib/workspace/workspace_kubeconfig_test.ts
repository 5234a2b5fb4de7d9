import { join } from "node:path";
import { assertEquals, assertRejects } from "../../support/assert.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import {
  createNamedContext,
  CURRENT_WORKSPACE_CONTEXT as CUR,
  PREVIOUS_WORKSPACE_CONTEXT as PREV,
  swapWorkspaceContexts,
  switchWorkspaceContext,
} from "../../../lib/workspace/workspace_kubeconfig.ts";

const BASE = "https://127.0.0.1:6443";

const ADMIN = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0EK
    server: ${BASE}/clusters/root
  name: root
contexts:
- context:
    cluster: root
    user: admin
    namespace: ns1
  name: root
current-context: root
kind: Config
preferences: {}
users:
- name: admin
  user:
    token: secret
`;

async function withKubeconfig(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ws-kc-" });
  const path = join(dir, "admin.kubeconfig");
  await Deno.writeTextFile(path, ADMIN);
  try {
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function state(path: string) {
  const kc = await loadKubeconfig({ kubeconfig: path });
  const ctx = (n: string) => kc.find("contexts", n)?.value;
  const server = (n: string) => kc.find("clusters", n)?.value.server;
  return { current: kc.currentContext, ctx, server, kc };
}

Deno.test("switching copies the current context and cluster and keeps the previous one", async () => {
  await withKubeconfig(async (path) => {
    await switchWorkspaceContext(
      await loadKubeconfig({ kubeconfig: path }),
      `${BASE}/clusters/root:a`,
    );
    let s = await state(path);
    assertEquals(s.current, CUR);
    assertEquals(s.ctx(CUR), { cluster: CUR, user: "admin", namespace: "ns1" });
    assertEquals(s.kc.find("clusters", CUR)?.value, {
      "certificate-authority-data": "Q0EK",
      server: `${BASE}/clusters/root:a`,
    });
    assertEquals(s.ctx(PREV), { cluster: "root", user: "admin", namespace: "ns1" });
    assertEquals(s.server(PREV), undefined);
    assertEquals(s.server("root"), `${BASE}/clusters/root`);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);

    // A second switch moves the workspace.kcp.io/current cluster to .../previous.
    await switchWorkspaceContext(
      await loadKubeconfig({ kubeconfig: path }),
      `${BASE}/clusters/root:b`,
    );
    s = await state(path);
    assertEquals(s.server(CUR), `${BASE}/clusters/root:b`);
    assertEquals(s.ctx(PREV)?.cluster, PREV);
    assertEquals(s.server(PREV), `${BASE}/clusters/root:a`);
    assertEquals(s.ctx("root"), { cluster: "root", user: "admin", namespace: "ns1" });
  });
});

Deno.test("ws - swaps current and previous, twice returns to the start", async () => {
  await withKubeconfig(async (path) => {
    await assertRejects(
      async () => await swapWorkspaceContexts(await loadKubeconfig({ kubeconfig: path })),
      /^no previous workspace found in kubeconfig$/,
    );
    await switchWorkspaceContext(
      await loadKubeconfig({ kubeconfig: path }),
      `${BASE}/clusters/root:a`,
    );
    await switchWorkspaceContext(
      await loadKubeconfig({ kubeconfig: path }),
      `${BASE}/clusters/root:b`,
    );
    const server1 = await swapWorkspaceContexts(await loadKubeconfig({ kubeconfig: path }));
    assertEquals(server1, `${BASE}/clusters/root:a`);
    let s = await state(path);
    assertEquals(s.server(CUR), `${BASE}/clusters/root:a`);
    assertEquals(s.server(PREV), `${BASE}/clusters/root:b`);
    const server2 = await swapWorkspaceContexts(await loadKubeconfig({ kubeconfig: path }));
    assertEquals(server2, `${BASE}/clusters/root:b`);
    s = await state(path);
    assertEquals(s.server(CUR), `${BASE}/clusters/root:b`);
    assertEquals(s.server(PREV), `${BASE}/clusters/root:a`);
  });
});

Deno.test("ws - after one switch goes back to the original context's cluster", async () => {
  await withKubeconfig(async (path) => {
    await switchWorkspaceContext(
      await loadKubeconfig({ kubeconfig: path }),
      `${BASE}/clusters/root:a`,
    );
    const server = await swapWorkspaceContexts(await loadKubeconfig({ kubeconfig: path }));
    assertEquals(server, `${BASE}/clusters/root`);
    const s = await state(path);
    assertEquals(s.ctx(CUR)?.cluster, "root");
    assertEquals(s.ctx(PREV)?.cluster, PREV);
    assertEquals(s.server(PREV), `${BASE}/clusters/root:a`);
  });
});

Deno.test("create-context copies the current context under a new name", async () => {
  await withKubeconfig(async (path) => {
    const kc = await loadKubeconfig({ kubeconfig: path });
    assertEquals(
      await createNamedContext(kc, "root:a", `${BASE}/clusters/root:a`, false),
      "created",
    );
    let s = await state(path);
    assertEquals(s.current, "root:a");
    assertEquals(s.ctx("root:a"), { cluster: "root:a", user: "admin", namespace: "ns1" });
    assertEquals(s.server("root:a"), `${BASE}/clusters/root:a`);
    await assertRejects(
      async () =>
        await createNamedContext(await loadKubeconfig({ kubeconfig: path }), "root", BASE, false),
      /^context "root" already exists in kubeconfig, use --overwrite to update it$/,
    );
    assertEquals(
      await createNamedContext(await loadKubeconfig({ kubeconfig: path }), "root:a", BASE, true),
      "updated-current",
    );
    assertEquals(
      await createNamedContext(await loadKubeconfig({ kubeconfig: path }), "root", BASE, true),
      "updated",
    );
    s = await state(path);
    assertEquals(s.current, "root");
  });
});

Deno.test("with KUBECONFIG listing two files, new entries go to kubectl's default file", async () => {
  await withKubeconfig(async (path) => {
    const dir = join(path, "..");
    const second = join(dir, "second.kubeconfig");
    await Deno.writeTextFile(
      second,
      "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers:\n- name: other\n  user:\n    token: t2\n",
    );
    const env = `${second}:${path}`;
    const load = () => loadKubeconfig({}, { sources: { env, home: dir } });
    await switchWorkspaceContext(await load(), `${BASE}/clusters/root:a`);
    const kc = await load();
    assertEquals(kc.currentContext, CUR);
    assertEquals(kc.find("clusters", CUR)?.value.server, `${BASE}/clusters/root:a`);
    // As client-go: new entries and a changed current-context go to the first existing
    // file; the file that held the old current-context is left alone.
    assertEquals(kc.find("contexts", CUR)?.file, second);
    assertEquals(kc.find("contexts", PREV)?.value.cluster, "root");
    assertEquals((await loadKubeconfig({ kubeconfig: second })).currentContext, CUR);
    assertEquals(await Deno.readTextFile(path), ADMIN);
    assertEquals((await loadKubeconfig({ kubeconfig: second })).find("users", "other")?.value, {
      token: "t2",
    });
  });
});
