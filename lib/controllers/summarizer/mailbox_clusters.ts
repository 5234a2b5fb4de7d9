/**
 * Who each mailbox stands for: its destination (from the SinglePlacementSlices) and
 * the `cluster` a copy there is evaluated with — the SyncTarget's name, the Location's
 * name, and their labels (the Location's, overlaid by the SyncTarget's), read from the
 * inventory informers; and which workspaces (with summarizers) target it. Mailboxes are
 * indexed by SyncTarget and by Location, so an inventory change finds its mailboxes
 * without a scan, and a copy event finds its workspaces the same way.
 *
 * @module
 */
import { keptMetadata } from "../../controller/cached_form.ts";
import type { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import type { SinglePlacement } from "../../edge/api_types.ts";
import type { ClusterInfo } from "./summarizer_spec.ts";

type Field = "syncTargetName" | "locationName";
const indexKey = (cluster: string, field: Field, name: string) => `${cluster}|${field}|${name}`;

/**
 * What the inventory informers cache of a SyncTarget or Location: its key's parts, its
 * labels and resourceVersion.
 */
export function inventoryCachedForm(o: KubeObject): KubeObject {
  return { metadata: keptMetadata(o, { labels: true }) };
}

/** Mailbox → destination, the `cluster` binding of each, the workspaces targeting it. */
export class MailboxClusters {
  readonly #destinations = new Map<string, SinglePlacement>();
  readonly #index = new Map<string, Set<string>>();
  readonly #targetedBy = new Map<string, Set<string>>();
  /** The wildcard SyncTarget and Location informers (keys `<cluster>|<name>`). */
  inventory: { syncTargets: Informer; locations: Informer } | undefined;

  /** Records the destination `mailbox` stands for. */
  set(mailbox: string, d: SinglePlacement): void {
    const had = this.#destinations.get(mailbox);
    if (had?.locationName === d.locationName && had.syncTargetName === d.syncTargetName) return;
    if (had) {
      for (const f of ["syncTargetName", "locationName"] as const) {
        const k = indexKey(had.cluster, f, had[f]);
        this.#index.get(k)?.delete(mailbox);
        if (this.#index.get(k)?.size === 0) this.#index.delete(k);
      }
    }
    this.#destinations.set(mailbox, d);
    for (const f of ["syncTargetName", "locationName"] as const) {
      const k = indexKey(d.cluster, f, d[f]);
      let set = this.#index.get(k);
      if (!set) this.#index.set(k, set = new Set());
      set.add(mailbox);
    }
  }

  /** The mailboxes whose SyncTarget (or Location) is `name` in inventory `cluster`. */
  mailboxesOf(cluster: string, field: Field, name: string): ReadonlySet<string> {
    return this.#index.get(indexKey(cluster, field, name)) ?? new Set();
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

  /** Workspace `wmw` targeted the mailboxes `before` and now targets those of `after`. */
  setTargets(wmw: string, before: Iterable<string>, after: ReadonlyMap<string, unknown>): void {
    for (const mb of before) {
      if (after.has(mb)) continue;
      const set = this.#targetedBy.get(mb);
      set?.delete(wmw);
      if (set?.size === 0) this.#targetedBy.delete(mb);
    }
    for (const mb of after.keys()) {
      let set = this.#targetedBy.get(mb);
      if (!set) this.#targetedBy.set(mb, set = new Set());
      set.add(wmw);
    }
  }

  /** The workspaces (with summarizers) whose placements target `mailbox`. */
  targetedBy(mailbox: string): ReadonlySet<string> {
    return this.#targetedBy.get(mailbox) ?? new Set();
  }
}
