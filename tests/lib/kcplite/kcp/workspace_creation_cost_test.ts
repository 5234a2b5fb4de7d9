/**
 * What a new workspace costs kcp-lite, counted, not timed: store writes, commits (SQLite
 * transactions) and reconciles per workspace are fixed numbers, the same for 1 and for 10
 * workspaces created together; and the watch events of a creation are kcp's, in kcp's
 * order (the writes are batched, not merged or left out).
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals } from "../../../support/assert.ts";
import { openSqliteStore } from "../../../../lib/kcplite/store/sqlite_store.ts";
import type { StoreStats } from "../../../../lib/kcplite/store/backed_store.ts";
import { apiCreate, type KcpTestEnv, settle, startEnv, waitFor } from "./kcp_test_env.ts";
import { BINDINGS, LC, missingContent, WS } from "./workspace_content.ts";

interface Cost {
  writes: number;
  commits: number;
  reconciles: Record<string, number>;
}

function counts(env: KcpTestEnv): Cost {
  const stats = (env.store as unknown as { stats(): StoreStats }).stats();
  return { writes: stats.writes, commits: stats.commits, reconciles: env.backend.reconciles() };
}

/** Creates `n` workspaces in root, waits until all are complete; the cost per workspace. */
async function costOf(env: KcpTestEnv, prefix: string, n: number): Promise<Cost> {
  await settle(env.store);
  const before = counts(env);
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  for (const name of names) {
    apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name } });
  }
  for (const name of names) {
    await waitFor(() => missingContent(env.store, "root", name).length === 0, `${name} complete`);
  }
  await settle(env.store);
  const after = counts(env);
  const reconciles: Record<string, number> = {};
  for (const [c, v] of Object.entries(after.reconciles)) {
    reconciles[c] = (v - (before.reconciles[c] ?? 0)) / n;
  }
  return {
    writes: (after.writes - before.writes) / n,
    commits: (after.commits - before.commits) / n,
    reconciles,
  };
}

Deno.test("a new workspace costs 22 writes in 4 commits and 3 reconciles, for 1 or 10", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcplite-ws-cost-" });
  const env = await startEnv(openSqliteStore(join(dir, "kcp-lite.db")));
  try {
    await costOf(env, "warm", 1); // the first one fills caches
    const expected: Cost = {
      // The Workspace; its LogicalCluster, scheduling, owner binding, namespace, 5 default
      // bindings created and 5 bound, 2 initializer removals, Ready; the service account,
      // kube-root-ca.crt, the token Secret and the account's update.
      writes: 22,
      // The client's create; scheduling to Ready (one batch); the namespace's defaults;
      // the token Secret with the account's update.
      commits: 4,
      reconciles: {
        workspaces: 1, // the create (the events of its own batch do not reconcile again)
        logicalclusterdeletion: 0,
        apiexports: 0,
        apibindings: 0, // bound inside the workspace's batch; their events are its own
        apiexportendpointslices: 0,
        serviceaccounts: 2, // the namespace, then the account
      },
    };
    assertEquals(await costOf(env, "one", 1), expected);
    assertEquals(await costOf(env, "ten", 10), expected);
  } finally {
    await env.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a workspace's creation shows kcp's watch events in kcp's order", async () => {
  const env = await startEnv();
  try {
    await settle(env.store);
    const events: string[] = [];
    const resources = [
      WS,
      LC,
      BINDINGS,
      "/namespaces",
      "rbac.authorization.k8s.io/clusterrolebindings",
      "/serviceaccounts",
      "/configmaps",
      "/secrets",
    ];
    for (const resource of resources) {
      env.store.watch({ resource }, undefined, (e) => {
        const name = e.key.name.replace(/-token-[a-z0-9]{5}$/, "-token-*")
          .replace(/\.kcp\.io-[a-z0-9]{5}$/, ".kcp.io-*");
        events.push(`${e.type} ${resource.split("/")[1]} ${name}`);
      });
    }
    apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name: "w" } });
    await waitFor(() => missingContent(env.store, "root", "w").length === 0, "w complete");
    await settle(env.store);
    const exports = ["tenancy", "scheduling", "workload", "apiresource", "topology"];
    const byWorkspaceController = [
      "ADDED workspaces w",
      "ADDED logicalclusters cluster",
      "MODIFIED workspaces w", // scheduled: Initializing
      "ADDED clusterrolebindings workspace-admin",
      "ADDED namespaces default",
      ...exports.map((e) => `ADDED apibindings ${e}.kcp.io-*`),
      "MODIFIED logicalclusters cluster", // root:universal done
      ...exports.map((e) => `MODIFIED apibindings ${e}.kcp.io-*`), // Bound
      "MODIFIED logicalclusters cluster", // system:apibindings done: Ready
      "MODIFIED workspaces w", // Ready
    ];
    const bySaController = [
      "ADDED serviceaccounts default",
      "ADDED configmaps kube-root-ca.crt",
      "ADDED secrets default-token-*",
      "MODIFIED serviceaccounts default",
    ];
    assertEquals(events.filter((e) => !bySaController.includes(e)), byWorkspaceController);
    assertEquals(events.filter((e) => bySaController.includes(e)), bySaController);
  } finally {
    await env.close();
  }
});
