/**
 * `deno task bench soak [--minutes N]` (default 10): the quickstart's topology with every
 * part in its own process, under random churn of the workload (creates, updates and
 * deletes of placed ConfigMaps), with a fault every cycle, in turn: `kill -9` of the
 * controllers, of a syncer, of the core (restarted on its root directory and port), of
 * the other syncer. After each fault the churn stops and the fleet must converge:
 *
 * - recovery after each fault (p50 and worst, by kind of fault): from the moment the
 *   killed part is started again until a marker ConfigMap written then is on both edge
 *   clusters, while the churn goes on;
 * - time to converge once the churn stops (everything acknowledged is on the edges);
 * - lost = acknowledged writes missing from the hub, or copies missing after convergence;
 * - duplicated = copies where none belongs, and extra SinglePlacementSlices;
 * - RSS of each part after the first convergence and at the end (drift).
 *
 * @module
 */
import { Churn } from "../tests/support/fleet_churn.ts";
import { checkConvergence, waitForConvergence } from "../tests/support/fleet_convergence.ts";
import { FleetStage } from "../tests/support/fleet_stage.ts";
import {
  CONFIGMAPS,
  createWorkloadFrame,
  Ledger,
  WMW,
  WORKLOAD_NAMESPACES,
} from "../tests/support/fleet_workload.ts";
import { flagArgument } from "./bench_args.ts";
import { mib, rssBytes } from "./process_usage.ts";
import type { Benchmark } from "./registry.ts";
import { ms, percentile } from "./stats.ts";

/** How long the workload churns between two faults. */
const CHURN_MS = 15_000;
/** Writes per second while churning. */
const WRITES_PER_SECOND = 10;

type Fault = "controllers" | "syncer-florin" | "core" | "syncer-guilder";
const FAULTS: Fault[] = ["controllers", "syncer-florin", "core", "syncer-guilder"];

const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));

async function inject(stage: FleetStage, fault: Fault): Promise<void> {
  switch (fault) {
    case "controllers":
      await stage.killControllers();
      await sleep(500);
      await stage.startControllers();
      return;
    case "core":
      await stage.killCore();
      await sleep(1000);
      await stage.restartCore();
      // As with kcp, a restarted core writes a new kcp-admin token into admin.kubeconfig:
      // the operator copies it again before the next `kubestellar start`.
      await stage.refreshUserKubeconfig();
      return;
    default: {
      const edge = fault === "syncer-florin" ? "florin" : "guilder";
      await stage.killSyncer(edge);
      await sleep(2000);
      stage.startSyncer(edge);
    }
  }
}

/**
 * Writes a marker ConfigMap into the namespace placed on every cluster (retrying while
 * the hub is not back) and resolves to the milliseconds until both edge clusters have it.
 * Its name lacks the workload's prefix, so the ledger and the convergence checks ignore it.
 */
async function recovery(stage: FleetStage, cycle: number): Promise<number> {
  const start = performance.now();
  const namespace = WORKLOAD_NAMESPACES.all;
  const name = `soak-mark-${cycle}`;
  const marker = { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace, name } };
  for (;;) {
    try {
      await (await stage.hub(WMW)).create({ ...CONFIGMAPS, namespace }, marker);
      break;
    } catch (e) {
      if (performance.now() - start > 120_000) throw e;
      await sleep(50);
    }
  }
  for (const edge of ["florin", "guilder"] as const) {
    for (;;) {
      try {
        await (await stage.edge(edge)).get({ ...CONFIGMAPS, namespace, name });
        break;
      } catch (e) {
        if (performance.now() - start > 120_000) throw e;
        await sleep(25);
      }
    }
  }
  return performance.now() - start;
}

/** Churns at a steady rate until `stop` resolves. */
async function churnUntil(stage: FleetStage, churn: Churn, stop: Promise<void>): Promise<void> {
  let stopped = false;
  stop.then(() => stopped = true);
  while (!stopped) {
    const tick = sleep(1000 / WRITES_PER_SECOND);
    await churn.run(() => stage.hub(WMW), 1, 1);
    await tick;
  }
}

