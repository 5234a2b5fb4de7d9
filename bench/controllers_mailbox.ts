/**
 * The mailbox controller at scale: time until N SyncTargets (default 200; `deno task
 * bench controllers-mailbox 1000` for 1,000) all have Ready, bound mailbox workspaces,
 * and the controller process's resident memory at that point; then the time a freshly
 * started controller needs to find everything in place (no writes); then the
 * where-resolver's time to resolve one EdgePlacement selecting all N and its memory.
 *
 * `KUBESTELLAR_BENCH_CONCURRENCY` sets `--concurrency` (default 4);
 * `KUBESTELLAR_BENCH_V8_FLAGS` is passed to the controllers as `DENO_V8_FLAGS` (e.g.
 * `--max-semi-space-size=1`, a smaller young generation).
 *
 * kcp-lite runs in this process; the controller runs as its own process
 * (`kubestellar controller mailbox-controller`), read through its `/metrics`.
 *
 * @module
 */
import type { Benchmark } from "./registry.ts";
import { countArgument } from "./bench_args.ts";
import type { SinglePlacementSlice } from "../lib/edge/api_types.ts";
import {
  type EdgeFixture,
  putEdgePlacement,
  putSyncTargetAndLocation,
  SPS,
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

/** `kubestellar controller <name>` with the benchmark's concurrency and V8 flags. */
function startController(name: string, kubeconfig: string, port: number): Deno.ChildProcess {
  return startControllerProcess(name, kubeconfig, port, {
    v8Flags: Deno.env.get("KUBESTELLAR_BENCH_V8_FLAGS"),
    extraArgs: ["--concurrency", Deno.env.get("KUBESTELLAR_BENCH_CONCURRENCY") ?? "4"],
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The where-resolver on the same inventory: one EdgePlacement selecting all N. */
async function whereResolverFigures(
  edge: EdgeFixture,
  kubeconfig: string,
  n: number,
  mailboxRss: number,
): Promise<void> {
  const wmw = edge.workspace("root:wmw1");
  await putEdgePlacement(wmw, "all", [{ matchLabels: { bench: "yes" } }]);
  const port = freePort();
  const t0 = performance.now();
  const child = startController("where-resolver", kubeconfig, port);
  try {
    await waitFor(`a SinglePlacementSlice with ${n} destinations`, async () => {
      try {
        const sps = await wmw.get<SinglePlacementSlice>({ ...SPS, name: "all" });
        return sps.destinations.length === n;
      } catch {
        return false;
      }
    }, 600_000);
    const resolved = performance.now() - t0;
    const rss = await metric(port, "process_resident_memory_bytes");
    console.log(
      `where-resolver: started and resolved 1 placement to ${n} destinations in ` +
        `${fmt(resolved)} ms (process start included); RSS ${fmt(rss / 2 ** 20, 1)} MiB; ` +
        `mailbox controller + where-resolver: ${fmt((rss + mailboxRss) / 2 ** 20, 1)} MiB`,
    );
  } finally {
    await stopProcess(child);
  }
}

/** The benchmark. */
export const controllersMailbox: Benchmark = {
  name: "controllers-mailbox",
  description:
    "mailbox controller: time until N SyncTargets have Ready mailboxes, controller RSS " +
    "(each controller in its own process; controllers-all measures them as start runs them)",
  async run() {
    const n = countArgument("KUBESTELLAR_BENCH_SYNC_TARGETS", 200);
    const bench = await startBenchEdge("bench-mailbox-");
    const { edge, espw, wildcard } = bench;
    const kubeconfig = bench.kubeconfigPath;
    const port = freePort();
    let child = startController("mailbox-controller", kubeconfig, port);
    const readiness = await MailboxReadiness.start(espw, wildcard);
    try {
      await controllerReady(port);
      const idleRss = await metric(port, "process_resident_memory_bytes");
      const imw = edge.workspace("root:imw1");
      const t0 = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < n) {
          const i = next++;
          await putSyncTargetAndLocation(imw, `st-${i}`, { bench: "yes" });
        }
      }));
      const created = performance.now() - t0;
      await readiness.until(n, 600_000);
      const converged = performance.now() - t0;
      const rss = await metric(port, "process_resident_memory_bytes");
      const heap = await metric(port, "kubestellar_heap_used_bytes");
      const reconciles = await metric(port, "kubestellar_reconcile_total");
      console.log(`SyncTargets (+ Locations) created: ${n} in ${fmt(created)} ms`);
      console.log(
        `all ${n} mailboxes Ready and bound: ${fmt(converged)} ms after the first create ` +
          `(${fmt(n / (converged / 1000), 1)} mailboxes/s)`,
      );
      console.log(
        `controller RSS: ${fmt(rss / 2 ** 20, 1)} MiB at ${n} (idle ${
          fmt(idleRss / 2 ** 20, 1)
        } MiB), JS heap in use ${fmt(heap / 2 ** 20, 1)} MiB; reconciles: ${reconciles}`,
      );
      await stopProcess(child);
      const t1 = performance.now();
      child = startController("mailbox-controller", kubeconfig, port);
      await controllerReady(port);
      const resynced = performance.now() - t1;
      const writesBefore = readiness.count();
      console.log(
        `restarted controller ready with everything in place: ${fmt(resynced)} ms ` +
          `(process start + list; ${writesBefore} mailboxes still Ready)`,
      );
      await whereResolverFigures(edge, kubeconfig, n, rss);
    } finally {
      readiness.stop();
      await stopProcess(child).catch(() => {});
      await bench.stop();
    }
  },
};
