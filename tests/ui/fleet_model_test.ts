/**
 * The UI's model against kcp-lite (no controllers running): the fleet with workspace
 * paths and problems, a placement resolved from the inventory with the preview's
 * reasons, selections computed once per change (work counted), and changes published
 * on the feed as they happen.
 *
 * @module
 */
import { startControlPlane } from "../support/control_plane.ts";
import { putEdgePlacement, putSyncTargetAndLocation, setUpEdge } from "../support/edge_fixtures.ts";
import { eventually } from "../support/eventually.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { Logger } from "../../lib/log/logger.ts";
import { type ChangeEvent, ChangeFeed } from "../../lib/ui/change_feed.ts";
import { FleetModel } from "../../lib/ui/fleet_model.ts";
import { fleetView } from "../../lib/ui/fleet_view.ts";
import { placementDetail, placementsView } from "../../lib/ui/placement_view.ts";
import { readOnly } from "../../lib/ui/read_only_client.ts";

const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: "ns" };

async function clientOf(kubeconfig: string, context: string): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig, context });
  return readOnly(restClientFor(await kc.restConfig()));
}

Deno.test("the UI model: fleet, placement from the inventory, work per change, live changes", async () => {
  const cp = await startControlPlane();
  const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
  const feed = new ChangeFeed({ batchMs: 5 });
  const abort = new AbortController();
  const client = await clientOf(cp.kubeconfigPath, "root");
  const allClusters = await clientOf(cp.kubeconfigPath, "system:admin");
  const model = new FleetModel({
    client,
    allClusters,
    espwPath: "root:espw",
    feed,
    log: new Logger("ui-test", { write: () => {} }),
  });
  let running: Promise<void> | undefined;
  try {
    const imw = edge.workspace("root:imw1");
    const wmw = edge.workspace("root:wmw1");
    await putSyncTargetAndLocation(imw, "st1", { env: "prod" });
    await putSyncTargetAndLocation(imw, "st2", { env: "dev" });
    await wmw.create({ version: "v1", resource: "namespaces" }, { metadata: { name: "ns" } });
    await wmw.create(CONFIGMAPS, { metadata: { name: "cm1" }, data: { a: "1" } });
    await putEdgePlacement(wmw, "p1", [{ matchLabels: { env: "prod" } }], {
      downsync: [{
        apiGroup: "",
        resources: ["configmaps"],
        namespaces: ["ns"],
        objectNames: ["*"],
      }],
    });
    running = model.run(abort.signal);
    await model.ready;

    const fleet = await eventually("paths resolved", () => {
      const f = fleetView(model, feed.generation);
      return f.syncTargets.length === 2 && f.syncTargets.every((t) => t.imw === "root:imw1") && f;
    });
    assertEquals(fleet.syncTargets.map((t) => [t.name, t.locations, t.syncer.state]), [
      ["st1", ["st1"], "absent"],
      ["st2", ["st2"], "absent"],
    ]);
    assertStringIncludes(fleet.syncTargets[0].problems.join(), "no mailbox workspace yet");
    assertEquals(fleet.hub.connected, true);

    const detail = await eventually("p1 selected its objects", () => {
      const d = placementDetail(model, "root:wmw1", "p1", {}, 1);
      return d && d.objects.length > 0 && d;
    });
    assertEquals(detail.resolvedBy, "inventory");
    assertEquals(detail.destinations.map((d) => [d.syncTarget, d.matchedBy]), [
      ["st1", "locationSelectors[0]: env=prod"],
    ]);
    assertEquals(detail.objects.map((o) => [o.kind, o.namespace, o.name]), [
      ["ConfigMap", "ns", "cm1"],
    ]);
    assertEquals(detail.cells[0][0].state, "pending");
    assertStringIncludes(detail.problems.join(), "no SinglePlacementSlice yet");
    assertEquals(placementsView(model, 1).placements.map((p) => [p.wmw, p.name, p.objects]), [
      ["root:wmw1", "p1", 1],
    ]);

    // Views read the memo: no new selection until the workspace changes.
    const evaluations = model.selections.evaluations;
    for (let i = 0; i < 3; i++) {
      placementDetail(model, "root:wmw1", "p1", { q: "st" }, 1);
      placementsView(model, 1);
    }
    assertEquals(model.selections.evaluations, evaluations, "views recompute nothing");
    const events: ChangeEvent[] = [];
    feed.listen((e) => events.push(e));
    await wmw.create(CONFIGMAPS, { metadata: { name: "cm2" } });
    const after = await eventually("cm2 selected", () => {
      const d = placementDetail(model, "root:wmw1", "p1", {}, 1);
      return d && d.objects.length === 2 && d;
    });
    assertEquals(after.objects.map((o) => o.name), ["cm1", "cm2"]);
    assertTrue(model.selections.evaluations <= evaluations + 2, "one change, about one evaluation");
    await eventually(
      "the change published",
      () => events.some((e) => e.topics.includes("placements")),
    );

    await putSyncTargetAndLocation(imw, "st3", { env: "prod" });
    await eventually(
      "st3 published and shown",
      () =>
        events.some((e) => e.topics.includes("fleet")) &&
        fleetView(model, feed.generation).syncTargets.some((t) => t.name === "st3"),
    );
    const moved = await eventually("st3 joins p1's destinations", () => {
      const d = placementDetail(model, "root:wmw1", "p1", {}, 1);
      return d?.destinations.length === 2 && d;
    });
    assertEquals(moved.destinations.map((d) => d.syncTarget), ["st1", "st3"]);
  } finally {
    abort.abort();
    feed.close();
    await running?.catch(() => {});
    client.close();
    allClusters.close();
    edge.close();
    await cp.stop();
  }
});
