/**
 * End-to-end: the status summarizer on kcp-lite with the issue's example
 * (`commond-ready`) on the example1 topology (florin, guilder), the placement translator
 * projecting `commond` into both mailboxes and the test writing reported state into the
 * mailbox copies as the syncers' status return does. Covers: rows and broken following a
 * `readyReplicas` change on one edge only, a cluster leaving the placement, CEL errors in
 * the summarizer's conditions, limit truncation, and a summarizer deleted while running;
 * and the work is counted: one status change is one evaluation.
 */
import { STATUS_SUMMARIES, STATUS_SUMMARIZERS } from "../../lib/edge/api_types.ts";
import { StatusSummarizerController } from "../../lib/controllers/summarizer/status_summarizer.ts";
import { commondReadySummarizer } from "../../lib/quickstart/summary_step.ts";
import type { KubeObject, RestClient } from "../../lib/kube/rest_client.ts";
import { Logger } from "../../lib/log/logger.ts";
import { assertEquals, assertTrue } from "../support/assert.ts";
import {
  addLocation,
  addWmw,
  type Destination,
  eventually,
  getOrUndefined,
  putSlice,
  R,
  startHub,
} from "../lib/controllers/placement/translator_fixture.ts";
import { populateWmwC } from "../lib/controllers/placement/example1_workloads.ts";
import { PlacementTranslator } from "../../lib/controllers/placement/translator.ts";

type Summary = {
  rows: Record<string, unknown>[];
  broken: { cluster: string; namespace: string; name: string; reason: string }[];
  brokenCount: number;
  observedClusters: number;
  lastUpdateTime: string;
};

async function summaryOf(wmw: RestClient, name: string): Promise<Summary | undefined> {
  return (await getOrUndefined(wmw, { ...STATUS_SUMMARIES, name }))?.status as Summary | undefined;
}

/** Waits until the summary satisfies `ok`, returning it. */
function summaryWhere(wmw: RestClient, name: string, what: string, ok: (s: Summary) => boolean) {
  return eventually(what, async () => {
    const s = await summaryOf(wmw, name);
    return s && ok(s) ? s : undefined;
  });
}

/** Writes `status` into the copy of commond in `mb`, as the syncer's status return does. */
async function report(mb: Destination, status: Record<string, unknown>): Promise<void> {
  const ref = { ...R.deployments, namespace: "commonstuff", name: "commond" };
  const copy = await eventually(
    `commond in ${mb.locationName}`,
    () => getOrUndefined(mb.client, ref),
  );
  await mb.client.updateStatus(ref, { ...copy, status });
}

function conditionsOf(
  o: KubeObject | undefined,
): Record<string, { status: string; message: string }> {
  const out: Record<string, { status: string; message: string }> = {};
  for (
    const c of ((o?.status as { conditions?: { type: string; status: string; message: string }[] })
      ?.conditions ?? [])
  ) out[c.type] = c;
  return out;
}

