/**
 * Which EdgePlacements an inventory change can affect, so the where-resolver
 * re-resolves only those (issue 12: "a SyncTarget/Location event touches only the
 * placements it affects"):
 *
 * - a SyncTarget (old and new labels): the Locations of its inventory workspace whose
 *   `instanceSelector` matches it — found through an index on the selector's first
 *   `matchLabels` pair (the `ensure location` shape, `id=<name>`), other selectors
 *   tested one by one — and then the placements whose `locationSelectors` match one
 *   of those Locations;
 * - a Location (old and new labels): the placements whose selectors match it.
 *
 * Placement selectors are compiled once per placement version; a selector that does
 * not parse matches nothing (the placement selects nothing, whatever changes).
 *
 * @example
 * ```ts
 * const affected = new AffectedPlacements();
 * affected.putLocation(location); affected.putPlacement(key, ep);
 * affected.ofSyncTarget("imw", undefined, { id: "st1" }); // placement keys to re-resolve
 * ```
 *
 * @module
 */
import { labelSelectorFromObject, type Selector } from "../../kube/label_selector.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import type { IndexedLocation } from "./where_resolution.ts";

type Labels = Record<string, string> | undefined;

interface IndexedSelector {
  location: IndexedLocation;
  selector?: Selector;
}

function compile(sel: unknown): Selector | undefined {
  try {
    return labelSelectorFromObject(sel as never);
  } catch {
    return undefined;
  }
}

function matchesEither(s: Selector, before: Labels, after: Labels): boolean {
  return (before !== undefined && s.matches(before)) || (after !== undefined && s.matches(after));
}

function slot(cluster: string, key: string, value: string): string {
  return `${cluster}\u0000${key}\u0000${value}`;
}

/** Placements by what can change their destinations. */
export class AffectedPlacements {
  readonly #locations = new Map<string, IndexedSelector>();
  /** `cluster\0key\0value` of a Location's first matchLabels pair → location keys. */
  readonly #byMatchLabel = new Map<string, Set<string>>();
  /** Cluster → keys of Locations whose selector has no matchLabels. */
  readonly #generic = new Map<string, Set<string>>();
  readonly #placements = new Map<string, { rv?: string; selectors: Selector[] }>();

  #slotOf(loc: IndexedLocation): { map: Map<string, Set<string>>; key: string } {
    const first = Object.entries(loc.instanceSelector?.matchLabels ?? {})[0];
    return first
      ? { map: this.#byMatchLabel, key: slot(loc.cluster, first[0], String(first[1])) }
      : { map: this.#generic, key: loc.cluster };
  }

  /** Adds or replaces a Location. */
  putLocation(loc: IndexedLocation): void {
    const key = `${loc.cluster}|${loc.name}`;
    this.removeLocation(loc.cluster, loc.name);
    this.#locations.set(key, { location: loc, selector: compile(loc.instanceSelector) });
    const { map, key: s } = this.#slotOf(loc);
    let set = map.get(s);
    if (!set) map.set(s, set = new Set());
    set.add(key);
  }

  /** Removes a Location. */
  removeLocation(cluster: string, name: string): void {
    const key = `${cluster}|${name}`;
    const old = this.#locations.get(key);
    if (!old) return;
    this.#locations.delete(key);
    const { map, key: s } = this.#slotOf(old.location);
    const set = map.get(s);
    set?.delete(key);
    if (set?.size === 0) map.delete(s);
  }

  /** Adds or replaces a placement (its `locationSelectors`). */
  putPlacement(key: string, ep: EdgePlacement): void {
    const rv = ep.metadata.resourceVersion;
    const have = this.#placements.get(key);
    if (have && rv !== undefined && have.rv === rv) return;
    const list = Array.isArray(ep.spec?.locationSelectors) ? ep.spec.locationSelectors : [];
    const selectors = list.map(compile).filter((s): s is Selector => s !== undefined);
    this.#placements.set(key, { rv, selectors });
  }

  /** Removes a placement. */
  removePlacement(key: string): void {
    this.#placements.delete(key);
  }

  /**
   * The placements whose selectors match a Location with labels `before` or `after`
   * (undefined: the Location did not exist then, or does not any more).
   */
  ofLocation(before: Labels, after: Labels): string[] {
    const out: string[] = [];
    for (const [key, p] of this.#placements) {
      if (p.selectors.some((s) => matchesEither(s, before, after))) out.push(key);
    }
    return out;
  }

  /**
   * The placements a SyncTarget of `cluster` with labels `before`/`after` (undefined:
   * it did not exist then, or does not any more) can affect.
   */
  ofSyncTarget(cluster: string, before: Labels, after: Labels): string[] {
    const candidates = new Set<string>(this.#generic.get(cluster) ?? []);
    for (const labels of [before, after]) {
      for (const [k, v] of Object.entries(labels ?? {})) {
        for (const key of this.#byMatchLabel.get(slot(cluster, k, v)) ?? []) candidates.add(key);
      }
    }
    const out = new Set<string>();
    for (const key of candidates) {
      const { location, selector } = this.#locations.get(key)!;
      if (!selector || !matchesEither(selector, before, after)) continue;
      for (const pk of this.ofLocation(location.labels ?? {}, undefined)) out.add(pk);
    }
    return [...out];
  }
}
