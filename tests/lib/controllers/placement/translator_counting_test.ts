/**
 * The placement translator's work per event does not grow with what is already placed
 * (issue 12 item 6). With N = 10 and N = 1,000 placed objects on two mailboxes, the
 * counters (selector evaluations, reconciles, mailbox writes) are read before and
 * after each event once the translator is idle; no wall-clock time is asserted.
 *
 * - Objects no placement selects make no mailbox writes and no reconciles, and cost
 *   one selector evaluation per placement whose tests name their namespace (none
 *   elsewhere) — the same counts for both N.
 * - A change to one placed object writes its two copies and nothing else; a change
 *   its copies do not show (a stripped annotation) writes nothing.
 * - A Location change rewrites only the copies whose customization reads it, and
 *   projects only those again (forms that no destination customizes are shared).
 * - The first placement of the N objects keeps no more mailbox writes in flight than
 *   `writesInFlight` allows, both mailboxes together.
 */
import { PlacementTranslator } from "../../../../lib/controllers/placement/translator.ts";
import type { TranslatorCounters } from "../../../../lib/controllers/placement/translator_state.ts";
import { EDGE_API_VERSION } from "../../../../lib/edge/api_types.ts";
import type { KubeObject, RestClient } from "../../../../lib/kube/rest_client.ts";
import { Logger } from "../../../../lib/log/logger.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  addLocation,
  addWmw,
  type Destination,
  eventually,
  type Hub,
  putSlice,
  R,
  startHub,
} from "./translator_fixture.ts";

type Counts = TranslatorCounters;

function snapshot(t: PlacementTranslator): Counts {
  return { ...t.counters };
}

function delta(a: Counts, b: Counts): Counts {
  return {
    evaluations: b.evaluations - a.evaluations,
    mailboxReconciles: b.mailboxReconciles - a.mailboxReconciles,
    wmwReconciles: b.wmwReconciles - a.wmwReconciles,
    singletonReconciles: b.singletonReconciles - a.singletonReconciles,
    projections: b.projections - a.projections,
    writes: b.writes - a.writes,
  };
}

/** Waits until the translator's queue is empty and its counters stay put. */
async function settle(t: PlacementTranslator): Promise<void> {
  let last = "";
  let quiet = 0;
  await eventually("the translator is idle", () => {
    const now = JSON.stringify(t.counters);
    quiet = t.controller.queue.busy === 0 && now === last ? quiet + 1 : 0;
    last = now;
    return Promise.resolve(quiet >= 6);
  }, 60_000);
}

async function pool(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < n) await fn(next++);
  }));
}

function configMap(ns: string, name: string, extra: Partial<KubeObject["metadata"]> = {}) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: ns, ...extra },
    data: { v: name },
  };
}

async function countCopies(mb: Destination): Promise<number> {
  const list = await mb.client.list<KubeObject>({ ...R.configmaps, namespace: "placed" }, {
    labelSelector: "edge.kubestellar.io/projected=yes",
  });
  return list.items.length;
}

const WRITES_IN_FLIGHT = 3;

