/**
 * The "where" of an EdgePlacement: which (Location, SyncTarget) pairs it selects
 * (controllers-spec §1.2, §1.5, §3). A Location is selected when its labels match any
 * of the placement's `locationSelectors`; a SyncTarget belongs to a Location when it
 * is in the same inventory workspace and its labels match the Location's
 * `spec.instanceSelector` (a missing selector selects nothing).
 *
 * @module
 */
import { type LabelSelector, labelSelectorFromObject } from "../kube/label_selector.ts";

/** The parts of a Location the resolver reads. */
export interface LocationView {
  /** Logical cluster (inventory workspace) holding it. */
  cluster: string;
  name: string;
  labels?: Record<string, string>;
  instanceSelector?: LabelSelector | null;
}

/** The parts of a SyncTarget the resolver reads. */
export interface SyncTargetView {
  cluster: string;
  name: string;
  uid: string;
  labels?: Record<string, string>;
}

/** One destination (SinglePlacement). */
export interface Destination {
  cluster: string;
  locationName: string;
  syncTargetName: string;
  syncTargetUID: string;
}

/** True when `location` is selected by any of `selectors`. */
export function locationSelected(
  location: LocationView,
  selectors: LabelSelector[] | undefined,
): boolean {
  return (selectors ?? []).some((s) => labelSelectorFromObject(s).matches(location.labels ?? {}));
}

/** The SyncTargets a Location selects. */
export function syncTargetsOf(
  location: LocationView,
  syncTargets: SyncTargetView[],
): SyncTargetView[] {
  if (!location.instanceSelector) return [];
  const sel = labelSelectorFromObject(location.instanceSelector);
  return syncTargets.filter((st) =>
    st.cluster === location.cluster && sel.matches(st.labels ?? {})
  );
}

/** Every destination of a placement, sorted for stable output. */
export function resolveWhere(
  selectors: LabelSelector[] | undefined,
  locations: LocationView[],
  syncTargets: SyncTargetView[],
): Destination[] {
  const out: Destination[] = [];
  for (const loc of locations) {
    if (!locationSelected(loc, selectors)) continue;
    for (const st of syncTargetsOf(loc, syncTargets)) {
      out.push({
        cluster: loc.cluster,
        locationName: loc.name,
        syncTargetName: st.name,
        syncTargetUID: st.uid,
      });
    }
  }
  return out.sort((a, b) =>
    a.cluster.localeCompare(b.cluster) || a.locationName.localeCompare(b.locationName) ||
    a.syncTargetName.localeCompare(b.syncTargetName)
  );
}
