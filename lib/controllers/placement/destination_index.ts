/**
 * Which mailboxes each EdgePlacement targets and which placements target each mailbox,
 * from the SinglePlacementSlices (one per placement, same name), plus the mailboxes of
 * each Location. `set` answers with the difference (mailboxes gained, lost, or whose
 * destination changed), so a slice event costs what it changes; every look-up is a map
 * access, never a scan of all destinations.
 *
 * @example
 * ```ts
 * const index = new DestinationIndex();
 * index.set("wmw|ep", slice.destinations); // { added: [...], removed: [], changed: [] }
 * index.placementsOf(mailbox); index.destinationOf("wmw|ep", mailbox);
 * ```
 *
 * @module
 */
import { mailboxName, type SinglePlacement } from "../../edge/api_types.ts";

/** What a change of destinations did. */
export interface DestinationChange {
  added: string[];
  removed: string[];
  /** Mailboxes kept whose destination (Location, SyncTarget name) changed. */
  changed: string[];
}

function locationKey(cluster: string, locationName: string): string {
  return `${cluster}|${locationName}`;
}

function sameDestination(a: SinglePlacement, b: SinglePlacement): boolean {
  return a.cluster === b.cluster && a.locationName === b.locationName &&
    a.syncTargetName === b.syncTargetName && a.syncTargetUID === b.syncTargetUID;
}

/** Placement ↔ mailbox relation. */
export class DestinationIndex {
  readonly #byPlacement = new Map<string, Map<string, SinglePlacement>>();
  readonly #byMailbox = new Map<string, Set<string>>();
  /** Location → mailbox → number of placements reaching the mailbox through it. */
  readonly #byLocation = new Map<string, Map<string, number>>();

  /** Sets the destinations of `placementKey`. */
  set(placementKey: string, destinations: SinglePlacement[]): DestinationChange {
    const old = this.#byPlacement.get(placementKey) ?? new Map<string, SinglePlacement>();
    const next = new Map<string, SinglePlacement>();
    for (const d of destinations) {
      const mb = mailboxName(d.cluster, d.syncTargetUID);
      if (!next.has(mb)) next.set(mb, d);
    }
    const change: DestinationChange = { added: [], removed: [], changed: [] };
    for (const [mb, d] of old) {
      const now = next.get(mb);
      if (now && sameDestination(now, d)) continue;
      this.#unlink(placementKey, mb, d);
      if (now) change.changed.push(mb);
      else change.removed.push(mb);
    }
    for (const [mb, d] of next) {
      const before = old.get(mb);
      if (before && sameDestination(before, d)) continue;
      this.#link(placementKey, mb, d);
      if (!before) change.added.push(mb);
    }
    if (next.size > 0) this.#byPlacement.set(placementKey, next);
    else this.#byPlacement.delete(placementKey);
    return change;
  }

  /** Drops `placementKey`; returns the mailboxes it targeted. */
  remove(placementKey: string): string[] {
    return this.set(placementKey, []).removed;
  }

  #link(pk: string, mb: string, d: SinglePlacement): void {
    let set = this.#byMailbox.get(mb);
    if (!set) this.#byMailbox.set(mb, set = new Set());
    set.add(pk);
    const lk = locationKey(d.cluster, d.locationName);
    let counts = this.#byLocation.get(lk);
    if (!counts) this.#byLocation.set(lk, counts = new Map());
    counts.set(mb, (counts.get(mb) ?? 0) + 1);
  }

  #unlink(pk: string, mb: string, d: SinglePlacement): void {
    const set = this.#byMailbox.get(mb);
    set?.delete(pk);
    if (set?.size === 0) this.#byMailbox.delete(mb);
    const lk = locationKey(d.cluster, d.locationName);
    const counts = this.#byLocation.get(lk);
    const n = (counts?.get(mb) ?? 0) - 1;
    if (n > 0) counts!.set(mb, n);
    else counts?.delete(mb);
    if (counts?.size === 0) this.#byLocation.delete(lk);
  }

  /** The destination of a placement in `mailbox`. */
  destinationOf(placementKey: string, mailbox: string): SinglePlacement | undefined {
    return this.#byPlacement.get(placementKey)?.get(mailbox);
  }

  /** The mailbox names a placement targets. */
  mailboxesOf(placementKey: string): IterableIterator<string> {
    return (this.#byPlacement.get(placementKey) ?? new Map<string, SinglePlacement>()).keys();
  }

  /** The placements targeting a mailbox, in key order. */
  placementsOf(mailbox: string): string[] {
    return [...(this.#byMailbox.get(mailbox) ?? [])].sort();
  }

  /** The mailboxes reached through Location `locationName` of inventory `cluster`. */
  mailboxesAt(cluster: string, locationName: string): string[] {
    return [...(this.#byLocation.get(locationKey(cluster, locationName))?.keys() ?? [])];
  }
}
