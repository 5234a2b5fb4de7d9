/**
 * The where-resolver on kcp-lite: one SinglePlacementSlice per EdgePlacement (same name,
 * same WMW, ownerReference), destinations restricted to each Location's own IMW, kept
 * current as Locations, SyncTargets and placements change; matchingLocationCount;
 * invalid selectors reported while other placements keep working; converges after a
 * controller restart and a kcp-lite restart, nothing duplicated.
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import {
  deleteIfPresent,
  EDGE_PLACEMENTS,
  type EdgeFixture,
  LOCATIONS,
  putEdgePlacement,
  putSyncTargetAndLocation,
  setUpEdge,
  SPS,
  SYNC_TARGETS,
  upsert,
  waitFor,
} from "../support/edge_fixtures.ts";
import { whereResolver } from "../../lib/controllers/where/where_controller.ts";
import { startController } from "../../lib/controllers/runtime/controller_host.ts";
import { Logger } from "../../lib/log/logger.ts";
import type { EdgePlacement, SinglePlacementSlice } from "../../lib/edge/api_types.ts";
import type { RestClient } from "../../lib/kube/rest_client.ts";

const logLines: string[] = [];
const quiet = new Logger("where-resolver", { write: (l) => logLines.push(l) });

/** `imw/location/synctarget` triples of a slice, sorted. */
async function destinationsOf(wmw: RestClient, name: string): Promise<string[] | undefined> {
  try {
    const sps = await wmw.get<SinglePlacementSlice>({ ...SPS, name });
    return sps.destinations.map((d) => `${d.cluster}/${d.locationName}/${d.syncTargetName}`)
      .sort();
  } catch {
    return undefined;
  }
}

