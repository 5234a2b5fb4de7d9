/**
 * Recomputing pending mailboxes from listed copies (`flushPending`) against a scripted
 * reader: feed events that arrive while the list runs win over the list, a mailbox that
 * left loses its copies without a list, an unlisted feed is not listed again, a failed
 * list leaves the work pending, and each copy costs one evaluation.
 */
import type { KubeObject } from "../../../../lib/controller/list_watch.ts";
import type { CopySource } from "../../../../lib/controllers/summarizer/copy_source.ts";
import {
  type CopyReader,
  flushPending,
} from "../../../../lib/controllers/summarizer/pending_rebuild.ts";
import { WmwSummaries } from "../../../../lib/controllers/summarizer/wmw_summaries.ts";
import { type EdgePlacement, mailboxName } from "../../../../lib/edge/api_types.ts";
import { assertEquals, assertRejects } from "../../../support/assert.ts";

const CM: CopySource = { group: "", version: "v1", resource: "configmaps" };
const cm = (name: string, ready: boolean): KubeObject => ({
  metadata: { namespace: "ns", name },
  data: { ready: String(ready) },
});
const MB1 = mailboxName("imw", "uid1");
const MB2 = mailboxName("imw", "uid2");
const info = (mb: string) => ({ name: mb, location: mb, labels: {} });

async function workspace(mailboxes: string[]): Promise<WmwSummaries> {
  const wmw = new WmwSummaries("wmw");
  const ep = {
    metadata: { name: "ep" },
    spec: { downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["ns"] }] },
  } as unknown as EdgePlacement;
  wmw.setPlacements(
    [ep],
    () =>
      mailboxes.map((mb) => ({
        cluster: mb.split("-mb-")[0],
        locationName: mb,
        syncTargetName: mb,
        syncTargetUID: mb.split("-mb-")[1],
      })),
    () => {},
  );
  await wmw.setSummarizers([{
    metadata: { name: "s", uid: "u1" },
    spec: {
      objects: [{ apiGroup: "", resources: ["configmaps"] }],
      groupBy: [{ name: "ready", def: "obj.data.ready == 'true'" }],
      combinedFields: [{ name: "n", type: "COUNT" }],
    },
  }], () => Promise.resolve({ resources: [CM], missing: [] }));
  return wmw;
}

/** A reader listing `items` per mailbox, running `during` while "the list runs". */
function reader(
  items: Record<string, KubeObject[]>,
  during: (touch: (mb: string, key: string) => void) => void = () => {},
  listed = true,
): CopyReader & { lists: number } {
  return {
    lists: 0,
    listed: () => listed,
    snapshot(_s, mailboxes, visit) {
      this.lists++;
      const touched = new Set<string>();
      during((mb, key) => touched.add(`${mb}|/configmaps|${key}`));
      for (const mb of mailboxes) {
        for (const o of items[mb] ?? []) {
          const key = `ns/${o.metadata!.name}`;
          if (!touched.has(`${mb}|/configmaps|${key}`)) visit(mb, key, o);
        }
      }
      return Promise.resolve(touched);
    },
  };
}

const rowsOf = (wmw: WmwSummaries) => wmw.summarizers.get("s")!.state.rows();

Deno.test("flushPending: feed events during the list win; one evaluation per copy", async () => {
  const mb = MB1;
  const wmw = await workspace([mb]);
  const name = (k: string) => k.slice(k.indexOf("ns/") + 3);
  wmw.pend(mb);
  const r = reader({ [mb]: [cm("a", false), cm("b", false)] }, (touch) => {
    // The feed reports a newer `a` and a new `c` while the list is on its way.
    for (const o of [cm("a", true), cm("c", true)]) {
      touch(mb, `ns/${o.metadata!.name}`);
      wmw.apply(mb, CM, `ns/${o.metadata!.name}`, o, info);
    }
  });
  const changed = await flushPending(wmw, r, info);
  assertEquals([...changed].map((e) => e.name), ["s"]);
  assertEquals(rowsOf(wmw), [
    { group: { ready: false }, n: 1 },
    { group: { ready: true }, n: 2 },
  ]);
  assertEquals(wmw.summarizers.get("s")!.state.keys().map(name).sort(), ["a", "b", "c"]);
  assertEquals(wmw.evaluations, 3, "a and c from the feed, b from the list");
  assertEquals(wmw.pending.size, 0);
});

Deno.test("flushPending: a mailbox that left loses its copies without a list", async () => {
  const wmw = await workspace([MB1, MB2]);
  wmw.pend(MB1);
  wmw.pend(MB2);
  await flushPending(wmw, reader({ [MB1]: [cm("a", true)], [MB2]: [cm("a", false)] }), info);
  assertEquals(wmw.summarizers.get("s")!.state.observedClusters(), 2);
  const { before } = wmw.setPlacements([], () => [], () => {});
  wmw.pendMembership(before, false, []);
  const r = reader({});
  await flushPending(wmw, r, info);
  assertEquals(r.lists, 0);
  assertEquals(wmw.summarizers.get("s")!.state.size, 0);
});

Deno.test("flushPending: a feed that has not listed yet is left to its first list", async () => {
  const wmw = await workspace([MB1]);
  wmw.pend(MB1);
  const r = reader({ [MB1]: [cm("a", true)] }, undefined, false);
  await flushPending(wmw, r, info);
  assertEquals(r.lists, 0);
  assertEquals(wmw.evaluations, 0);
});

Deno.test("flushPending: a failed list leaves the work pending", async () => {
  const wmw = await workspace([MB1]);
  wmw.pend(MB1, ["s"]);
  const failing: CopyReader = {
    listed: () => true,
    snapshot: () => Promise.reject(new Error("connection refused")),
  };
  await assertRejects(() => flushPending(wmw, failing, info));
  assertEquals([...wmw.pending.entries()].map(([mb, n]) => [mb, [...n]]), [[MB1, ["s"]]]);
  await flushPending(wmw, reader({ [MB1]: [cm("a", true)] }), info);
  assertEquals(rowsOf(wmw), [{ group: { ready: true }, n: 1 }]);
});
