/**
 * Where-resolution of one EdgePlacement (controllers-spec §3, with the [defect] fixed):
 * the destinations are every (Location, SyncTarget) pair where the Location's labels
 * match any of the placement's `locationSelectors` and the SyncTarget, **in the
 * Location's own inventory workspace**, matches the Location's `instanceSelector`.
 *
 * Bad input never stops resolution: a placement selector that does not compile
 * selects nothing, a Location whose `instanceSelector` does not compile selects no
 * SyncTarget; each is returned as a problem to report.
 *
 * @example
 * ```ts
 * const r = resolvePlacement([{ matchLabels: { env: "prod" } }], locations, index, cache);
 * r.destinations; r.matchingLocationCount; r.problems;
 * ```
 *
 * @module
 */
import {
  type LabelSelector,
  labelSelectorFromObject,
  type Selector,
} from "../../kube/label_selector.ts";
import type { Destination, LocationView } from "../../placement/where_match.ts";
import type { SyncTargetIndex } from "./sync_target_index.ts";

/** A Location with the version its compiled selector belongs to. */
export interface IndexedLocation extends LocationView {
  resourceVersion?: string;
}

/** The outcome for one placement. */
export interface WhereResult {
  /** Sorted by cluster, location, sync target. */
  destinations: Destination[];
  /** Locations selected by the placement. */
  matchingLocationCount: number;
  /** Human-readable problems (sorted, no duplicates). */
  problems: string[];
}

type Compiled = { selector: Selector } | { error: string };

function compile(sel: LabelSelector | null | undefined): Compiled {
  try {
    return { selector: labelSelectorFromObject(sel) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Compiled `instanceSelector`s, reused while a Location's resourceVersion stays. */
export class InstanceSelectorCache {
  readonly #cache = new Map<string, { rv: string | undefined; compiled: Compiled }>();

  /** The compiled selector of `loc`. */
  get(loc: IndexedLocation): Compiled {
    const key = `${loc.cluster}|${loc.name}`;
    const hit = this.#cache.get(key);
    if (hit && hit.rv !== undefined && hit.rv === loc.resourceVersion) return hit.compiled;
    const compiled = compile(loc.instanceSelector);
    this.#cache.set(key, { rv: loc.resourceVersion, compiled });
    return compiled;
  }

  /** Forgets a Location. */
  forget(cluster: string, name: string): void {
    this.#cache.delete(`${cluster}|${name}`);
  }
}

/** Compares destinations for sorting. */
export function compareDestinations(a: Destination, b: Destination): number {
  return cmp(a.cluster, b.cluster) || cmp(a.locationName, b.locationName) ||
    cmp(a.syncTargetName, b.syncTargetName) || cmp(a.syncTargetUID, b.syncTargetUID);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves one placement's `locationSelectors` against the inventory. */
export function resolvePlacement(
  locationSelectors: LabelSelector[] | undefined,
  locations: Iterable<IndexedLocation>,
  syncTargets: SyncTargetIndex,
  instanceSelectors: InstanceSelectorCache = new InstanceSelectorCache(),
): WhereResult {
  const problems = new Set<string>();
  const selectors: Selector[] = [];
  (Array.isArray(locationSelectors) ? locationSelectors : []).forEach((sel, i) => {
    const c = compile(sel);
    if ("error" in c) problems.add(`spec.locationSelectors[${i}]: ${c.error}`);
    else selectors.push(c.selector);
  });
  const destinations: Destination[] = [];
  let matchingLocationCount = 0;
  if (selectors.length > 0) {
    for (const loc of locations) {
      if (!selectors.some((s) => s.matches(loc.labels ?? {}))) continue;
      matchingLocationCount++;
      if (!loc.instanceSelector) continue;
      const c = instanceSelectors.get(loc);
      if ("error" in c) {
        problems.add(`Location ${loc.name} (cluster ${loc.cluster}): instanceSelector: ${c.error}`);
        continue;
      }
      for (const st of syncTargets.matching(loc.cluster, c.selector, loc.instanceSelector)) {
        destinations.push({
          cluster: loc.cluster,
          locationName: loc.name,
          syncTargetName: st.name,
          syncTargetUID: st.uid,
        });
      }
    }
  }
  destinations.sort(compareDestinations);
  return { destinations, matchingLocationCount, problems: [...problems].sort() };
}

/** True when two destination lists hold the same set (order and duplicates ignored). */
export function sameDestinations(a: Destination[] | undefined, b: Destination[]): boolean {
  const key = (d: Destination) =>
    `${d.cluster}\u0000${d.locationName}\u0000${d.syncTargetName}\u0000${d.syncTargetUID}`;
  const sa = new Set((a ?? []).map(key));
  const sb = new Set(b.map(key));
  if (sa.size !== sb.size || (a ?? []).length !== b.length) return false;
  for (const k of sa) if (!sb.has(k)) return false;
  return true;
}
