/**
 * The measuring side of `bench/kcplite_scale.ts`, run in its own Deno process with
 * `--v8-flags=--expose-gc` so that memory is read after a full garbage collection.
 * Prints one JSON object on stdout.
 *
 * - `workspaces <N> <dir>`: kcp-lite (kcp mode, in this process) on a fresh root; N
 *   Workspaces created over HTTPS by 8 clients; the time until all are Ready; RSS and
 *   heap before and after (after GC), per workspace.
 * - `fill <N> <dir>`: writes N small ConfigMaps into the store of an existing kcp-mode
 *   root directory (`root` workspace, namespace `default`), straight into the store.
 * - `restart <dir>`: starts kcp-lite on that root directory; the time until `/readyz`
 *   answers and a first list (500 ConfigMaps) works; RSS and heap after GC; the time of a
 *   full list of the namespace.
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import { openSqliteStore } from "../lib/kcplite/store/sqlite_store.ts";

interface Target {
  url: string;
  token: string;
  client: Deno.HttpClient;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --v8-flags=--expose-gc");
  for (let i = 0; i < 3; i++) collect();
}

async function memory(): Promise<{ rss: number; heap: number }> {
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const m = Deno.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function targetOf(root: string, url: string): Promise<Target> {
  const doc = parseYaml(await Deno.readTextFile(join(root, "admin.kubeconfig"))) as {
    clusters: { cluster: { "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const ca = atob(doc.clusters[0].cluster["certificate-authority-data"]);
  return { url, token: doc.users[0].user.token, client: Deno.createHttpClient({ caCerts: [ca] }) };
}

async function call(t: Target, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    client: t.client,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

const WORKSPACES = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";

async function workspaces(n: number, root: string): Promise<Record<string, number>> {
  const server = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
  const t = await targetOf(root, server.url);
  try {
    const before = await memory();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < n) {
        const i = next++;
        await call(t, "POST", WORKSPACES, { metadata: { name: `ws-${i}` }, spec: {} });
      }
    }));
    const created = performance.now() - t0;
    for (;;) {
      const list = await call(t, "GET", WORKSPACES) as { items: { status?: { phase?: string } }[] };
      const ready = list.items.filter((w) => w.status?.phase === "Ready").length;
      if (ready >= n + 1) break; // + root:compute
      await new Promise((r) => setTimeout(r, 50));
    }
    const allReady = performance.now() - t0;
    // then until the controllers are idle (service-account tokens etc.): no new writes
    let rv = "";
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 200));
      const now = (await call(t, "GET", `${WORKSPACES}?limit=1`) as {
        metadata: { resourceVersion: string };
      }).metadata.resourceVersion;
      quiet = now === rv ? quiet + 1 : 0;
      rv = now;
    }
    const settled = performance.now() - t0;
    const after = await memory();
    return {
      workspaces: n,
      createdMs: created,
      allReadyMs: allReady,
      settledMs: settled,
      rssPerWorkspace: (after.rss - before.rss) / n,
      heapPerWorkspace: (after.heap - before.heap) / n,
      rssAfter: after.rss,
      heapAfter: after.heap,
    };
  } finally {
    t.client.close();
    await server.stop();
  }
}

function fill(n: number, root: string): Record<string, number> {
  const store = openSqliteStore(join(root, "kcp-lite.db"));
  const t0 = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      const name = `cm-${i}`;
      store.create({ cluster: "root", resource: "/configmaps", namespace: "default", name }, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name,
          namespace: "default",
          uid: crypto.randomUUID(),
          creationTimestamp: "2026-01-01T00:00:00Z",
          annotations: { "kcp.io/cluster": "root" },
          labels: { bench: "scale" },
        },
        data: { index: String(i), note: "a small object" },
      });
    }
  } finally {
    store.close();
  }
  return { objects: n, fillMs: performance.now() - t0 };
}

async function restart(root: string): Promise<Record<string, number>> {
  const before = await memory();
  const t0 = performance.now();
  const server = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
  const t = await targetOf(root, server.url);
  try {
    for (;;) {
      const res = await fetch(`${server.url}/readyz`, { client: t.client });
      if (res.ok && (await res.text()) === "ok") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const ready = performance.now() - t0;
    const page = await call(
      t,
      "GET",
      "/clusters/root/api/v1/namespaces/default/configmaps?limit=500",
    ) as {
      items: unknown[];
    };
    if (!Array.isArray(page.items)) throw new Error("the first list has no items");
    const firstList = performance.now() - t0;
    const idle = await memory();
    const l0 = performance.now();
    const all = await call(t, "GET", "/clusters/root/api/v1/namespaces/default/configmaps") as {
      items: unknown[];
    };
    const fullList = performance.now() - l0;
    const count = all.items.length;
    const afterList = await memory();
    return {
      readyMs: ready,
      firstListMs: firstList,
      fullListMs: fullList,
      listed: count,
      rssBefore: before.rss,
      rssIdle: idle.rss,
      heapIdle: idle.heap,
      rssAfterFullList: afterList.rss,
      heapAfterFullList: afterList.heap,
    };
  } finally {
    t.client.close();
    await server.stop();
  }
}

const [what, arg1, arg2] = Deno.args;
let result: Record<string, number>;
if (what === "workspaces") result = await workspaces(Number(arg1), arg2);
else if (what === "fill") result = fill(Number(arg1), arg2);
else if (what === "restart") result = await restart(arg1);
else throw new Error(`unknown measurement ${what}`);
console.log(JSON.stringify(result));
