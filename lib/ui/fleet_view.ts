/**
 * `GET /api/fleet`: every SyncTarget of every inventory workspace with its labels, the
 * Locations that select it, its mailbox workspace, its syncer's liveness, how many
 * objects are placed there (the objects its mailbox's SyncerConfig lists) and its
 * problems; every Location with its labels and how many SyncTargets it selects; and
 * the hub's state. Built from the model's caches, once per fleet version.
 *
 * @example
 * ```ts
 * const fleet = fleetView(model);
 * fleet.syncTargets[0]; // { name: "florin", imw: "root:imw1", labels: {...}, mailbox: "…-mb-…", … }
 * ```
 *
 * @module
 */
import { listedObjects } from "../controllers/placement/syncer_config_spec.ts";
import type { LabelSelector } from "../kube/label_selector.ts";
import { clusterOf, type FleetModel } from "./fleet_model.ts";
import type { HubStatus } from "./hub_health.ts";
import { inventoryOf } from "./inventory.ts";
import type { SyncerLiveness } from "./syncer_liveness.ts";

/** One SyncTarget as `/api/fleet` shows it. */
export interface FleetSyncTarget {
  name: string;
  /** Path of its inventory workspace (its logical cluster id until the path is known). */
  imw: string;
  /** Logical cluster id of the inventory workspace. */
  imwCluster: string;
  uid: string;
  labels: Record<string, string>;
  /** Names of the Locations (same workspace) that select it. */
  locations: string[];
  /** Name of its mailbox workspace (under the ESPW). */
  mailbox: string;
  /** Path of the mailbox workspace. */
  mailboxPath: string;
  /** Logical cluster id of the mailbox ("" until it exists). */
  mailboxCluster: string;
  /** Phase of the mailbox Workspace ("" when it does not exist). */
  mailboxPhase: string;
  syncer: Omit<SyncerLiveness, "staleInMs">;
  /** Objects placed there (listed by its SyncerConfig); null when unknown. */
  objects: number | null;
  unschedulable: boolean;
  problems: string[];
}

/** One Location as `/api/fleet` shows it. */
export interface FleetLocation {
  name: string;
  imw: string;
  imwCluster: string;
  labels: Record<string, string>;
  instanceSelector?: LabelSelector | null;
  /** How many SyncTargets it selects. */
  syncTargets: number;
  problems: string[];
}

/** The answer of `GET /api/fleet`. */
export interface FleetView {
  generation: number;
  hub: HubStatus;
  syncTargets: FleetSyncTarget[];
  locations: FleetLocation[];
}

function syncTargetProblems(t: FleetSyncTarget, readyMailboxes: boolean): string[] {
  const out: string[] = [];
  if (t.locations.length === 0) out.push("no Location selects it");
  if (t.unschedulable) out.push("unschedulable");
  if (!t.mailboxPhase) {
    if (readyMailboxes) out.push("no mailbox workspace yet (is the mailbox controller running?)");
  } else if (t.mailboxPhase !== "Ready") {
    out.push(`mailbox workspace is ${t.mailboxPhase}`);
  } else if (t.syncer.state === "absent") {
    out.push("no SyncerConfig in its mailbox (is the placement translator running?)");
  } else if (t.syncer.state !== "live") {
    out.push(`syncer: ${t.syncer.detail}`);
  }
  return out;
}

const cache = new WeakMap<FleetModel, { version: string; view: FleetView }>();

/** The fleet now (memoized per fleet and hub version). */
export function fleetView(model: FleetModel, generation: number): FleetView {
  const version = `${model.version("fleet")}/${model.version("hub")}`;
  const hit = cache.get(model);
  if (hit && hit.version === version) return { ...hit.view, generation };
  const inv = inventoryOf(model);
  const now = new Date();
  const listed = !!model.inputs;
  const syncTargets: FleetSyncTarget[] = (model.inputs?.syncTargets.list() ?? []).map((st) => {
    const imwCluster = clusterOf(st);
    const name = st.metadata?.name ?? "";
    const mb = model.mailboxOf(st);
    const config = model.syncerConfigOf(mb.cluster);
    const { staleInMs: _s, ...syncer } = model.livenessOf(mb.cluster, now);
    const t: FleetSyncTarget = {
      name,
      imw: model.paths.of(imwCluster),
      imwCluster,
      uid: st.metadata?.uid ?? "",
      labels: st.metadata?.labels ?? {},
      locations: (inv.locationsOf.get(`${imwCluster}|${name}`) ?? []).sort(),
      mailbox: mb.name,
      mailboxPath: `${model.espwPath}:${mb.name}`,
      mailboxCluster: mb.cluster,
      mailboxPhase: mb.phase,
      syncer,
      objects: config ? listedObjects(config.spec).length : null,
      unschedulable: st.spec?.unschedulable === true,
      problems: [],
    };
    t.problems = syncTargetProblems(t, listed);
    return t;
  }).sort((a, b) => a.imw.localeCompare(b.imw) || a.name.localeCompare(b.name));
  const locations: FleetLocation[] = inv.locations.map((l) => {
    const key = `${l.cluster}|${l.name}`;
    const count = inv.instancesOf.get(key) ?? 0;
    const bad = inv.badLocations.get(key);
    return {
      name: l.name,
      imw: model.paths.of(l.cluster),
      imwCluster: l.cluster,
      labels: l.labels ?? {},
      instanceSelector: l.instanceSelector,
      syncTargets: count,
      problems: bad
        ? [`instanceSelector: ${bad}`]
        : count === 0
        ? ["its instanceSelector selects no SyncTarget"]
        : [],
    };
  }).sort((a, b) => a.imw.localeCompare(b.imw) || a.name.localeCompare(b.name));
  const view = { generation, hub: model.health.status(), syncTargets, locations };
  cache.set(model, { version, view });
  return view;
}
