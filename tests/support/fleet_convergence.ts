/**
 * Whether the fleet holds what the hub says it should: every acknowledged write is in
 * the workload management workspace, every selected ConfigMap is in each selected
 * cluster's mailbox and on the cluster at the hub's version, nothing is anywhere it does
 * not belong, and each EdgePlacement has exactly one SinglePlacementSlice.
 *
 * @module
 */
import { EDGE_GROUP, EDGE_VERSION, mailboxName } from "../../lib/edge/api_types.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { type EdgeName, EDGES, type FleetStage } from "./fleet_stage.ts";
import {
  type Key,
  type Ledger,
  WMW,
  WORKLOAD_NAMESPACES,
  WORKLOAD_PLACEMENTS,
  workloadState,
} from "./fleet_workload.ts";

/** What differs from the converged state; all empty when converged. */
export interface ConvergenceReport {
  /** Acknowledged writes the hub lost, and copies missing where they belong. */
  lost: string[];
  /** Copies where none belongs, and extra SinglePlacementSlices. */
  duplicated: string[];
  /** Copies at another version than the hub's. */
  stale: string[];
}

const NAMESPACE_LIST = Object.values(WORKLOAD_NAMESPACES);
const SLICES = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "singleplacementslices" };
const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
const SYNC_TARGETS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" };

/** True when nothing differs. */
export function converged(report: ConvergenceReport): boolean {
  return report.lost.length + report.duplicated.length + report.stale.length === 0;
}

/** The namespaces placed on an edge cluster. */
function namespacesOf(edge: EdgeName): string[] {
  return EDGES[edge].includes("extended=yes") ? NAMESPACE_LIST : [WORKLOAD_NAMESPACES.all];
}

const mailboxPaths = new WeakMap<FleetStage, Map<EdgeName, string>>();

/** The path of an edge cluster's mailbox workspace. */
export async function mailboxPath(stage: FleetStage, edge: EdgeName): Promise<string> {
  let paths = mailboxPaths.get(stage);
  if (!paths) mailboxPaths.set(stage, paths = new Map());
  const known = paths.get(edge);
  if (known) return known;
  const imw = await (await stage.hub("root")).get<KubeObject>({ ...WORKSPACES, name: "imw1" });
  const cluster = (imw.spec as { cluster?: string } | undefined)?.cluster;
  const target = await (await stage.hub("root:imw1")).get<KubeObject>({
    ...SYNC_TARGETS,
    name: edge,
  });
  if (!cluster || !target.metadata?.uid) throw new Error(`no mailbox for ${edge} yet`);
  const path = `root:espw:${mailboxName(cluster, target.metadata.uid)}`;
  paths.set(edge, path);
  return path;
}

function compare(
  where: string,
  expected: Map<Key, number>,
  actual: Map<Key, number>,
  report: ConvergenceReport,
): void {
  for (const [key, version] of expected) {
    const held = actual.get(key);
    if (held === undefined) report.lost.push(`${where}: ${key} missing`);
    else if (held !== version) report.stale.push(`${where}: ${key} v${held}, hub v${version}`);
  }
  for (const key of actual.keys()) {
    if (!expected.has(key)) report.duplicated.push(`${where}: ${key} does not belong there`);
  }
}

async function checkSlices(stage: FleetStage, report: ConvergenceReport): Promise<void> {
  const slices = (await (await stage.hub(WMW)).list<KubeObject>(SLICES)).items;
  const owners = new Map<string, number>();
  for (const sps of slices) {
    const refs = sps.metadata?.ownerReferences as Array<{ name?: string }> | undefined;
    const owner = refs?.[0]?.name ?? `(no owner: ${sps.metadata?.name})`;
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  for (const ep of WORKLOAD_PLACEMENTS) {
    const n = owners.get(ep.metadata!.name!) ?? 0;
    if (n === 0) report.lost.push(`SinglePlacementSlice of ${ep.metadata!.name} missing`);
    if (n > 1) report.duplicated.push(`${n} SinglePlacementSlices of ${ep.metadata!.name}`);
    owners.delete(ep.metadata!.name!);
  }
  for (const [owner, n] of owners) {
    report.duplicated.push(`${n} SinglePlacementSlice(s) of ${owner}, which is not a placement`);
  }
}

/** Compares the whole fleet with the hub and the ledger. */
export async function checkConvergence(
  stage: FleetStage,
  ledger: Ledger,
): Promise<ConvergenceReport> {
  const report: ConvergenceReport = { lost: [], duplicated: [], stale: [] };
  const hubState = await workloadState(await stage.hub(WMW), NAMESPACE_LIST);
  for (const key of ledger.lostIn(hubState)) report.lost.push(`hub: acknowledged ${key} lost`);
  for (const edge of Object.keys(EDGES) as EdgeName[]) {
    const namespaces = namespacesOf(edge);
    const expected = new Map([...hubState].filter(([k]) => namespaces.includes(k.split("/")[0])));
    const mailbox = await stage.hub(await mailboxPath(stage, edge));
    compare(`${edge} mailbox`, expected, await workloadState(mailbox, NAMESPACE_LIST), report);
    const onEdge = await workloadState(await stage.edge(edge), NAMESPACE_LIST);
    compare(edge, expected, onEdge, report);
  }
  await checkSlices(stage, report);
  return report;
}

/** Waits until the fleet converges; the time it took, or throws with the last report. */
export async function waitForConvergence(
  stage: FleetStage,
  ledger: Ledger,
  timeoutMs = 60_000,
): Promise<number> {
  const start = performance.now();
  let last: ConvergenceReport | string = "not checked";
  while (performance.now() - start < timeoutMs) {
    try {
      last = await checkConvergence(stage, ledger);
      if (converged(last)) return performance.now() - start;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `the fleet did not converge within ${timeoutMs / 1000} s: ${JSON.stringify(last, null, 1)}`,
  );
}
