/**
 * Which mailboxes each EdgePlacement targets and which placements target each mailbox,
 * from the SinglePlacementSlices (one per placement, same name). Every change returns
 * the mailboxes whose contents may change (old and new destinations).
 *
 * @module
 */
import { mailboxName, type SinglePlacement } from "../../edge/api_types.ts";

/** Placement ↔ mailbox relation. */
export class DestinationIndex {
  readonly #byPlacement = new Map<string, SinglePlacement[]>();
  readonly #byMailbox = new Map<string, Set<string>>();

  /** Sets the destinations of `placementKey`; returns the mailboxes affected. */
  set(placementKey: string, destinations: SinglePlacement[]): string[] {
    const affected = new Set(this.remove(placementKey));
    this.#byPlacement.set(placementKey, destinations);
    for (const d of destinations) {
      const mb = mailboxName(d.cluster, d.syncTargetUID);
      affected.add(mb);
      let set = this.#byMailbox.get(mb);
      if (!set) this.#byMailbox.set(mb, set = new Set());
      set.add(placementKey);
    }
    return [...affected];
  }

  /** Drops `placementKey`; returns the mailboxes it targeted. */
  remove(placementKey: string): string[] {
    const old = this.#byPlacement.get(placementKey) ?? [];
    this.#byPlacement.delete(placementKey);
    const out: string[] = [];
    for (const d of old) {
      const mb = mailboxName(d.cluster, d.syncTargetUID);
      out.push(mb);
      const set = this.#byMailbox.get(mb);
      set?.delete(placementKey);
      if (set?.size === 0) this.#byMailbox.delete(mb);
    }
    return out;
  }

  /** The destinations of a placement. */
  destinationsOf(placementKey: string): SinglePlacement[] {
    return this.#byPlacement.get(placementKey) ?? [];
  }

  /** The mailbox names a placement targets. */
  mailboxesOf(placementKey: string): string[] {
    return [
      ...new Set(
        this.destinationsOf(placementKey).map((d) => mailboxName(d.cluster, d.syncTargetUID)),
      ),
    ];
  }

  /** The placements targeting a mailbox. */
  placementsOf(mailbox: string): string[] {
    return [...(this.#byMailbox.get(mailbox) ?? [])];
  }

  /** Mailboxes with a destination for which `pred` holds. */
  mailboxesWhere(pred: (d: SinglePlacement) => boolean): string[] {
    const out = new Set<string>();
    for (const dests of this.#byPlacement.values()) {
      for (const d of dests) if (pred(d)) out.add(mailboxName(d.cluster, d.syncTargetUID));
    }
    return [...out];
  }
}
