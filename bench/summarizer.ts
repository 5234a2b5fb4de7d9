/**
 * Status summarizer figures on kcp-lite (kcp mode, in its own process): N clusters
 * (default 100; the first argument or `$KUBESTELLAR_BENCH_CLUSTERS`, e.g. 1000), each
 * mailbox holding 10 projected ConfigMaps with reported state (`data.ready`), one
 * EdgePlacement whose slice names the N destinations, and one StatusSummarizer over the
 * 10 objects. Printed:
 *
 * - the time until the first summary covers all N × 10 copies;
 * - one status change at a time (20 changes: a copy in a random mailbox turns broken,
 *   then is mended): p50/p99 from
 *   the write until a watch on the StatusSummary sees it reflected (target p99 ≤ 1 s at
 *   1,000 × 10), and the evaluations per change (1 = O(changed copies));
 * - the memory of this process (summarizer + bench client) and the summarizer's watches
 *   (one wildcard watch on the copies, whatever N).
 *
 * The mailbox copies are written directly, standing in for the placement translator's
 * projection and the syncers' status return.
 *
 * @module
 */
import { StatusSummarizerController } from "../lib/controllers/summarizer/status_summarizer.ts";
import { waitForBinding } from "../lib/core/api_bindings.ts";
import { edgeApiBinding, edgeApiExportObjects } from "../lib/edge/api_export.ts";
import {
  EDGE_API_VERSION,
  mailboxName,
  STATUS_SUMMARIES,
  STATUS_SUMMARIZERS,
} from "../lib/edge/api_types.ts";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, type RestClient, restClientFor } from "../lib/kube/rest_client.ts";
import { Logger } from "../lib/log/logger.ts";
import { ensureWorkspace } from "../tests/support/kcp_setup_objects.ts";
import { R } from "../tests/lib/controllers/placement/translator_fixture.ts";
import { countArgument } from "./bench_args.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import type { Benchmark } from "./registry.ts";
import { ms, percentile } from "./stats.ts";
import { pool } from "./pool.ts";

const OBJECTS = 10;
const CHANGES = 20;

async function bound(admin: RestClient, path: string, name: string): Promise<void> {
  const c = admin.withCluster(path);
  try {
    await c.create(R.bindings, edgeApiBinding(name, "root:espw"));
    await waitForBinding(c, name);
  } finally {
    c.close();
  }
}

const copy = (i: number, ready: boolean): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: `cm${i}`,
    namespace: "bench",
    labels: { "edge.kubestellar.io/projected": "yes" },
  },
  data: { ready: String(ready) },
});

type Status = { rows?: { group: { ready: boolean }; copies: number }[] };
const readyCount = (s: Status | undefined) =>
  s?.rows?.find((r) => r.group.ready === true)?.copies ?? 0;

