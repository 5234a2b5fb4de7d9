/**
 * Fault: the core (kcp-lite) is killed with `kill -9` while the workload changes, and
 * started again on the same root directory and port. The controllers and the syncers,
 * launched from a copy of the core's admin kubeconfig, carry on by themselves; every
 * write the core acknowledged survives; the fleet converges with nothing lost or
 * duplicated.
 */
import { assertEquals } from "../support/assert.ts";
import { withFleet } from "../support/fleet_scenario.ts";
import { checkConvergence, waitForConvergence } from "../support/fleet_convergence.ts";
import { WMW } from "../support/fleet_workload.ts";

Deno.test("fault: core killed with kill -9 mid-run and restarted converges, nothing lost or duplicated", async () => {
  await withFleet(23, async ({ stage, ledger, churn }) => {
    await churn.run(() => stage.hub(WMW), 20);
    await waitForConvergence(stage, ledger);
    for (let round = 0; round < 2; round++) {
      const burst = churn.run(() => stage.hub(WMW), 40, 2);
      await new Promise((r) => setTimeout(r, 200));
      await stage.killCore();
      await new Promise((r) => setTimeout(r, 500));
      await stage.restartCore();
      await burst;
    }
    await churn.run(() => stage.hub(WMW), 10);
    await waitForConvergence(stage, ledger);
    assertEquals(await checkConvergence(stage, ledger), { lost: [], duplicated: [], stale: [] });
  });
});