/** Places `n` ConfigMaps (one with parameter expansion) on two mailboxes; measures events. */
async function measure(
  n: number,
): Promise<{ counts: Record<string, Counts>; writeSlots: { peak: number; waited: number } }> {
  const hub: Hub = await startHub();
  const abort = new AbortController();
  let done: Promise<void> | undefined;
  try {
    const florin = await addLocation(hub, "florin", { env: "prod", "loc-name": "florin" });
    const guilder = await addLocation(hub, "guilder", { env: "prod", "loc-name": "guilder" });
    const { client: wmw } = await addWmw(hub, "wmw-n");
    for (const name of ["placed", "other"]) {
      await wmw.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
    const cms = (ns: string) => ({ ...R.configmaps, namespace: ns });
    await pool(
      n - 1,
      (i) =>
        wmw.create(cms("placed"), configMap("placed", `cm${i}`, { labels: { placed: "yes" } })),
    );
    await wmw.create(cms("placed"), {
      ...configMap("placed", "expanded", {
        labels: { placed: "yes" },
        annotations: { "edge.kubestellar.io/expand-parameters": "true" },
      }),
      data: { where: "%(loc-name)" },
    });
    await wmw.create(R.placements, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "ep" },
      spec: {
        locationSelectors: [{ matchLabels: { env: "prod" } }],
        downsync: [{
          apiGroup: "",
          resources: ["configmaps"],
          namespaces: ["placed"],
          labelSelectors: [{ matchLabels: { placed: "yes" } }],
        }],
      },
    });
    await putSlice(wmw, "ep", [florin, guilder]);
    const t = new PlacementTranslator({
      client: hub.admin,
      log: new Logger("pt", { write: () => {} }),
      writesInFlight: WRITES_IN_FLIGHT,
    });
    done = t.run(abort.signal);
    for (const mb of [florin, guilder]) {
      await eventually(
        `${n} copies in ${mb.locationName}`,
        async () => await countCopies(mb) === n,
        120_000,
      );
    }
    await settle(t);
    const out: Record<string, Counts> = {};
    const step = async (name: string, action: () => Promise<void>, seen: () => boolean) => {
      const before = snapshot(t);
      await action();
      await eventually(`${name} seen`, () => Promise.resolve(seen()));
      await settle(t);
      out[name] = delta(before, snapshot(t));
    };

    // Unselected: one in a namespace no placement names, then one without the label in
    // the placed namespace (watch events of one resource arrive in order, so once the
    // second was evaluated the first was handled too).
    let ev = t.counters.evaluations;
    await step("unselected creates", async () => {
      ev = t.counters.evaluations;
      await wmw.create(cms("other"), configMap("other", "stray"));
      await wmw.create(cms("placed"), configMap("placed", "unlabelled"));
    }, () => t.counters.evaluations > ev);

    const ref = { ...R.configmaps, namespace: "placed", name: "cm0" };
    let w = t.counters.writes;
    await step("placed object changed", async () => {
      w = t.counters.writes;
      await wmw.patch(ref, { data: { v: "changed" } }, "merge");
    }, () => t.counters.writes >= w + 2);

    ev = t.counters.evaluations;
    await step("invisible change", async () => {
      ev = t.counters.evaluations;
      await wmw.patch(ref, {
        metadata: { annotations: { "kubestellar.io/executing-count": "7" } },
      }, "merge");
    }, () => t.counters.evaluations > ev);

    w = t.counters.writes;
    await step("location relabelled", async () => {
      w = t.counters.writes;
      const imw = hub.admin.withCluster("root:imw1");
      await imw.patch({ ...R.locations, name: "florin" }, {
        metadata: { labels: { "loc-name": "florin-2" } },
      }, "merge");
      imw.close();
    }, () => t.counters.writes > w);
    const copy = await florin.client.get<KubeObject>({ ...ref, name: "expanded" });
    assertEquals((copy.data as Record<string, string>).where, "florin-2");
    await changedCopy(guilder.client);
    return { counts: out, writeSlots: { peak: t.writeSlots.peak, waited: t.writeSlots.waited } };
  } finally {
    abort.abort();
    await done;
    await hub.stop();
  }
}

async function changedCopy(client: RestClient): Promise<void> {
  const c = await client.get<KubeObject>({ ...R.configmaps, namespace: "placed", name: "cm0" });
  assertEquals((c.data as Record<string, string>).v, "changed");
}

Deno.test("placement translator: work per event is the same with 10 and with 1,000 placed objects", async () => {
  const { counts: small } = await measure(10);
  const { counts: large, writeSlots } = await measure(1000);
  const none = {
    mailboxReconciles: 0,
    wmwReconciles: 0,
    singletonReconciles: 0,
    projections: 0,
    writes: 0,
  };
  assertEquals(small["unselected creates"], { evaluations: 1, ...none });
  assertEquals(small["placed object changed"], {
    evaluations: 1,
    mailboxReconciles: 2,
    wmwReconciles: 0,
    singletonReconciles: 0,
    projections: 1,
    writes: 2,
  });
  assertEquals(small["invisible change"], {
    evaluations: 1,
    mailboxReconciles: 2,
    wmwReconciles: 0,
    singletonReconciles: 0,
    projections: 1,
    writes: 0,
  });
  assertEquals(small["location relabelled"], {
    evaluations: 0,
    mailboxReconciles: 1,
    wmwReconciles: 0,
    singletonReconciles: 0,
    projections: 1,
    writes: 1,
  });
  for (const [name, counts] of Object.entries(small)) {
    assertEquals(large[name], counts, `${name}: the same work with 1,000 placed objects`);
  }
  // 2 × 1,000 copies, up to 8 at once per mailbox: the shared limit held them back.
  assertEquals(writeSlots.peak, WRITES_IN_FLIGHT);
  assertTrue(writeSlots.waited > 0, "writes waited for a turn");
});
