/**
 * Fault: the controllers' process is killed with `kill -9` again and again while objects
 * are being placed, and started again with `kubestellar start`. The fleet converges with
 * nothing lost and nothing duplicated.
 */
import { assertEquals } from "../support/assert.ts";
import { withFleet } from "../support/fleet_scenario.ts";
import { checkConvergence, waitForConvergence } from "../support/fleet_convergence.ts";
import { WMW } from "../support/fleet_workload.ts";

Deno.test("fault: controllers killed with kill -9 mid-placement converge, nothing lost or duplicated", async () => {
  await withFleet(11, async ({ stage, ledger, churn }) => {
    for (let round = 0; round < 3; round++) {
      const burst = churn.run(() => stage.hub(WMW), 30);
      await new Promise((r) => setTimeout(r, 150 + 100 * round));
      await stage.killControllers();
      await burst;
      await stage.startControllers();
    }
    await waitForConvergence(stage, ledger);
    assertEquals(ledger.failures, [], "the hub stayed up: every write is acknowledged");
    assertEquals(await checkConvergence(stage, ledger), { lost: [], duplicated: [], stale: [] });
  });
});
