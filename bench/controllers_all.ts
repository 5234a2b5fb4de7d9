/**
 * The three central controllers as `kubestellar start` runs them: one process
 * (`kubestellar controller all`, with the V8 flags `start` gives it), on kcp-lite in
 * kcp mode. Figures:
 *
 * - resident memory idle, once N SyncTargets (default 1,000; first argument or
 *   `$KUBESTELLAR_BENCH_SYNC_TARGETS`) all have Ready, bound mailboxes, and once 10
 *   ConfigMaps placed on all N are in every mailbox (10·N projected copies) — the
 *   issue's "controller memory at 1,000 SyncTargets ≤ 200 MiB in all";
 * - the time to each of those states.
 *
 * Memory is the process's own `process_resident_memory_bytes` from its `/metrics`.
 *
 * @module
 */
import type { Benchmark } from "./registry.ts";
import { countArgument } from "./bench_args.ts";
import { controllerV8Flags } from "../lib/core/controllers_launch.ts";
import type { KubeObject } from "../lib/kube/rest_client.ts";
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
  readyMailboxes,
  startBenchEdge,
  startControllerProcess,
  stopProcess,
} from "./controller_bench_support.ts";

const OBJECTS = 10;
const CM = { version: "v1", resource: "configmaps" };
const NS = { version: "v1", resource: "namespaces" };

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
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
      v8Flags: controllerV8Flags(Deno.env.get("KUBESTELLAR_BENCH_V8_FLAGS")),
    });
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
      await waitFor(
        `${n} Ready mailboxes`,
        async () => await readyMailboxes(espw, wildcard) === n,
        900_000,
      );
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
    } finally {
      await stopProcess(child);
      await bench.stop();
    }
  },
};