Deno.test("status summarizer: the issue's example on florin and guilder", async (t) => {
  const hub = await startHub();
  const abort = new AbortController();
  let done: Promise<void> | undefined;
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const guilder = await addLocation(hub, "guilder", {
      "loc-name": "guilder",
      env: "prod",
      extended: "yes",
    });
    const { client: wmw } = await addWmw(hub, "wmw-c");
    await populateWmwC(wmw, [florin, guilder]);
    const quiet = () => new Logger("test", { write: () => {}, verbose: false });
    const translator = new PlacementTranslator({ client: hub.admin, log: quiet() });
    const translated = translator.run(abort.signal);
    const summarizer = new StatusSummarizerController({
      client: hub.admin,
      log: quiet(),
    });
    done = Promise.all([translated, summarizer.run(abort.signal)]).then(() => {});
    await wmw.create(STATUS_SUMMARIZERS, commondReadySummarizer());

    await t.step("before any status: two broken copies, not ready", async () => {
      const s = await summaryWhere(
        wmw,
        "commond-ready",
        "both copies summarized",
        (s) => s.observedClusters === 2,
      );
      assertEquals(s.rows, [{ group: { ready: false }, clusters: 2, readyReplicas: 0 }]);
      assertEquals(s.brokenCount, 2);
      assertEquals(s.broken.map((b) => b.cluster), ["florin", "guilder"]);
      assertEquals(s.broken[0].reason, "no status reported yet");
      assertEquals(s.broken[0].namespace, "commonstuff");
      assertTrue(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s.lastUpdateTime), s.lastUpdateTime);
      const c = conditionsOf(
        await getOrUndefined(wmw, { ...STATUS_SUMMARIZERS, name: "commond-ready" }),
      );
      assertEquals(c.ExpressionsValid?.status, "True");
      assertEquals(c.Ready?.status, "True");
    });

    await t.step("readyReplicas on guilder only: rows split, broken shrinks", async () => {
      await report(florin, { replicas: 1 });
      await summaryWhere(
        wmw,
        "commond-ready",
        "florin reported",
        (s) =>
          s.broken[0]?.reason ===
            "brokenWhen holds: " +
              (commondReadySummarizer().spec as { brokenWhen: string }).brokenWhen,
      );
      const before = summarizer.evaluations;
      await report(guilder, { replicas: 1, readyReplicas: 1 });
      const s = await summaryWhere(
        wmw,
        "commond-ready",
        "guilder ready",
        (s) => s.rows.length === 2,
      );
      assertEquals(s.rows, [
        { group: { ready: false }, clusters: 1, readyReplicas: 0 },
        { group: { ready: true }, clusters: 1, readyReplicas: 1 },
      ]);
      assertEquals(s.broken.map((b) => b.cluster), ["florin"]);
      assertEquals(s.brokenCount, 1);
      assertEquals(summarizer.evaluations - before, 1, "one changed copy, one evaluation");
      assertEquals(summarizer.copyWatches, 1, "bound Deployments: one wildcard watch");
    });

    await t.step("a cluster leaving the placement leaves the summary", async () => {
      await putSlice(wmw, "edge-placement-c", [guilder]);
      const s = await summaryWhere(
        wmw,
        "commond-ready",
        "florin gone",
        (s) => s.observedClusters === 1,
      );
      assertEquals(s.rows, [{ group: { ready: true }, clusters: 1, readyReplicas: 1 }]);
      assertEquals(s.broken, []);
      assertEquals(s.brokenCount, 0);
      await putSlice(wmw, "edge-placement-c", [florin, guilder]);
      await summaryWhere(wmw, "commond-ready", "florin back", (s) => s.observedClusters === 2);
    });

    await t.step("limit truncates the list and keeps the count", async () => {
      await report(guilder, { replicas: 1 });
      const body = commondReadySummarizer();
      body.metadata!.name = "one-broken";
      (body.spec as { limit: number }).limit = 1;
      await wmw.create(STATUS_SUMMARIZERS, body);
      const s = await summaryWhere(wmw, "one-broken", "both broken", (s) => s.brokenCount === 2);
      assertEquals(s.broken.length, 1);
      assertEquals(s.broken[0].cluster, "florin");
    });

    await t.step("invalid CEL is reported in the conditions, not a crash", async () => {
      const body = commondReadySummarizer();
      body.metadata!.name = "bad-cel";
      (body.spec as { groupBy: unknown[] }).groupBy = [{ name: "ready", def: "obj.status.(" }];
      await wmw.create(STATUS_SUMMARIZERS, body);
      const c = await eventually("conditions of bad-cel", async () => {
        const c = conditionsOf(
          await getOrUndefined(wmw, { ...STATUS_SUMMARIZERS, name: "bad-cel" }),
        );
        return c.ExpressionsValid ? c : undefined;
      });
      assertEquals(c.ExpressionsValid.status, "False");
      assertTrue(
        c.ExpressionsValid.message.includes("spec.groupBy[0].def: invalid CEL"),
        c.ExpressionsValid.message,
      );
      assertEquals(c.Ready.status, "False");
      const good = await summaryOf(wmw, "commond-ready");
      assertEquals(good?.observedClusters, 2, "the other summarizers go on");
    });

    await t.step("a summarizer deleted while running takes its summary along", async () => {
      await wmw.delete({ ...STATUS_SUMMARIZERS, name: "one-broken" });
      await eventually(
        "one-broken summary gone",
        async () =>
          (await getOrUndefined(wmw, { ...STATUS_SUMMARIES, name: "one-broken" })) === undefined,
      );
      await report(florin, { replicas: 1, readyReplicas: 1 });
      await report(guilder, { replicas: 1, readyReplicas: 1 });
      const s = await summaryWhere(
        wmw,
        "commond-ready",
        "both ready",
        (s) =>
          s.rows.length === 1 && s.rows[0].clusters === 2 &&
          (s.rows[0].group as { ready: boolean }).ready,
      );
      assertEquals(s.brokenCount, 0);
      assertEquals(
        await getOrUndefined(wmw, { ...STATUS_SUMMARIES, name: "one-broken" }),
        undefined,
      );
    });
  } finally {
    abort.abort();
    await done;
    await hub.stop();
  }
});