async function run(n: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "summarizer-bench-" });
  const server = await startKcpLiteProcess(dir);
  const kc = await loadKubeconfig({
    kubeconfig: server.adminKubeconfigPath,
    context: "system:admin",
  });
  const admin = restClientFor(await kc.restConfig());
  const abort = new AbortController();
  let done: Promise<void> | undefined;
  try {
    await ensureWorkspace(admin, "root", "espw");
    const espw = admin.withCluster("root:espw");
    const { schemas, apiExport } = await edgeApiExportObjects();
    for (const s of schemas) await espw.create(R.schemas, s);
    await espw.create(R.exports, apiExport);
    espw.close();
    await ensureWorkspace(admin, "root", "wmw1");
    await bound(admin, "root:wmw1", "bind-espw");
    const wmw = admin.withCluster("root:wmw1");
    const dests = Array.from({ length: n }, (_, i) => ({
      cluster: "benchimw",
      locationName: `loc${i}`,
      syncTargetName: `st${i}`,
      syncTargetUID: crypto.randomUUID(),
    }));
    const mailboxes = dests.map((d) => mailboxName(d.cluster, d.syncTargetUID));
    const t0setup = performance.now();
    await pool(mailboxes, 16, async (mb) => {
      await ensureWorkspace(admin, "root:espw", mb);
      await bound(admin, `root:espw:${mb}`, "bind-edge");
      const c = admin.withCluster(`root:espw:${mb}`);
      try {
        await c.create(R.namespaces, {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "bench" },
        });
        for (let i = 0; i < OBJECTS; i++) {
          await c.create({ ...R.configmaps, namespace: "bench" }, copy(i, true));
        }
      } finally {
        c.close();
      }
    });
    console.log(`setup: ${n} mailboxes × ${OBJECTS} copies in ${ms(performance.now() - t0setup)}`);
    await wmw.create(R.placements, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "bench" },
      spec: {
        locationSelectors: [{}],
        downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["bench"] }],
      },
    });
    await wmw.create(R.slices, {
      apiVersion: EDGE_API_VERSION,
      kind: "SinglePlacementSlice",
      metadata: { name: "bench" },
      destinations: dests,
    });
    const summarizer = new StatusSummarizerController({
      client: admin,
      log: new Logger("status-summarizer", { write: () => {}, verbose: false }),
    });
    done = summarizer.run(abort.signal);
    await summarizer.ready;
    const t0 = performance.now();
    const created = wmw.create(STATUS_SUMMARIZERS, {
      apiVersion: EDGE_API_VERSION,
      kind: "StatusSummarizer",
      metadata: { name: "bench" },
      spec: {
        objects: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["bench"] }],
        groupBy: [{ name: "ready", def: "obj.data.ready == 'true'" }],
        combinedFields: [{ name: "copies", type: "COUNT" }],
        brokenWhen: "obj.data.ready != 'true'",
      },
    });
    let want = n * OBJECTS;
    let waiter: { resolve(at: number): void } | undefined;
    const check = (status: Status | undefined, at: number) => {
      if (waiter && readyCount(status) === want) {
        waiter.resolve(at);
        waiter = undefined;
      }
    };
    const reflected = () => {
      const p = Promise.withResolvers<number>();
      waiter = p;
      return p.promise;
    };
    const firstSeen = reflected();
    const watching = (async () => {
      const list = await wmw.list<KubeObject>(STATUS_SUMMARIES);
      const stream = await wmw.watch<KubeObject>(STATUS_SUMMARIES, {
        resourceVersion: list.metadata.resourceVersion,
        signal: abort.signal,
      });
      for (const o of list.items) check(o.status as Status, performance.now());
      for await (const ev of stream) {
        if (ev.object.metadata?.name === "bench") {
          check(ev.object.status as Status, performance.now());
        }
      }
    })().catch((e) => {
      if (!abort.signal.aborted) console.error(`watch of the summary failed: ${e}`);
    });
    await created;
    await firstSeen;
    console.log(`first summary of ${n * OBJECTS} copies in ${ms(performance.now() - t0)}`);
    const latencies: number[] = [];
    let evaluations = 0;
    let mb = mailboxes[0];
    for (let k = 0; k < CHANGES; k++) {
      if (k % 2 === 0) mb = mailboxes[Math.floor(Math.random() * n)]; // broken, then mended
      want += k % 2 === 0 ? -1 : 1;
      const c = admin.withCluster(`root:espw:${mb}`);
      const before = summarizer.evaluations;
      const target = { ...R.configmaps, namespace: "bench", name: "cm0" };
      const cur = await c.get<KubeObject>(target);
      const seen = reflected();
      const t = performance.now();
      await c.update(target, { ...copy(0, k % 2 !== 0), metadata: { ...cur.metadata } });
      c.close();
      latencies.push((await seen) - t);
      evaluations += summarizer.evaluations - before;
    }
    console.log(
      `one status change until the summary reflects it (${CHANGES} changes): p50 ${
        ms(percentile(latencies, 50))
      }, p99 ${ms(percentile(latencies, 99))} (target p99 <= 1 s at 1000 clusters x 10 objects)`,
    );
    console.log(
      `evaluations per change: ${(evaluations / CHANGES).toFixed(2)} (1 = O(changed copies))`,
    );
    const mem = Deno.memoryUsage();
    console.log(
      `memory of this process: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${
        (mem.heapUsed / 2 ** 20).toFixed(0)
      } MiB; ${summarizer.watches} watches (${summarizer.copyWatches} on mailbox copies)`,
    );
    abort.abort();
    await watching;
    wmw.close();
  } finally {
    abort.abort();
    await done;
    admin.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The summarizer benchmark. */
export const summarizerBench: Benchmark = {
  name: "summarizer",
  description: "status summarizer: N clusters x 10 objects, one status change until summarized",
  run: () => run(countArgument("KUBESTELLAR_BENCH_CLUSTERS", 100)),
};
