/**
 * The frame of a fault test on the quickstart's topology: a started `FleetStage` with the
 * workload's namespaces and placements in the WMW, the ledger of what the hub
 * acknowledged, and a seeded churn of the workload. The stage is closed afterwards, and
 * its files are kept when the test failed.
 *
 * @example
 * ```ts
 * await withFleet(11, async ({ stage, ledger, churn }) => {
 *   await churn.run(() => stage.hub(WMW), 30);
 *   await waitForConvergence(stage, ledger);
 * });
 * ```
 *
 * @module
 */
import { Churn } from "./fleet_churn.ts";
import { FleetStage } from "./fleet_stage.ts";
import { createWorkloadFrame, Ledger, WMW } from "./fleet_workload.ts";

/** What a fault test works with. */
export interface FleetScenario {
  stage: FleetStage;
  ledger: Ledger;
  churn: Churn;
}

/** Runs `body` on a new stage with the workload frame in place; the churn is seeded. */
export async function withFleet(
  seed: number,
  body: (scenario: FleetScenario) => Promise<void>,
): Promise<void> {
  const stage = await FleetStage.start();
  let ok = false;
  try {
    const ledger = new Ledger();
    const churn = new Churn(ledger, seed);
    await createWorkloadFrame(await stage.hub(WMW));
    await body({ stage, ledger, churn });
    ok = true;
  } finally {
    await stage.close(!ok);
  }
}
