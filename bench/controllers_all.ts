/**
 * The three central controllers as `kubestellar start` runs them: one process
 * (`kubestellar controller all`, with the V8 flags `start` gives it), on kcp-lite in
 * kcp mode. Figures:
 *
 * - resident memory idle, once N SyncTargets (default 1,000; first argument or
 *   `$KUBESTELLAR_BENCH_SYNC_TARGETS`) all have Ready, bound mailboxes, and once 10
 *   ConfigMaps placed on all N are in every mailbox (10·N projected copies) — the
 *   issue's "controller memory at 1,000 SyncTargets ≤ 200 MiB in all";
 * - the time to each of those states;
 * - propagation of one object change to all N mailboxes, p50/p99 over 5 changes, seen
 *   by one wildcard watch (target p99 <= 500 ms at 100).
 *
 * Memory is the process's own `process_resident_memory_bytes` from its `/metrics`.
 *
 * @module
 */
import { mib } from "./process_usage.ts";
import type { Benchmark } from "./registry.ts";
import { countArgument } from "./bench_args.ts";
import { withTightHeap } from "../lib/process/v8_flags.ts";
import type { KubeObject, RestClient } from "../lib/kube/rest_client.ts";
import { ms, percentile } from "./stats.ts";
import { EDGE_KEYS } from "../lib/edge/api_types.ts";
import {
  putEdgePlacement,
  putSyncTargetAndLocation,
  waitFor,
} from "../tests/support/edge_fixtures.ts";
import {
  controllerReady,
  freePort,
  metric,
  startBenchEdge,
  startControllerProcess,
  stopProcess,
} from "./controller_bench_support.ts";
import { MailboxReadiness } from "./mailbox_readiness.ts";

const OBJECTS = 10;
const CM = { version: "v1", resource: "configmaps" };
const NS = { version: "v1", resource: "namespaces" };

/**
 * Changes one placed object 5 times and times each copy's arrival, observed with one
 * wildcard watch of projected ConfigMaps.
 */
async function propagation(wmw: RestClient, wildcard: RestClient, n: number): Promise<void> {
  const selector = { labelSelector: `${EDGE_KEYS.projected}=yes` };
  const list = await wildcard.list<KubeObject>(CM, selector);
  const abort = new AbortController();
  const latencies: number[] = [];
  let changeAt = 0;
  let value = "";
  const stream = await wildcard.watch<KubeObject>(CM, {
    ...selector,
    resourceVersion: list.metadata.resourceVersion,
    signal: abort.signal,
  });
  const watching = (async () => {
    for await (const ev of stream) {
      const o = ev.object;
      if (
        ev.type === "MODIFIED" && o.metadata?.name === "cm0" &&
        (o.data as Record<string, string> | undefined)?.v === value
      ) latencies.push(performance.now() - changeAt);
    }
  })().catch((e) => {
    if (!abort.signal.aborted) throw e;
  });
  const lastPerChange: number[] = [];
  try {
    for (let round = 1; round <= 5; round++) {
      const before = latencies.length;
      value = `changed-${round}`;
      changeAt = performance.now();
      await wmw.patch({ ...CM, namespace: "bench", name: "cm0" }, { data: { v: value } }, "merge");
      await waitFor(
        `change ${round} in ${n} mailboxes`,
        () => latencies.length - before >= n,
        120_000,
      );
      lastPerChange.push(Math.max(...latencies.slice(before)));
    }
  } finally {
    abort.abort();
    await watching;
  }
  console.log(
    `one object change to ${n} mailboxes (5 changes): p50 ${ms(percentile(latencies, 50))}, ` +
      `p99 ${ms(percentile(latencies, 99))} (target p99 <= 500 ms at 100); ` +
      `last mailbox per change: ${lastPerChange.map(ms).join(", ")}`,
  );
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The benchmark. */
export const controllersAll: Benchmark = {
  name: "controllers-all",
  description:
    "the three controllers in one process (as `kubestellar start` runs them): memory at N " +
    "SyncTargets with 10 objects placed on all (target: <= 200 MiB at 1,000)",
  async run() {
    const n = countArgument("KUBESTELLAR_BENCH_SYNC_TARGETS", 1000);
    const bench = await startBenchEdge("bench-controllers-");
    const { edge, espw, wildcard } = bench;
    const port = freePort();
    const child = startControllerProcess("all", bench.kubeconfigPath, port, {
      v8Flags: withTightHeap(Deno.env.get("KUBESTELLAR_BENCH_V8_FLAGS")),
    });
    const readiness = await MailboxReadiness.start(espw, wildcard);
    try {
      await controllerReady(port);
      const idle = await metric(port, "process_resident_memory_bytes");
      console.log(`controllers process idle and ready: RSS ${mib(idle)}`);

      const imw = edge.workspace("root:imw1");
      const t0 = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < n) await putSyncTargetAndLocation(imw, `st-${next++}`, { bench: "yes" });
      }));
      await readiness.until(n, 900_000);
      const mailboxesAt = performance.now() - t0;
      const atMailboxes = await metric(port, "process_resident_memory_bytes");
      console.log(
        `${n} SyncTargets with Ready, bound mailboxes after ${secs(mailboxesAt)}: ` +
          `RSS ${mib(atMailboxes)}`,
      );

      const wmw = edge.workspace("root:wmw1");
      await wmw.create(NS, { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } });
      for (let i = 0; i < OBJECTS; i++) {
        await wmw.create({ ...CM, namespace: "bench" }, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `cm${i}`, namespace: "bench" },
          data: { v: "0" },
        });
      }
      const t1 = performance.now();
      await putEdgePlacement(wmw, "all", [{ matchLabels: { bench: "yes" } }], {
        downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["bench"] }],
      });
      const copies = OBJECTS * n;
      await waitFor(`${copies} projected ConfigMaps`, async () => {
        const list = await wildcard.list<KubeObject>(CM, {
          labelSelector: `${EDGE_KEYS.projected}=yes`,
        });
        return list.items.filter((o) => o.metadata?.namespace === "bench").length === copies;
      }, 900_000);
      const placedAt = performance.now() - t1;
      const placed = await metric(port, "process_resident_memory_bytes");
      const heap = await metric(port, "kubestellar_heap_used_bytes");
      console.log(
        `${OBJECTS} objects on all ${n} (${copies} copies) after ${secs(placedAt)}: ` +
          `RSS ${mib(placed)}, JS heap in use ${mib(heap)}`,
      );
      await new Promise((r) => setTimeout(r, 5000));
      const settled = await metric(port, "process_resident_memory_bytes");
      console.log(
        `5 s later: RSS ${mib(settled)} — all three controllers, target <= 200 MiB ` +
          `(${settled <= 200 * 2 ** 20 ? "met" : "NOT met"})`,
      );
      await propagation(wmw, wildcard, n);
      const after = await metric(port, "process_resident_memory_bytes");
      const heapAfter = await metric(port, "kubestellar_heap_used_bytes");
      console.log(`after the changes: RSS ${mib(after)}, JS heap in use ${mib(heapAfter)}`);
    } finally {
      readiness.stop();
      await stopProcess(child);
      await bench.stop();
    }
  },
};
