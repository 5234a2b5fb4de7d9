/**
 * What each EdgePlacement selects, kept current for the UI with the placement
 * translator's own machinery: one `WmwWatcher` per workload management workspace that
 * holds placements (informers on every resource a placement there could select), and
 * the preview library's `selectForPlacement` over it, memoized per placement version
 * and catalog generation. Also the union of resources selected anywhere, which is what
 * the mailbox-copy informers watch.
 *
 * @example
 * ```ts
 * const sel = new WmwSelections(client, { onChange: () => feed.publish("placements") }, log);
 * await sel.reconcile("2x8zq1", placementsInThatWorkspace);
 * sel.selection(placement); // { parts, problems } once the workspace is listed
 * ```
 *
 * @module
 */
import { type KubeObject, objectKey } from "../controller/list_watch.ts";
import type { EdgePlacement } from "../edge/api_types.ts";
import { boundIdentities } from "../core/api_bindings.ts";
import type { RestClient } from "../kube/rest_client.ts";
import type { Logger } from "../log/logger.ts";
import { type ApiResourceInfo, groupResource } from "../controllers/placement/discovery.ts";
import { type PlacementSelection, selectForPlacement } from "../controllers/placement/selection.ts";
import { WmwWatcher } from "../controllers/placement/wmw_watcher.ts";

/** A selected resource, with the identity of its APIExport when an APIBinding provides it. */
export type CopyResource = ApiResourceInfo & { identity?: string };

/** What the selections tell their owner. */
export interface WmwSelectionsEvents {
  /** Objects of workspace `wmw` changed (or it was first listed). */
  onChange(wmw: string): void;
  /** Workspace `wmw` needs `reconcile` again (a CRD or binding changed). */
  onResourcesChanged(wmw: string): void;
}

/** Selections of every placement, by workspace. */
export class WmwSelections {
  readonly #client: RestClient;
  readonly #events: WmwSelectionsEvents;
  readonly #log: Logger;
  readonly #watchers = new Map<string, WmwWatcher>();
  readonly #memo = new Map<string, { gen: number; rv: string; sel: PlacementSelection }>();
  /** Per workspace, grows with every change its watcher reports (keys the memo). */
  readonly #generation = new Map<string, number>();
  readonly #resourcesByWmw = new Map<string, CopyResource[]>();
  /** Selections computed (not served from the memo): work counted by tests. */
  evaluations = 0;

  constructor(client: RestClient, events: WmwSelectionsEvents, log: Logger) {
    this.#client = client;
    this.#events = events;
    this.#log = log;
  }

  /** Makes the watcher of `wmw` match `placements` (all placements in it). */
  async reconcile(wmw: string, placements: (EdgePlacement & KubeObject)[]): Promise<void> {
    let watcher = this.#watchers.get(wmw);
    if (placements.length === 0) {
      watcher?.stop();
      this.#watchers.delete(wmw);
      this.#resourcesByWmw.delete(wmw);
      this.#generation.delete(wmw);
      return;
    }
    if (!watcher) {
      const changed = () => {
        this.#generation.set(wmw, (this.#generation.get(wmw) ?? 0) + 1);
        this.#events.onChange(wmw);
      };
      watcher = new WmwWatcher(wmw, this.#client.withCluster(wmw), {
        onObject: changed,
        onSynced: changed,
        onResourcesChanged: () => this.#events.onResourcesChanged(wmw),
      }, this.#log);
      this.#watchers.set(wmw, watcher);
    }
    if (await watcher.refresh(placements)) {
      this.#generation.set(wmw, (this.#generation.get(wmw) ?? 0) + 1);
    }
    if (!watcher.synced) return;
    const used = new Map<string, CopyResource>();
    const identities = boundIdentities(watcher.objects("apis.kcp.io", "apibindings") ?? []);
    for (const ep of placements) {
      for (const p of this.selection(ep)?.parts ?? []) {
        const gr = groupResource(p.info.group, p.info.resource);
        const identity = identities.get(gr);
        used.set(gr, identity ? { ...p.info, identity } : p.info);
      }
    }
    this.#resourcesByWmw.set(wmw, [...used.values()]);
  }

  /** The selection of `ep`; undefined until its workspace has been listed. */
  selection(ep: EdgePlacement & KubeObject): PlacementSelection | undefined {
    const wmw = ep.metadata?.annotations?.["kcp.io/cluster"] ?? "";
    const watcher = this.#watchers.get(wmw);
    if (!watcher?.synced) return undefined;
    const key = objectKey(ep);
    const rv = ep.metadata?.resourceVersion ?? "";
    const gen = this.#generation.get(wmw) ?? 0;
    const memo = this.#memo.get(key);
    if (memo && memo.gen === gen && memo.rv === rv) return memo.sel;
    const sel = selectForPlacement(ep, watcher);
    this.evaluations++;
    this.#memo.set(key, { gen, rv, sel });
    return sel;
  }

  /** Forgets the memo of a deleted placement. */
  forget(ep: KubeObject): void {
    this.#memo.delete(objectKey(ep));
  }

  /** Every resource some placement selects objects of. */
  selectedResources(): CopyResource[] {
    const all = new Map<string, CopyResource>();
    for (const list of this.#resourcesByWmw.values()) {
      for (const r of list) all.set(groupResource(r.group, r.resource), r);
    }
    return [...all.values()];
  }

  /** Stops every watcher. */
  stop(): void {
    for (const w of this.#watchers.values()) w.stop();
    this.#watchers.clear();
  }
}
