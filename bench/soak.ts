/**
 * `deno task bench soak [--minutes N]` (default 10): the quickstart's topology with every
 * part in its own process, under random churn of the workload (creates, updates and
 * deletes of placed ConfigMaps), with a fault every cycle, in turn: `kill -9` of the
 * controllers, of a syncer, of the core (restarted on its root directory and port), of
 * the other syncer. After each fault the churn stops and the fleet must converge:
 *
 * - time to converge after each fault (p50 and worst, by kind of fault);
 * - lost = acknowledged writes missing from the hub, or copies missing after convergence;
 * - duplicated = copies where none belongs, and extra SinglePlacementSlices;
 * - RSS of each part after the first convergence and at the end (drift).
 *
 * @module
 */
import { Churn } from "../tests/support/fleet_churn.ts";
import { checkConvergence, waitForConvergence } from "../tests/support/fleet_convergence.ts";
import { FleetStage } from "../tests/support/fleet_stage.ts";
import { createWorkloadFrame, Ledger, WMW } from "../tests/support/fleet_workload.ts";
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
      return;
    default: {
      const edge = fault === "syncer-florin" ? "florin" : "guilder";
      await stage.killSyncer(edge);
      await sleep(2000);
      stage.startSyncer(edge);
    }
  }
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
    let lost = 0;
    let duplicated = 0;
    for (let cycle = 0; performance.now() < deadline; cycle++) {
      const fault = FAULTS[cycle % FAULTS.length];
      const done = Promise.withResolvers<void>();
      const churning = churnUntil(stage, churn, done.promise);
      await sleep(CHURN_MS / 2);
      await inject(stage, fault);
      await sleep(CHURN_MS / 2);
      done.resolve();
      await churning;
      try {
        times.get(fault)!.push(await waitForConvergence(stage, ledger, 120_000));
      } catch (e) {
        console.log(`cycle ${cycle} (${fault}): ${e instanceof Error ? e.message : e}`);
      }
      const report = await checkConvergence(stage, ledger);
      lost += report.lost.length;
      duplicated += report.duplicated.length + report.stale.length;
      console.log(
        `cycle ${cycle + 1}: kill -9 ${fault}; converged in ${
          ms(times.get(fault)!.at(-1) ?? NaN)
        }; lost ${report.lost.length}, duplicated/stale ${
          report.duplicated.length + report.stale.length
        }`,
      );
    }
    const rssEnd = await rssByPart(stage);
    console.log(
      `${minutes} min: ${ledger.counts.acknowledged} writes acknowledged, ` +
        `${ledger.counts.failed} failed while the core was down`,
    );
    for (const [fault, values] of times) {
      if (values.length === 0) continue;
      console.log(
        `time to converge after kill -9 ${fault}: p50 ${ms(percentile(values, 50))}, ` +
          `worst ${ms(Math.max(...values))} (${values.length} faults)`,
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
