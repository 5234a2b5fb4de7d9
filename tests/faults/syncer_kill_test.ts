/**
 * Fault: a syncer is killed with `kill -9`; its edge cluster keeps what it had while the
 * workload changes at the hub; started again, the syncer brings the cluster up to date
 * (updates, deletions and creations made meanwhile) with nothing lost or duplicated.
 */
import { assertEquals } from "../support/assert.ts";
import { withFleet } from "../support/fleet_scenario.ts";
import { checkConvergence, waitForConvergence } from "../support/fleet_convergence.ts";
import { WMW, WORKLOAD_NAMESPACES, workloadState } from "../support/fleet_workload.ts";

Deno.test("fault: a syncer killed with kill -9 and restarted brings its cluster up to date", async () => {
  await withFleet(37, async ({ stage, ledger, churn }) => {
    await churn.run(() => stage.hub(WMW), 30);
    await waitForConvergence(stage, ledger);
    const guilder = await stage.edge("guilder");
    const before = await workloadState(guilder, Object.values(WORKLOAD_NAMESPACES));
    await stage.killSyncer("guilder");
    await churn.run(() => stage.hub(WMW), 30);
    await new Promise((r) => setTimeout(r, 1000));
    assertEquals(
      await workloadState(guilder, Object.values(WORKLOAD_NAMESPACES)),
      before,
      "without its syncer, the edge cluster keeps exactly what it had",
    );
    stage.startSyncer("guilder");
    await waitForConvergence(stage, ledger);
    assertEquals(await checkConvergence(stage, ledger), { lost: [], duplicated: [], stale: [] });
  });
});