async function rssByPart(stage: FleetStage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const pids = await stage.pids();
  for (const [name, server] of Object.entries(stage.edges)) {
    if (server.pid) pids[`edge-${name}`] = server.pid;
  }
  for (const [name, pid] of Object.entries(pids)) out[name] = await rssBytes(pid).catch(() => 0);
  return out;
}

async function soak(minutes: number): Promise<void> {
  const stage = await FleetStage.start();
  let failed = false;
  try {
    const ledger = new Ledger();
    const churn = new Churn(ledger, 2026, 60);
    await createWorkloadFrame(await stage.hub(WMW));
    await churn.run(() => stage.hub(WMW), 60);
    await waitForConvergence(stage, ledger, 120_000);
    const rssStart = await rssByPart(stage);
    const deadline = performance.now() + minutes * 60_000;
    const times = new Map<Fault, number[]>(FAULTS.map((f) => [f, []]));
    const recoveries = new Map<Fault, number[]>(FAULTS.map((f) => [f, []]));
    let lost = 0;
    let duplicated = 0;
    for (let cycle = 0; performance.now() < deadline; cycle++) {
      const fault = FAULTS[cycle % FAULTS.length];
      const done = Promise.withResolvers<void>();
      const churning = churnUntil(stage, churn, done.promise);
      await sleep(CHURN_MS / 2);
      await inject(stage, fault);
      const recovered = recovery(stage, cycle);
      await sleep(CHURN_MS / 2);
      done.resolve();
      await churning;
      let recoveredIn = NaN;
      try {
        recoveredIn = await recovered;
        recoveries.get(fault)!.push(recoveredIn);
      } catch (e) {
        console.log(
          `cycle ${cycle + 1} (${fault}): no recovery: ${e instanceof Error ? e.message : e}`,
        );
      }
      try {
        times.get(fault)!.push(await waitForConvergence(stage, ledger, 120_000));
      } catch (e) {
        console.log(`cycle ${cycle} (${fault}): ${e instanceof Error ? e.message : e}`);
      }
      const report = await checkConvergence(stage, ledger);
      lost += report.lost.length;
      duplicated += report.duplicated.length + report.stale.length;
      console.log(
        `cycle ${cycle + 1}: kill -9 ${fault}; recovered in ${ms(recoveredIn)}; converged in ${
          ms(times.get(fault)!.at(-1) ?? NaN)
        } after the churn stopped; lost ${report.lost.length}, duplicated/stale ${
          report.duplicated.length + report.stale.length
        }`,
      );
    }
    const rssEnd = await rssByPart(stage);
    console.log(
      `${minutes} min: ${ledger.counts.acknowledged} writes acknowledged, ` +
        `${ledger.counts.failed} failed while the core was down`,
    );
    for (const [fault, values] of recoveries) {
      if (values.length === 0) continue;
      console.log(
        `recovery after kill -9 ${fault} (restart → a new write on both edges): p50 ${
          ms(percentile(values, 50))
        }, worst ${ms(Math.max(...values))} (${values.length} faults)`,
      );
    }
    for (const [fault, values] of times) {
      if (values.length === 0) continue;
      console.log(
        `time to converge once the churn stopped, kill -9 ${fault}: p50 ${
          ms(percentile(values, 50))
        }, worst ${ms(Math.max(...values))} (${values.length} faults)`,
      );
    }
    console.log(`lost ${lost}, duplicated ${duplicated} (both must be 0)`);
    for (const part of Object.keys(rssEnd)) {
      console.log(`RSS ${part}: ${mib(rssStart[part] ?? 0)} → ${mib(rssEnd[part])}`);
    }
    failed = lost + duplicated > 0;
  } finally {
    await stage.close(failed);
  }
}

/** The soak benchmark. */
export const soakBench: Benchmark = {
  name: "soak",
  description: "random churn with a kill -9 every cycle (controllers, syncers, core): " +
    "time to converge after each fault, lost = 0, duplicated = 0, RSS drift " +
    "(--minutes N, default 10)",
  run: () => soak(flagArgument("minutes", 10)),
};
