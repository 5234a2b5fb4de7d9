/**
 * The mailbox controller at scale: time until N SyncTargets (default 200; `deno task
 * bench controllers-mailbox 1000` for 1,000) all have Ready, bound mailbox workspaces,
 * and the controller process's resident memory at that point; then the time a freshly
 * started controller needs to find everything in place (no writes); then the
 * where-resolver's time to resolve one EdgePlacement selecting all N and its memory.
 *
 * `KUBESTELLAR_BENCH_CONCURRENCY` sets `--concurrency` (default 4);
 * `KUBESTELLAR_BENCH_V8_FLAGS` is passed to the controllers as `DENO_V8_FLAGS` (e.g.
 * `--max-semi-space-size=1`, which keeps the young generation small).
 *
 * kcp-lite runs in this process; the controller runs as its own process
 * (`kubestellar controller mailbox-controller`), read through its `/metrics`.
 *
 * @module
 */
import type { Benchmark } from "./registry.ts";
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import { Logger } from "../lib/log/logger.ts";
import type { KubeObject, RestClient } from "../lib/kube/rest_client.ts";
import type { SinglePlacementSlice } from "../lib/edge/api_types.ts";
import {
  API_BINDINGS,
  type EdgeFixture,
  putEdgePlacement,
  putSyncTargetAndLocation,
  setUpEdge,
  SPS,
  waitFor,
  WORKSPACES,
} from "../tests/support/edge_fixtures.ts";

const MAIN_TS = new URL("../main.ts", import.meta.url).pathname;

function syncTargetCount(): number {
  const arg = Deno.args.find((a) => /^\d+$/.test(a));
  return Number(arg ?? Deno.env.get("KUBESTELLAR_BENCH_SYNC_TARGETS") ?? 200);
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Counts mailboxes whose workspace is Ready and whose bind-edge is Bound. */
async function readyMailboxes(espw: RestClient, wildcard: RestClient): Promise<number> {
  const [wss, bindings] = await Promise.all([
    espw.list<KubeObject>(WORKSPACES),
    wildcard.list<KubeObject>(API_BINDINGS, { fieldSelector: "metadata.name=bind-edge" }),
  ]);
  const bound = new Set(
    bindings.items.filter((b) => (b.status as { phase?: string })?.phase === "Bound")
      .map((b) => b.metadata?.annotations?.["kcp.io/cluster"]),
  );
  return wss.items.filter((w) =>
    w.metadata?.name?.includes("-mb-") && (w.status as { phase?: string })?.phase === "Ready" &&
    bound.has((w.spec as { cluster?: string })?.cluster)
  ).length;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

function startControllerProcess(
  name: string,
  kubeconfig: string,
  port: number,
): Deno.ChildProcess {
  const v8Flags = Deno.env.get("KUBESTELLAR_BENCH_V8_FLAGS");
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN_TS,
      "controller",
      name,
      "--kubeconfig",
      kubeconfig,
      "--metrics-bind-address",
      `127.0.0.1:${port}`,
      "--concurrency",
      Deno.env.get("KUBESTELLAR_BENCH_CONCURRENCY") ?? "4",
    ],
    env: v8Flags ? { DENO_V8_FLAGS: v8Flags } : {},
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function ready(port: number): Promise<void> {
  await waitFor("controller /readyz", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    await res.body?.cancel();
    return res.ok;
  }, 60_000);
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await child.status;
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
  const child = startControllerProcess("where-resolver", kubeconfig, port);
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
    await stop(child);
  }
}

/** The benchmark. */
export const controllersMailbox: Benchmark = {
  name: "controllers-mailbox",
  description:
    "mailbox controller: time until N SyncTargets have Ready mailboxes, controller RSS " +
    "(targets: 1,000 SyncTargets; <= 200 MiB for all controllers)",
  async run() {
    const n = syncTargetCount();
    const dir = await Deno.makeTempDir({ prefix: "bench-mailbox-" });
    const server = await startKcpLite({
      rootDirectory: dir,
      securePort: 0,
      mode: "kcp",
      logger: new Logger("kcp-lite", { write: () => {} }),
    });
    const edge = await setUpEdge(server.adminKubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
    const espw = edge.workspace(edge.espwPath);
    const wildcard = edge.admin.withCluster("*");
    const port = freePort();
    let child = startControllerProcess("mailbox-controller", server.adminKubeconfigPath, port);
    try {
      await ready(port);
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
      await waitFor(
        `${n} Ready mailboxes`,
        async () => await readyMailboxes(espw, wildcard) === n,
        600_000,
      );
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
      await stop(child);
      const t1 = performance.now();
      child = startControllerProcess("mailbox-controller", server.adminKubeconfigPath, port);
      await ready(port);
      const resynced = performance.now() - t1;
      const writesBefore = await readyMailboxes(espw, wildcard);
      console.log(
        `restarted controller ready with everything in place: ${fmt(resynced)} ms ` +
          `(process start + list; ${writesBefore} mailboxes still Ready)`,
      );
      await whereResolverFigures(edge, server.adminKubeconfigPath, n, rss);
    } finally {
      await stop(child).catch(() => {});
      wildcard.close();
      edge.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
