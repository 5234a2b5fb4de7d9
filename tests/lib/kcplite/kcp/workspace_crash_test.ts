/**
 * A crash in the middle of a workspace's initialization (kcp-lite killed with SIGKILL
 * while its workspace controller writes a new workspace's content in one batch) loses no
 * acknowledged write and leaves no half-initialized workspace: on disk every logical
 * cluster has either all of its first batch or none of it, and after a restart every
 * acknowledged workspace becomes Ready with all of its content.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { openSqliteStore } from "../../../../lib/kcplite/store/sqlite_store.ts";
import { k, startEnv, waitFor } from "./kcp_test_env.ts";
import { BINDINGS, LC, missingContent, WS } from "./workspace_content.ts";

const CHILD = fileURLToPath(new URL("../../../support/kcp_init_crash_child.ts", import.meta.url));

Deno.test("kill -9 during a workspace's initialization: nothing half-made, all completes after", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcplite-ws-crash-" });
  const path = join(dir, "kcp-lite.db");
  try {
    // Killed at the 13th default binding the controllers create: the third workspace's.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CHILD, path, "13"],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assertEquals(out.signal, "SIGKILL");
    const acknowledged = new TextDecoder().decode(out.stdout).split("\n")
      .filter((l) => l.startsWith("created ")).map((l) => l.slice("created ".length));
    assertTrue(acknowledged.length >= 3, `acknowledged: ${acknowledged}`);

    const store = openSqliteStore(path);
    // On disk: each new logical cluster has its whole first batch (namespace, the five
    // default bindings, Bound) or does not exist.
    let clusters = 0;
    for (const lc of store.list({ resource: LC }).items) {
      const owner = (lc.spec as { owner?: { cluster?: string; name?: string } }).owner;
      if (owner?.cluster !== "root" || !owner.name?.startsWith("w")) continue;
      clusters++;
      const id = lc.metadata!.annotations!["kcp.io/cluster"];
      const bindings = store.list({ cluster: id, resource: BINDINGS }).items;
      assertEquals(bindings.length, 5, `${owner.name}'s bindings`);
      assertTrue(store.has(k(id, "/namespaces", "default")), `${owner.name}'s namespace`);
    }
    assertEquals(clusters, 2, "the third workspace's batch was lost whole");
    for (const name of acknowledged) assertTrue(store.has(k("root", WS, name)), name);

    const env = await startEnv(store);
    try {
      for (const name of acknowledged) {
        await waitFor(() => missingContent(store, "root", name).length === 0, `${name} complete`);
      }
    } finally {
      await env.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
