/**
 * The inventory (every Location and SyncTarget of every inventory workspace) in the
 * where-resolver's own shapes: `IndexedLocation`s and a `SyncTargetIndex`, plus which
 * Locations select each SyncTarget. Built from the model's caches once per fleet
 * version and shared by the fleet view and the what-if.
 *
 * @example
 * ```ts
 * const inv = inventoryOf(model);
 * inv.locationsOf.get("imw-id|florin"); // ["florin"]
 * ```
 *
 * @module
 */
import { type LabelSelector, labelSelectorFromObject } from "../kube/label_selector.ts";
import { SyncTargetIndex } from "../controllers/where/sync_target_index.ts";
import type { IndexedLocation } from "../controllers/where/where_resolution.ts";
import type { SyncTargetView } from "../placement/where_match.ts";
import { clusterOf, type FleetModel } from "./fleet_model.ts";

/** The inventory at one fleet version. */
export interface Inventory {
  locations: IndexedLocation[];
  syncTargets: SyncTargetView[];
  index: SyncTargetIndex;
  /** `imwCluster|syncTargetName` → names of the Locations that select it. */
  locationsOf: Map<string, string[]>;
  /** `imwCluster|locationName` → how many SyncTargets it selects. */
  instancesOf: Map<string, number>;
  /** `imwCluster|locationName` → why its instanceSelector selects nothing, if it is bad. */
  badLocations: Map<string, string>;
}

/** Builds the inventory from the model's caches. */
export function buildInventory(model: FleetModel): Inventory {
  const inputs = model.inputs;
  const locations: IndexedLocation[] = (inputs?.locations.list() ?? []).map((l) => ({
    cluster: clusterOf(l),
    name: l.metadata?.name ?? "",
    labels: l.metadata?.labels,
    instanceSelector: l.spec?.instanceSelector,
    resourceVersion: l.metadata?.resourceVersion,
  }));
  const syncTargets: SyncTargetView[] = (inputs?.syncTargets.list() ?? []).map((st) => ({
    cluster: clusterOf(st),
    name: st.metadata?.name ?? "",
    uid: st.metadata?.uid ?? "",
    labels: st.metadata?.labels,
  }));
  const index = new SyncTargetIndex();
  for (const st of syncTargets) index.put(st);
  const locationsOf = new Map<string, string[]>();
  const instancesOf = new Map<string, number>();
  const badLocations = new Map<string, string>();
  for (const loc of locations) {
    const key = `${loc.cluster}|${loc.name}`;
    if (!loc.instanceSelector) {
      instancesOf.set(key, 0);
      continue;
    }
    let matched: SyncTargetView[];
    try {
      const sel = labelSelectorFromObject(loc.instanceSelector);
      matched = index.matching(loc.cluster, sel, loc.instanceSelector as LabelSelector);
    } catch (e) {
      badLocations.set(key, e instanceof Error ? e.message : String(e));
      matched = [];
    }
    instancesOf.set(key, matched.length);
    for (const st of matched) {
      const k = `${st.cluster}|${st.name}`;
      const list = locationsOf.get(k);
      if (list) list.push(loc.name);
      else locationsOf.set(k, [loc.name]);
    }
  }
  return { locations, syncTargets, index, locationsOf, instancesOf, badLocations };
}

const cache = new WeakMap<FleetModel, { version: number; inventory: Inventory }>();

/** The inventory of the model's current fleet version (built at most once per version). */
export function inventoryOf(model: FleetModel): Inventory {
  const version = model.version("fleet");
  const hit = cache.get(model);
  if (hit && hit.version === version) return hit.inventory;
  const inventory = buildInventory(model);
  cache.set(model, { version, inventory });
  return inventory;
}
