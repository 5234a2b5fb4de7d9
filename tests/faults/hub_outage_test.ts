/**
 * Fault: the hub is down for 30 s. The edge clusters keep every placed object meanwhile
 * (the syncers must not take a missing hub for an empty one); when the core is back,
 * the controllers and syncers resume by themselves and a change made after the outage
 * reaches the edges.
 */
import { assertEquals } from "../support/assert.ts";
import { withFleet } from "../support/fleet_scenario.ts";
import { checkConvergence, waitForConvergence } from "../support/fleet_convergence.ts";
import type { EdgeName } from "../support/fleet_stage.ts";
import { WMW, WORKLOAD_NAMESPACES, workloadState } from "../support/fleet_workload.ts";

const OUTAGE_MS = 30_000;
const EDGE_NAMES: EdgeName[] = ["florin", "guilder"];

Deno.test("fault: a 30 s hub outage leaves the edges intact, and the fleet resumes after it", async () => {
  await withFleet(41, async ({ stage, ledger, churn }) => {
    await churn.run(() => stage.hub(WMW), 30);
    await waitForConvergence(stage, ledger);
    const namespaces = Object.values(WORKLOAD_NAMESPACES);
    const before = new Map<EdgeName, Map<string, number>>();
    for (const edge of EDGE_NAMES) {
      before.set(edge, await workloadState(await stage.edge(edge), namespaces));
    }
    await stage.killCore();
    const end = Date.now() + OUTAGE_MS;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5000));
      for (const edge of EDGE_NAMES) {
        assertEquals(
          await workloadState(await stage.edge(edge), namespaces),
          before.get(edge),
          `${edge} keeps its objects while the hub is down`,
        );
      }
    }
    await stage.restartCore();
    await churn.run(() => stage.hub(WMW), 20);
    await waitForConvergence(stage, ledger);
    assertEquals(await checkConvergence(stage, ledger), { lost: [], duplicated: [], stale: [] });
  });
});
