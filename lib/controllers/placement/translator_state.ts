/**
 * What the placement translator knows between reconciles: its informers, the
 * destination index, one watcher and incremental selection per workload management
 * workspace, one `MailboxContent` per mailbox, and the work counters. Its methods turn
 * "placement P's part K changed" and "placement P was selected" into dirty marks on
 * exactly the mailboxes P targets, and answer the mailbox reconcile's look-ups — all by
 * map access, never by scanning what is placed.
 *
 * @module
 */
import type { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import type { MetricsRegistry } from "../../controller/metrics.ts";
import type { Customizer, EdgePlacement } from "../../edge/api_types.ts";
import { SYNCER_CONFIG_NAME } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import { DestinationIndex } from "./destination_index.ts";
import type { PartContribution } from "./desired_mailbox.ts";
import { MailboxContent, type MailboxSources } from "./mailbox_content.ts";
import type { PreviousSyncerConfig } from "./mailbox_writer.ts";
import type { PartProjector } from "./part_projection.ts";
import type { SingletonObject } from "./singleton_state.ts";
import { testCoversResource } from "./selection.ts";
import { WmwSelection } from "./wmw_selection.ts";
import { WmwWatcher } from "./wmw_watcher.ts";

/** Work done so far. */
export interface TranslatorCounters {
  /** Downsync tests evaluated against one object. */
  evaluations: number;
  mailboxReconciles: number;
  wmwReconciles: number;
  singletonReconciles: number;
  /** Mailbox forms computed (a form shared by every destination counts once). */
  projections: number;
  /** Writes into mailboxes (creates, updates, deletes, SyncerConfigs). */
  writes: number;
}

/** `<cluster>` of a key `<cluster>|<name>`. */
export function clusterOfKey(key: string): string {
  return key.slice(0, key.indexOf("|"));
}

/** The translator's state. */
export class TranslatorState {
  readonly counters: TranslatorCounters = {
    evaluations: 0,
    mailboxReconciles: 0,
    wmwReconciles: 0,
    singletonReconciles: 0,
    projections: 0,
    writes: 0,
  };
  readonly index = new DestinationIndex();
  readonly contents = new Map<string, MailboxContent>();
  readonly #workspaces = new Map<string, { watcher: WmwWatcher; selection: WmwSelection }>();
  readonly #byWmw = new Map<string, Set<string>>();
  readonly #pendingSelect = new Map<string, Set<string>>();
  /** `<wmw>|<part key>` of objects whose reported state is maintained. */
  readonly #singletons = new Set<string>();
  readonly enqueue: (key: string) => void;
  client!: RestClient;
  log!: Logger;
  placements!: Informer<EdgePlacement & KubeObject>;
  slices!: Informer;
  customizers!: Informer<Customizer & KubeObject>;
  locations!: Informer;
  syncTargets!: Informer;
  syncerConfigs!: Informer;
  /** ESPW Workspaces, keyed by name. */
  workspaces!: Informer;
  projector!: PartProjector;

  constructor(enqueue: (key: string) => void) {
    this.enqueue = enqueue;
  }

  /** Exposes the counters as `kubestellar_placement_*_total`. */
  expose(metrics: MetricsRegistry): void {
    const c = this.counters;
    metrics.counter("kubestellar_placement_selector_evaluations_total", "Downsync tests evaluated.")
      .track({}, () => c.evaluations);
    metrics.counter("kubestellar_placement_mailbox_writes_total", "Writes into mailboxes.")
      .track({}, () => c.writes);
    const r = metrics.counter(
      "kubestellar_placement_reconciles_total",
      "Placement translator reconciles by kind.",
      ["kind"],
    );
    r.track({ kind: "mailbox" }, () => c.mailboxReconciles);
    r.track({ kind: "workspace" }, () => c.wmwReconciles);
    r.track({ kind: "reported-state" }, () => c.singletonReconciles);
  }

  clusterOfKey(key: string): string {
    return clusterOfKey(key);
  }

  /** The placement keys of workspace `wmw`. */
  placementsIn(wmw: string): string[] {
    return [...(this.#byWmw.get(wmw) ?? [])];
  }

  /** Records that placement `pk` exists (or not). */
  notePlacement(pk: string, present: boolean): void {
    const wmw = clusterOfKey(pk);
    let set = this.#byWmw.get(wmw);
    if (present) {
      if (!set) this.#byWmw.set(wmw, set = new Set());
      set.add(pk);
    } else {
      set?.delete(pk);
      if (set?.size === 0) this.#byWmw.delete(wmw);
    }
  }

  /** The watcher and selection of `wmw`, made (and fed its placements) on first use. */
  workspace(wmw: string): { watcher: WmwWatcher; selection: WmwSelection } {
    let w = this.#workspaces.get(wmw);
    if (w) return w;
    const watcher: WmwWatcher = new WmwWatcher(wmw, this.client.withCluster(wmw), {
      onObject: (info, old, obj) => {
        selection.onObject(info, old, obj);
        if (info.group === "" && info.resource === "namespaces" && (!old || !obj)) {
          this.enqueue(`wmw:${wmw}`); // "names a namespace that does not exist" may change
        }
      },
      onSynced: (info) => {
        for (const pk of this.placementsIn(wmw)) {
          const cp = selection.compiled(pk);
          if (cp?.tests.some((t) => testCoversResource(t, info))) this.needSelect(wmw, pk);
        }
        this.enqueue(`wmw:${wmw}`);
      },
      onResourcesChanged: () => this.enqueue(`wmw:${wmw}`),
    }, this.log);
    const selection: WmwSelection = new WmwSelection(watcher, {
      partChanged: (pk, key) => this.partChanged(pk, key),
    }, this.counters);
    w = { watcher, selection };
    this.#workspaces.set(wmw, w);
    for (const pk of this.placementsIn(wmw)) {
      const ep = this.placements.get(pk);
      if (ep) selection.setPlacement(pk, ep);
      this.needSelect(wmw, pk);
    }
    return w;
  }

  /** The selection of `wmw`, if it is watched. */
  selectionOf(wmw: string): WmwSelection | undefined {
    return this.#workspaces.get(wmw)?.selection;
  }

  /** Stops watching a workspace without placements. */
  dropWorkspace(wmw: string): void {
    const w = this.#workspaces.get(wmw);
    w?.watcher.stop();
    this.#workspaces.delete(wmw);
    this.#pendingSelect.delete(wmw);
  }

  /** Asks the next `wmw:` reconcile to select placement `pk` in full. */
  needSelect(wmw: string, pk: string): void {
    let set = this.#pendingSelect.get(wmw);
    if (!set) this.#pendingSelect.set(wmw, set = new Set());
    set.add(pk);
  }

  /** The placements of `wmw` waiting for a full selection (taken). */
  takeSelections(wmw: string): string[] {
    const set = this.#pendingSelect.get(wmw);
    this.#pendingSelect.delete(wmw);
    return [...(set ?? [])].filter((pk) => this.#byWmw.get(wmw)?.has(pk));
  }

  /** Part `key` of placement `pk` changed: its mailboxes and reported state are due. */
  partChanged(pk: string, key: string): void {
    for (const mb of this.index.mailboxesOf(pk)) {
      this.content(mb).markDirty(key);
      this.enqueue(`mb:${mb}`);
    }
    const wmw = clusterOfKey(pk);
    const id = `${wmw}|${key}`;
    if (this.selectionOf(wmw)?.compiled(pk)?.wantsSingleton || this.#singletons.has(id)) {
      this.enqueue(`so:${id}`);
    }
  }

  /** Every part of `pk` changed in `mailboxes` (its destinations changed). */
  placementMoved(pk: string, mailboxes: Iterable<string>): void {
    const selection = this.selectionOf(clusterOfKey(pk));
    const parts = selection ? [...selection.partsOf(pk)] : [];
    for (const mb of mailboxes) {
      const content = this.content(mb);
      for (const key of parts) content.markDirty(key);
      content.markConfig();
      this.enqueue(`mb:${mb}`);
    }
    if (selection?.compiled(pk)?.wantsSingleton) this.singletonsOf(pk);
  }

  /** Asks for the reported state of every object placement `pk` selects. */
  singletonsOf(pk: string): void {
    const wmw = clusterOfKey(pk);
    for (const key of this.selectionOf(wmw)?.partsOf(pk) ?? []) this.enqueue(`so:${wmw}|${key}`);
  }

  /** Placement `pk` was selected for the first time: its mailboxes get a SyncerConfig. */
  placementSelected(pk: string): void {
    for (const mb of this.index.mailboxesOf(pk)) {
      this.content(mb).markConfig();
      this.enqueue(`mb:${mb}`);
    }
  }

  /** The state of `mb`, made on first use. */
  content(mb: string): MailboxContent {
    let c = this.contents.get(mb);
    if (!c) this.contents.set(mb, c = new MailboxContent(mb));
    return c;
  }

  /** The mailbox's Workspace when it is Ready. */
  readyMailbox(mailbox: string): KubeObject | undefined {
    const ws = this.workspaces.get(mailbox);
    return (ws?.status as { phase?: string } | undefined)?.phase === "Ready" ? ws : undefined;
  }

  /** The mailbox's workspace is not (or no longer) usable: what its writer knew is void. */
  mailboxGone(mailbox: string): void {
    const c = this.contents.get(mailbox);
    if (!c) return;
    c.writer?.close();
    c.writer = undefined;
    if (this.index.placementsOf(mailbox).length === 0) this.contents.delete(mailbox);
    else c.markFull();
  }

  /** The SyncerConfig `the-one` of a mailbox workspace, from the cache (null: none). */
  syncerConfigOf(workspace: KubeObject): PreviousSyncerConfig {
    const cluster = (workspace.spec as { cluster?: string } | undefined)?.cluster ?? "";
    const sc = this.syncerConfigs.get(`${cluster}|${SYNCER_CONFIG_NAME}`);
    return sc ? { resourceVersion: sc.metadata?.resourceVersion } : null;
  }

  /** What a mailbox sync reads; undefined while a targeting placement is not selected yet. */
  mailboxSources(mailbox: string): MailboxSources | undefined {
    // A targeting placement that is gone contributes nothing (its slice goes after it).
    const placements = this.index.placementsOf(mailbox).filter((pk) => this.placements.get(pk));
    for (const pk of placements) {
      if (!this.selectionOf(clusterOfKey(pk))?.selected(pk)) {
        this.enqueue(`wmw:${clusterOfKey(pk)}`);
        return undefined;
      }
    }
    return {
      placements,
      placement: (pk) => this.placements.get(pk),
      partsOf: (pk) => this.selectionOf(clusterOfKey(pk))?.partsOf(pk) ?? [],
      contribution: (pk, key) => this.#contribution(pk, mailbox, key),
    };
  }

  #contribution(pk: string, mailbox: string, key: string): PartContribution | undefined {
    const wmw = clusterOfKey(pk);
    const selection = this.selectionOf(wmw);
    const part = selection?.partOf(pk, key);
    const placement = this.placements.get(pk);
    const destination = this.index.destinationOf(pk, mailbox);
    if (!part || !placement || !destination) return undefined;
    const source = selection!.catalog.get(
      part.info.group,
      part.info.resource,
      part.namespace,
      part.name,
    );
    if (!source) return undefined;
    return { placementKey: pk, wmw, placement, destination, part, source };
  }

  /** The reported-state task of object `key` of `wmw` (undefined: none wanted). */
  singletonObject(wmw: string, key: string): SingletonObject | undefined {
    const id = `${wmw}|${key}`;
    const selection = this.selectionOf(wmw);
    let want = false;
    let found: { info: SingletonObject["info"]; namespace: string; name: string } | undefined;
    const mailboxes = new Set<string>();
    for (const pk of this.placementsIn(wmw)) {
      const part = selection?.partOf(pk, key);
      if (!part || part.testIndex < 0) continue;
      found = part;
      want ||= selection!.compiled(pk)?.wantsSingleton === true;
      for (const mb of this.index.mailboxesOf(pk)) mailboxes.add(mb);
    }
    const source = found &&
      selection!.catalog.get(found.info.group, found.info.resource, found.namespace, found.name);
    if (!want || !found || !source) {
      this.#singletons.delete(id);
      return undefined;
    }
    this.#singletons.add(id);
    return { ...found, source, mailboxes: [...mailboxes] };
  }

  /** Stops every watcher and releases every mailbox client. */
  stop(): void {
    for (const w of this.#workspaces.values()) w.watcher.stop();
    this.#workspaces.clear();
    for (const c of this.contents.values()) c.writer?.close();
    this.contents.clear();
  }
}
