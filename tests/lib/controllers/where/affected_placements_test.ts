import { AffectedPlacements } from "../../../../lib/controllers/where/affected_placements.ts";
import type { EdgePlacement } from "../../../../lib/edge/api_types.ts";
import { assertEquals } from "../../../support/assert.ts";

function ep(rv: string, selectors: unknown[]): EdgePlacement {
  return {
    metadata: { name: "x", resourceVersion: rv },
    spec: { locationSelectors: selectors as never },
  };
}

Deno.test("affected placements: a SyncTarget or Location event names only the placements it can affect", () => {
  const a = new AffectedPlacements();
  for (let i = 0; i < 100; i++) {
    a.putLocation({
      cluster: "imw",
      name: `st${i}`,
      labels: { env: i % 2 ? "prod" : "dev", id: `st${i}` },
      instanceSelector: { matchLabels: { id: `st${i}` } },
    });
  }
  a.putLocation({
    cluster: "imw",
    name: "any-edge",
    labels: { kind: "catch-all" },
    instanceSelector: { matchExpressions: [{ key: "edge", operator: "Exists" }] },
  });
  a.putPlacement("w|prod", ep("1", [{ matchLabels: { env: "prod" } }]));
  a.putPlacement("w|dev", ep("1", [{ matchLabels: { env: "dev" } }]));
  a.putPlacement("w|all", ep("1", [{ matchLabels: { kind: "catch-all" } }]));
  a.putPlacement("w|bad", ep("1", [{ matchExpressions: [{ key: "x", operator: "Bogus" }] }]));
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "st3" }), ["w|prod"]);
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "st4" }), ["w|dev"]);
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "st4", edge: "y" }).sort(), [
    "w|all",
    "w|dev",
  ]);
  assertEquals(a.ofSyncTarget("imw", { id: "st3" }, { id: "st4" }).sort(), ["w|dev", "w|prod"]);
  assertEquals(
    a.ofSyncTarget("other", undefined, { id: "st3" }),
    [],
    "another inventory workspace",
  );
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "nowhere" }), []);
  assertEquals(a.ofLocation(undefined, { env: "prod" }), ["w|prod"]);
  assertEquals(a.ofLocation({ env: "prod" }, { env: "dev" }).sort(), ["w|dev", "w|prod"]);
  a.removeLocation("imw", "st3");
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "st3" }), []);
  a.removePlacement("w|dev");
  assertEquals(a.ofSyncTarget("imw", undefined, { id: "st4" }), []);
});
