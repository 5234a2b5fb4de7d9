import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { pluginUser } from "../support/plugin_path.ts";
import { ensureWorkspace, type Hub, startHub, SYNC_TARGETS } from "../lib/syncer/hub_fixture.ts";
import { EDGE_KEYS, mailboxName } from "../../lib/edge/api_types.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { syncerId } from "../../lib/syncer_prep/syncer_identity.ts";

/** Stands in for the mailbox controller: a mailbox workspace for every SyncTarget. */
function fakeMailboxController(hub: Hub): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    const imw = hub.admin.withCluster("root:imw1");
    const made = new Set<string>();
    try {
      while (running) {
        const sts = await imw.list<KubeObject>(SYNC_TARGETS).catch(() => ({ items: [] }));
        for (const st of sts.items) {
          const name = mailboxName(hub.imwCluster, st.metadata!.uid!);
          if (made.has(name)) continue;
          made.add(name);
          await ensureWorkspace(hub.admin, "root:espw", name, {
            [EDGE_KEYS.syncTargetName]: st.metadata!.name!,
          });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      imw.close();
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

Deno.test("prep-for-cluster: ensure location + prep-for-syncer, the workspace restored", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  const controller = fakeMailboxController(hub);
  try {
    const r = await user.kubectl(
      "kubestellar",
      "prep-for-cluster",
      "--imw",
      "root:imw1",
      "demo2",
      "key1=val1",
    );
    assertEquals(r.code, 0, r.stderr);
    const imw = hub.admin.withCluster("root:imw1");
    const st = await imw.get<KubeObject>({ ...SYNC_TARGETS, name: "demo2" });
    imw.close();
    assertEquals(st.metadata?.labels?.key1, "val1");
    const id = syncerId("demo2", st.metadata!.uid!);
    const mb = `root:espw:${mailboxName(hub.imwCluster, st.metadata!.uid!)}`;
    // The document's example, line for line (our kinds are edge.kubestellar.io's), then the
    // switch back to where the user started. (This IMW is new, hence its APIBinding line.)
    assertEquals(r.stdout.split("\n"), [
      `Current workspace is "root:imw1".`,
      "apibinding.apis.kcp.io/edge.kubestellar.io created",
      "synctarget.edge.kubestellar.io/demo2 created",
      "location.edge.kubestellar.io/demo2 created",
      "synctarget.edge.kubestellar.io/demo2 labeled",
      "location.edge.kubestellar.io/demo2 labeled",
      `Current workspace is "root:imw1".`,
      `Current workspace is "root:espw".`,
      `Current workspace is "${mb}" (type root:universal).`,
      `Current workspace is "root".`,
      "",
    ]);
    assertEquals(r.stderr.split("\n").slice(0, 2), [
      `Creating service account "${id}"`,
      `Creating cluster role "${id}" to give service account "${id}"`,
    ]);
    assertStringIncludes(
      r.stderr,
      `\nWrote WEC manifest to demo2-syncer.yaml for namespace "${id}". Use\n`,
    );
    assertTrue((await Deno.stat(join(user.dir, "demo2-syncer.yaml"))).isFile);
    const now = await user.kubectl("ws", ".");
    assertEquals(now.stdout, `Current workspace is "root".\n`);

    // Silent, and a second run changes nothing but the token-bearing file.
    const again = await user.kubectl(
      "kubestellar",
      "prep-for-cluster",
      "-s",
      "--imw",
      "root:imw1",
      "demo2",
      "key1=val1",
      "-o",
      "again.yaml",
    );
    assertEquals(again.code, 0, again.stderr);
    assertEquals(again.stdout + again.stderr, "");
    assertTrue((await Deno.stat(join(user.dir, "again.yaml"))).isFile);
    const bad = await user.kubectl(
      "kubestellar",
      "prep-for-cluster",
      "--imw",
      "root:imw1",
      "demo3",
    );
    assertEquals(bad.code, 1);
    assertEquals(
      bad.stderr,
      "kubectl-kubestellar-prep_for_cluster: must be given at least one label key=value\n",
    );
  } finally {
    await controller.stop();
    await user.cleanup();
    await hub.stop();
  }
});
