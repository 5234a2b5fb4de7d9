import { assertEquals } from "../../../support/assert.ts";
import { SyncTargetIndex } from "../../../../lib/controllers/where/sync_target_index.ts";
import {
  type IndexedLocation,
  InstanceSelectorCache,
  resolvePlacement,
  sameDestinations,
} from "../../../../lib/controllers/where/where_resolution.ts";

function loc(cluster: string, name: string, labels: Record<string, string>): IndexedLocation {
  return { cluster, name, labels, instanceSelector: { matchLabels: { id: name } } };
}

function inventory(): { locations: IndexedLocation[]; index: SyncTargetIndex } {
  const index = new SyncTargetIndex();
  index.put({ cluster: "i1", name: "a", uid: "ua", labels: { id: "a" } });
  index.put({ cluster: "i1", name: "b", uid: "ub", labels: { id: "b", zone: "z" } });
  index.put({ cluster: "i2", name: "a", uid: "ua2", labels: { id: "a" } });
  index.put({ cluster: "i2", name: "c", uid: "uc", labels: { id: "c" } });
  return {
    index,
    locations: [
      loc("i1", "a", { env: "prod" }),
      loc("i1", "b", { env: "test" }),
      loc("i2", "c", { env: "prod" }),
    ],
  };
}

Deno.test("where: any selector selects a Location; SyncTargets only from its own IMW", () => {
  const { locations, index } = inventory();
  const r = resolvePlacement([{ matchLabels: { env: "prod" } }], locations, index);
  assertEquals(r.destinations, [
    { cluster: "i1", locationName: "a", syncTargetName: "a", syncTargetUID: "ua" },
    { cluster: "i2", locationName: "c", syncTargetName: "c", syncTargetUID: "uc" },
  ]);
  assertEquals(r.matchingLocationCount, 2);
  assertEquals(r.problems, []);
  const both = resolvePlacement(
    [
      { matchLabels: { env: "prod" } },
      { matchExpressions: [{ key: "env", operator: "In", values: ["test"] }] },
    ],
    locations,
    index,
  );
  assertEquals(both.destinations.map((d) => `${d.cluster}/${d.syncTargetName}`), [
    "i1/a",
    "i1/b",
    "i2/c",
  ]);
});

Deno.test("where: empty or missing selectors select nothing; {} selects every Location", () => {
  const { locations, index } = inventory();
  assertEquals(resolvePlacement([], locations, index).destinations, []);
  assertEquals(resolvePlacement(undefined, locations, index).matchingLocationCount, 0);
  assertEquals(resolvePlacement([{}], locations, index).matchingLocationCount, 3);
});

Deno.test("where: a Location without instanceSelector counts but selects no SyncTarget", () => {
  const { index } = inventory();
  const r = resolvePlacement(
    [{}],
    [{ cluster: "i1", name: "x", labels: {}, instanceSelector: null }],
    index,
  );
  assertEquals([r.matchingLocationCount, r.destinations.length], [1, 0]);
});

Deno.test("where: instanceSelector with expressions only scans the Location's IMW", () => {
  const { index } = inventory();
  const r = resolvePlacement([{}], [{
    cluster: "i1",
    name: "zoned",
    instanceSelector: { matchExpressions: [{ key: "zone", operator: "Exists" }] },
  }], index);
  assertEquals(r.destinations.map((d) => d.syncTargetUID), ["ub"]);
});

Deno.test("where: invalid selectors are problems, valid parts still resolve", () => {
  const { locations, index } = inventory();
  const bad = [...locations, {
    cluster: "i2",
    name: "broken",
    labels: { env: "prod" },
    instanceSelector: { matchExpressions: [{ key: "id", operator: "Bogus" as "In" }] },
  }];
  const r = resolvePlacement(
    [
      { matchLabels: { "not a key!": "x" } },
      { matchLabels: { env: "prod" } },
    ],
    bad,
    index,
  );
  assertEquals(r.destinations.map((d) => d.syncTargetUID), ["ua", "uc"]);
  assertEquals(r.matchingLocationCount, 3);
  assertEquals(r.problems.length, 2);
  assertEquals(r.problems[0].startsWith("Location broken (cluster i2): instanceSelector:"), true);
  assertEquals(r.problems[1].startsWith("spec.locationSelectors[0]:"), true);
});

Deno.test("where: index follows relabels and removals; selector cache follows versions", () => {
  const { locations, index } = inventory();
  const cache = new InstanceSelectorCache();
  index.put({ cluster: "i1", name: "a", uid: "ua", labels: { id: "other" } });
  index.remove("i2", "c");
  assertEquals(resolvePlacement([{}], locations, index, cache).destinations.length, 1);
  const l: IndexedLocation = { ...loc("i1", "b", {}), resourceVersion: "1" };
  assertEquals(resolvePlacement([{}], [l], index, cache).destinations.length, 1);
  const changed = {
    ...l,
    instanceSelector: { matchLabels: { id: "other" } },
    resourceVersion: "2",
  };
  assertEquals(
    resolvePlacement([{}], [changed], index, cache).destinations.map((d) => d.syncTargetName),
    ["a"],
  );
  assertEquals(index.size, 3);
});

Deno.test("where: sameDestinations ignores order, not duplicates", () => {
  const d1 = { cluster: "c", locationName: "l", syncTargetName: "s", syncTargetUID: "u" };
  const d2 = { ...d1, syncTargetName: "t", syncTargetUID: "v" };
  assertEquals(sameDestinations([d2, d1], [d1, d2]), true);
  assertEquals(sameDestinations([d1, d1, d2], [d1, d2]), false);
  assertEquals(sameDestinations(undefined, []), true);
  assertEquals(sameDestinations([d1], [d2]), false);
});
