/**
 * What-if over an inventory of three clusters and two placements (the quickstart's
 * shape): label edits and selector edits give the gained and lost clusters with the
 * preview's reasons; bad input is a `WhatIfError`; the shared index is left as it was.
 *
 * @module
 */
import type { FleetModel } from "../../lib/ui/fleet_model.ts";
import { whatIf, WhatIfError } from "../../lib/ui/whatif.ts";
import { assertEquals, assertRejects } from "../support/assert.ts";

const IMW = "imw-id";
const WMW = "wmw-id";
const at = (cluster: string) => ({ "kcp.io/cluster": cluster });

function list<T>(items: T[]) {
  return { list: () => items };
}

function fakeModel(): FleetModel {
  const clusters: [string, Record<string, string>][] = [
    ["florin", { env: "prod" }],
    ["guilder", { env: "prod", extended: "yes" }],
    ["tahiti", { env: "test" }],
  ];
  const syncTargets = clusters.map(([name, labels]) => ({
    metadata: { name, uid: `uid-${name}`, labels: { id: name, ...labels }, annotations: at(IMW) },
  }));
  const locations = clusters.map(([name, labels]) => ({
    metadata: { name, labels, annotations: at(IMW), resourceVersion: "1" },
    spec: { instanceSelector: { matchLabels: { id: name } } },
  }));
  const placements = [
    ["edge-placement-c", { env: "prod" }],
    ["edge-placement-s", { env: "prod", extended: "yes" }],
  ].map(([name, matchLabels]) => ({
    metadata: { name, annotations: at(WMW), resourceVersion: "1" },
    spec: { locationSelectors: [{ matchLabels }] },
  }));
  const paths: Record<string, string> = { [IMW]: "root:imw1", [WMW]: "root:wmw1" };
  return {
    inputs: {
      syncTargets: list(syncTargets),
      locations: list(locations),
      placements: list(placements),
    },
    paths: { of: (id: string) => paths[id] ?? id },
    version: () => 1,
  } as unknown as FleetModel;
}

const names = (ds: { syncTarget: string }[]) => ds.map((d) => d.syncTarget);

Deno.test("what-if: a cluster's new labels change what placements select", () => {
  const model = fakeModel();
  const r = whatIf(model, {
    clusters: [{ imw: "root:imw1", name: "tahiti", labels: { id: "tahiti", env: "prod" } }],
  });
  assertEquals(r.unchanged, 1);
  assertEquals(r.results.length, 1);
  const c = r.results[0];
  assertEquals([c.name, c.wmw, c.edited, c.before, c.after], [
    "edge-placement-c",
    "root:wmw1",
    false,
    2,
    3,
  ]);
  assertEquals(names(c.added), ["tahiti"]);
  assertEquals(c.added[0].matchedBy, "locationSelectors[0]: env=prod");
  const lost = whatIf(model, {
    clusters: [{ imw: IMW, name: "guilder", labels: { id: "guilder", env: "qa" } }],
  });
  assertEquals(lost.results.map((x) => [x.name, names(x.removed)]), [
    ["edge-placement-c", ["guilder"]],
    ["edge-placement-s", ["guilder"]],
  ]);
  // Nothing stuck: without edits, nothing changes.
  assertEquals(whatIf(model, {}), { results: [], unchanged: 2 });
});

Deno.test("what-if: new location selectors, as strings or objects", () => {
  const model = fakeModel();
  const r = whatIf(model, {
    placements: [{
      wmw: "root:wmw1",
      name: "edge-placement-c",
      locationSelectors: ["env in (prod,test),!extended"],
    }],
  });
  const c = r.results[0];
  assertEquals([c.edited, c.before, c.after], [true, 2, 2]);
  assertEquals([names(c.added), names(c.removed)], [["tahiti"], ["guilder"]]);
  assertEquals(names(c.destinations!), ["florin", "tahiti"]);
  assertEquals(c.destinations![0].matchedBy, "locationSelectors[0]: env in (prod,test),!extended");
  const o = whatIf(model, {
    placements: [{
      wmw: WMW,
      name: "edge-placement-s",
      locationSelectors: [{ matchLabels: { env: "test" } }],
    }],
  });
  assertEquals(names(o.results[0].destinations!), ["tahiti"]);
});

Deno.test("what-if: bad requests are WhatIfErrors naming what is wrong", async () => {
  const model = fakeModel();
  const bad: [unknown, RegExp][] = [
    [[], /must be a JSON object/],
    [{ clusters: {} }, /must be lists/],
    [{ clusters: [{ imw: IMW, name: "nowhere", labels: {} }] }, /no SyncTarget nowhere/],
    [{ clusters: [{ imw: IMW, name: "florin", labels: { "bad key!": "x" } }] }, /label "bad key!"/],
    [{ clusters: [{ imw: IMW, name: "florin", labels: { a: 1 } }] }, /must be a string/],
    [
      { placements: [{ wmw: WMW, name: "edge-placement-c", locationSelectors: ["a!=b"] }] },
      /not a valid label selector operator/,
    ],
    [
      { placements: [{ wmw: WMW, name: "edge-placement-c", locationSelectors: [42] }] },
      /a selector is a string/,
    ],
    [{ placements: [{ wmw: WMW, name: "edge-placement-c" }] }, /must be a list/],
  ];
  for (const [request, message] of bad) {
    const e = await assertRejects(() => whatIf(model, request as never), message);
    assertEquals(e instanceof WhatIfError, true);
  }
});