async function expectDestinations(
  edge: EdgeFixture,
  wmw: RestClient,
  name: string,
  want: string[],
): Promise<void> {
  const ids: Record<string, string> = {
    imw1: await edge.clusterId("root:imw1"),
    imw2: await edge.clusterId("root:imw2"),
  };
  const expected = want.map((w) => {
    const [imw, rest] = [w.slice(0, 4), w.slice(5)];
    return `${ids[imw]}/${rest}`;
  }).sort();
  let last: string[] | undefined;
  try {
    await waitFor(`${name} → ${want.join(",")}`, async () => {
      last = await destinationsOf(wmw, name);
      return JSON.stringify(last) === JSON.stringify(expected);
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${JSON.stringify(last)}`);
  }
}

async function matchingCount(wmw: RestClient, name: string): Promise<number | undefined> {
  const ep = await wmw.get<EdgePlacement>({ ...EDGE_PLACEMENTS, name });
  return ep.status?.matchingLocationCount;
}

Deno.test("where-resolver: slices follow placements, Locations and SyncTargets; restarts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "where-e2e-" });
  let cp = await startControlPlane({ rootDirectory: dir });
  let edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1", "imw2"], wmws: ["wmw1"] });
  let running = await startController(whereResolver, {
    flags: edge.controllerFlags({ workers: 2 }),
    log: quiet,
  });
  try {
    await running.ready;
    assertTrue(logLines.some((l) => l.includes('via="virtual workspace"')), "reads through the VW");
    let imw1 = edge.workspace("root:imw1");
    const imw2 = edge.workspace("root:imw2");
    let wmw = edge.workspace("root:wmw1");
    await putSyncTargetAndLocation(imw1, "a", { env: "prod" });
    await putSyncTargetAndLocation(imw1, "b", { env: "test" });
    await putSyncTargetAndLocation(imw2, "c", { env: "prod" });
    // A SyncTarget in imw2 that a Location in imw1 would select if IMWs leaked.
    await upsert(imw2, SYNC_TARGETS, { metadata: { name: "a-twin", labels: { id: "a" } } });
    const prod = await putEdgePlacement(wmw, "prod", [{ matchLabels: { env: "prod" } }]);
    await putEdgePlacement(wmw, "all", [{ matchLabels: { env: "prod" } }, {
      matchExpressions: [{ key: "env", operator: "In", values: ["test"] }],
    }]);
    await expectDestinations(edge, wmw, "prod", ["imw1/a/a", "imw2/c/c"]);
    await expectDestinations(edge, wmw, "all", ["imw1/a/a", "imw1/b/b", "imw2/c/c"]);
    const slice = await wmw.get<SinglePlacementSlice>({ ...SPS, name: "prod" });
    assertEquals(slice.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [[
      "EdgePlacement",
      "prod",
      prod.metadata.uid,
    ]]);
    await waitFor("matchingLocationCount 2", async () => await matchingCount(wmw, "prod") === 2);

    // Relabel a Location, relabel a SyncTarget out of its Location, delete a SyncTarget.
    await putSyncTargetAndLocation(imw1, "b", { env: "prod" });
    await expectDestinations(edge, wmw, "prod", ["imw1/a/a", "imw1/b/b", "imw2/c/c"]);
    await imw2.patch(
      { ...SYNC_TARGETS, name: "c" },
      { metadata: { labels: { id: "gone" } } },
      "merge",
    );
    await expectDestinations(edge, wmw, "prod", ["imw1/a/a", "imw1/b/b"]);
    await deleteIfPresent(imw1, SYNC_TARGETS, "a");
    await expectDestinations(edge, wmw, "prod", ["imw1/b/b"]);
    await waitFor("count still 3 Locations", async () => await matchingCount(wmw, "prod") === 3);
    await deleteIfPresent(imw1, LOCATIONS, "a");
    await waitFor("count 2", async () => await matchingCount(wmw, "prod") === 2);

    // An invalid selector is reported on that placement; the others keep working.
    await putEdgePlacement(wmw, "bad", [{ matchLabels: { "bad key!": "x" } }]);
    await waitFor("problem annotation", async () => {
      const ep = await wmw.get<EdgePlacement>({ ...EDGE_PLACEMENTS, name: "bad" });
      return (ep.metadata.annotations?.["validation-error.kubestellar.io/where"] ?? "")
        .includes("spec.locationSelectors[0]");
    });
    await putSyncTargetAndLocation(imw2, "d", { env: "prod" });
    await expectDestinations(edge, wmw, "prod", ["imw1/b/b", "imw2/d/d"]);
    await putEdgePlacement(wmw, "bad", [{ matchLabels: { env: "test" } }]);
    await waitFor("problem annotation removed", async () => {
      const ep = await wmw.get<EdgePlacement>({ ...EDGE_PLACEMENTS, name: "bad" });
      return ep.metadata.annotations?.["validation-error.kubestellar.io/where"] === undefined;
    });

    // Changing a placement's selectors; deleting a placement removes its slice.
    await putEdgePlacement(wmw, "all", [{ matchLabels: { id: "d" } }]);
    await putEdgePlacement(wmw, "all", [{ matchLabels: { env: "prod" } }]);
    await expectDestinations(edge, wmw, "all", ["imw1/b/b", "imw2/d/d"]);
    await deleteIfPresent(wmw, EDGE_PLACEMENTS, "all");
    await waitFor(
      "slice of a deleted placement gone",
      async () => await destinationsOf(wmw, "all") === undefined,
    );

    // Controller stopped; changes meanwhile; a new controller converges.
    await running.stop();
    await putSyncTargetAndLocation(imw1, "e", { env: "prod" });
    await putEdgePlacement(wmw, "late", [{ matchLabels: { env: "prod" } }]);
    running = await startController(whereResolver, {
      flags: edge.controllerFlags(),
      log: quiet,
      reloadIntervalMs: 100,
    });
    await running.ready;
    await expectDestinations(edge, wmw, "prod", ["imw1/b/b", "imw1/e/e", "imw2/d/d"]);
    await expectDestinations(edge, wmw, "late", ["imw1/b/b", "imw1/e/e", "imw2/d/d"]);

    // kcp-lite restarts on the same root directory (new port and tokens) under the
    // running controller; changes after it converge.
    edge.close();
    await cp.stop();
    cp = await startControlPlane({ rootDirectory: dir });
    edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1", "imw2"], wmws: ["wmw1"] });
    imw1 = edge.workspace("root:imw1");
    wmw = edge.workspace("root:wmw1");
    await deleteIfPresent(imw1, SYNC_TARGETS, "e");
    await expectDestinations(edge, wmw, "prod", ["imw1/b/b", "imw2/d/d"]);
    await expectDestinations(edge, wmw, "late", ["imw1/b/b", "imw2/d/d"]);
    const slices = await wmw.list<SinglePlacementSlice>(SPS);
    assertEquals(slices.items.map((s) => s.metadata.name).sort(), ["bad", "late", "prod"]);
    assertTrue(slices.items.every((s) => s.metadata.ownerReferences?.length === 1));
    assertTrue(logLines.some((l) => l.includes("kubeconfig connection settings changed")));
  } finally {
    await running.stop();
    edge.close();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
