/**
 * Who each mailbox stands for: its destination (from the SinglePlacementSlices) and
 * the `cluster` a copy there is evaluated with — the SyncTarget's name, the Location's
 * name, and their labels (the Location's, overlaid by the SyncTarget's), read from the
 * inventory informers.
 *
 * @module
 */
import type { Informer } from "../../controller/informer.ts";
import type { SinglePlacement } from "../../edge/api_types.ts";
import type { ClusterInfo } from "./summarizer_spec.ts";

/** Mailbox → destination, and the `cluster` binding of each. */
export class MailboxClusters {
  readonly #destinations = new Map<string, SinglePlacement>();
  /** The wildcard SyncTarget and Location informers (keys `<cluster>|<name>`). */
  inventory: { syncTargets: Informer; locations: Informer } | undefined;

  /** Records the destination `mailbox` stands for. */
  set(mailbox: string, d: SinglePlacement): void {
    this.#destinations.set(mailbox, d);
  }

  /** The mailboxes whose SyncTarget (or Location) is `name` in inventory `cluster`. */
  mailboxesOf(cluster: string, field: "syncTargetName" | "locationName", name: string): string[] {
    const out: string[] = [];
    for (const [mb, d] of this.#destinations) {
      if (d.cluster === cluster && d[field] === name) out.push(mb);
    }
    return out;
  }

  /** The `cluster` binding of copies in `mailbox` (undefined: destination unknown). */
  infoOf(mailbox: string): ClusterInfo | undefined {
    const d = this.#destinations.get(mailbox);
    if (!d) return undefined;
    const st = this.inventory?.syncTargets.get(`${d.cluster}|${d.syncTargetName}`);
    const loc = this.inventory?.locations.get(`${d.cluster}|${d.locationName}`);
    return {
      name: d.syncTargetName,
      location: d.locationName,
      labels: { ...(loc?.metadata?.labels ?? {}), ...(st?.metadata?.labels ?? {}) },
    };
  }
}
