/**
 * The status summarizer (issue 15; PoC2023q1 outline "Status Summarizer"): for every
 * StatusSummarizer in a workload management workspace it maintains the StatusSummary
 * of the same name, from the state each edge cluster reports for the objects the
 * workspace's EdgePlacements send there — that is, from the mailbox copies, whose
 * status the syncers keep current.
 *
 * Inputs, all watched: StatusSummarizers, StatusSummaries, EdgePlacements,
 * SinglePlacementSlices, SyncTargets and Locations through the wildcard with the edge
 * export's identity; the ESPW's Workspaces (which logical cluster each mailbox is); per
 * workspace with summarizers, its Namespaces; and the projected copies of each
 * summarized resource across all mailboxes, one wildcard watch per resource
 * (`CopyFeeds`), so the watches do not grow with the number of mailboxes.
 *
 * Work: a copy event goes to the workspaces whose placements target its mailbox
 * (an index) and updates that copy's contribution to each summarizer that counts it, at
 * once and in O(1) per summarizer (`SummaryState`), then queues a write of the
 * summaries it changed (`sum:<cluster>|<name>`; a queued key is never duplicated, so a
 * burst of events makes one write). Placement, slice, inventory or summarizer changes
 * mark the (mailbox, summarizer) pairs they affect pending and queue `wmw:<cluster>`,
 * which recomputes those from listed copies (everything only when a summarizer's spec
 * or the placements' selection changed). Copies are never kept, only contributions.
 *
 * @example
 * ```ts
 * const s = new StatusSummarizerController({ client: systemAdmin, log });
 * await s.run(signal);
 * ```
 *
 * @module
 */
import { type RunnableInformer, runWithInformers } from "../../controller/run_with_informers.ts";
import { type Clock, realClock } from "../../controller/clock.ts";
import { Controller, type Reconcile, type Requeue } from "../../controller/controller.ts";
import { Informer, type InformerHandlers } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import {
  type EdgePlacement,
  type SinglePlacementSlice,
  type StatusSummarizer,
  type StatusSummary,
} from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { retryLogLevel } from "../../kube/rest_errors.ts";
import { Logger } from "../../log/logger.ts";
import { sameJson } from "../placement/projected_form.ts";
import { waitForEdgeExport } from "../runtime/edge_resources.ts";
import { CopyFeeds } from "./copy_feeds.ts";
import { type CopySource, sourceId } from "./copy_source.ts";
import { inventoryCachedForm, MailboxClusters } from "./mailbox_clusters.ts";
import { MailboxIds } from "./mailbox_ids.ts";
import { conditionsFor, SummaryWriter } from "./summary_writer.ts";
import { flushPending } from "./pending_rebuild.ts";
import { WmwSummaries } from "./wmw_summaries.ts";
import { DISCOVERY_RETRY_MS, WorkspaceResources } from "./workspace_resources.ts";

/** Options of the summarizer. */
export interface StatusSummarizerOptions {
  /** A client with access to every workspace (e.g. `system:admin`). */
  client: RestClient;
  /** The ESPW holding the mailbox workspaces (default `root:espw`). */
  espwPath?: string;
  workers?: number;
  log?: Logger;
  clock?: Clock;
  /** Wall-clock time for `lastUpdateTime` and condition transitions (default `new Date()`). */
  wallClock?: () => Date;
  /** Makes the work-queue controller (default: a plain `Controller`). */
  controller?: (name: string, reconcile: Reconcile, workers: number) => Controller;
}

type Meta = { metadata?: { name?: string; annotations?: Record<string, string> } };
const clusterOf = (o: Meta) => o.metadata?.annotations?.["kcp.io/cluster"] ?? "";

/** The running summarizer. */
export class StatusSummarizerController {
  readonly #client: RestClient;
  readonly #espw: string;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #wallClock: () => Date;
  readonly controller: Controller;
  readonly #wmws = new Map<string, WmwSummaries>();
  readonly #clusters = new MailboxClusters();
  readonly #namespaces = new Map<string, AbortController>();
  readonly #served: WorkspaceResources;
  readonly #feeds: CopyFeeds;
  readonly #ids: MailboxIds;
  #writer!: SummaryWriter;
  #summarizers!: Informer<StatusSummarizer & KubeObject>;
  #summaries!: Informer<StatusSummary & KubeObject>;
  #placements!: Informer<EdgePlacement & KubeObject>;
  #slices!: Informer<SinglePlacementSlice & KubeObject>;
  #readyResolve!: () => void;
  /** Resolves once every input has been listed. */
  readonly ready: Promise<void> = new Promise((r) => (this.#readyResolve = r));

  constructor(options: StatusSummarizerOptions) {
    this.#client = options.client;
    this.#espw = options.espwPath ?? "root:espw";
    this.#log = options.log ?? new Logger("status-summarizer");
    this.#clock = options.clock ?? realClock;
    this.#wallClock = options.wallClock ?? (() => new Date());
    this.#served = new WorkspaceResources(this.#client, this.#clock);
    this.#ids = new MailboxIds(this.#client, this.#espw, (mb) => this.#recheck(mb), this.#log);
    this.#feeds = new CopyFeeds({
      client: this.#client,
      espwPath: this.#espw,
      mailboxOf: (id) => this.#ids.mailboxOf(id),
      onCopy: (mb, s, key, copy) => this.#onCopy(mb, s, key, copy),
      onListed: (s) => this.#forUsersOf(s, (cluster, e) => this.#enqueue(`sum:${cluster}|${e}`)),
      onWildcardRefused: (s) => this.#wildcardRefused(s),
      log: this.#log,
    });
    const reconcile: Reconcile = (key) => this.#reconcile(key);
    const workers = options.workers ?? 4;
    this.controller = options.controller?.("status-summarizer", reconcile, workers) ??
      new Controller("status-summarizer", reconcile, {
        workers,
        clock: this.#clock,
        onResult: (key, e) => {
          if (e) this.#log[retryLogLevel(e)]("reconcile failed; will retry", { key, error: e });
        },
      });
  }

  /** Contribution evaluations so far, over every workspace (tests count work with it). */
  get evaluations(): number {
    return [...this.#wmws.values()].reduce((n, w) => n + w.evaluations, 0);
  }

  /** Summary and condition writes so far. */
  get writes(): number {
    return this.#writer?.writes ?? 0;
  }

  /** Copy feeds running (each one watch). */
  get copyWatches(): number {
    return this.#feeds.size;
  }

  /** Every watch open: the seven inputs, one per workspace's Namespaces, the copy feeds. */
  get watches(): number {
    return 7 + this.#namespaces.size + this.#feeds.size;
  }

  /** List requests made to recompute mailboxes. */
  get snapshots(): number {
    return this.#feeds.snapshots;
  }

  /** (mailbox, summarizer) pairs recomputed from listed copies. */
  get rebuilds(): number {
    return [...this.#wmws.values()].reduce((n, w) => n + w.rebuilds, 0);
  }

  #enqueue(key: string): void {
    this.controller.enqueue(key);
  }

  #onCopy(mailbox: string, s: CopySource, key: string, copy: KubeObject | undefined): void {
    for (const cluster of this.#clusters.targetedBy(mailbox)) {
      const wmw = this.#wmws.get(cluster);
      if (!wmw) continue;
      for (const e of wmw.apply(mailbox, s, key, copy, (mb) => this.#clusters.infoOf(mb))) {
        this.#enqueue(`sum:${cluster}|${e.name}`);
      }
    }
  }

  /** Calls `f` with each summarizer (workspace, name) that reads `s`. */
  #forUsersOf(s: CopySource, f: (cluster: string, name: string) => void): void {
    const id = sourceId(s);
    for (const [cluster, wmw] of this.#wmws) {
      for (const e of wmw.summarizers.values()) if (e.sources.has(id)) f(cluster, e.name);
    }
  }

  #wildcardRefused(s: CopySource): void {
    if (s.identity) return; // a bound resource is served across workspaces: a passing 404
    this.#log.info("copies not served across workspaces; watching mailbox by mailbox", {
      resource: s.group ? `${s.resource}.${s.group}` : s.resource,
    });
    this.#served.noWildcard(s);
    this.#forUsersOf(s, (cluster) => this.#enqueue(`wmw:${cluster}`));
  }

  /** Copies in `mailbox` must be read again by every workspace targeting it. */
  #recheck(mailbox: string): void {
    for (const cluster of this.#clusters.targetedBy(mailbox)) {
      this.#wmws.get(cluster)?.pend(mailbox);
      this.#enqueue(`wmw:${cluster}`);
    }
  }

  #informer<T extends KubeObject>(
    client: RestClient,
    ref: ResourceRef,
    on: (o: T) => void,
    inventory = false,
  ): Informer<T> {
    const handlers: InformerHandlers<T> = {
      onAdd: on,
      onUpdate: (a, b) => {
        if (inventory) {
          if (!sameJson(a.metadata?.labels ?? {}, b.metadata?.labels ?? {})) on(b);
          return;
        }
        on(a);
        on(b);
      },
      onDelete: on,
    };
    return new Informer<T>(restListWatch<T>(client, ref), handlers, {
      ...(inventory ? { cachedForm: inventoryCachedForm } : {}),
      onError: (e) =>
        this.#log.warn("watch failed; retrying", { resource: ref.resource, error: e }),
    });
  }

  /** A SyncTarget's or Location's labels changed: the `cluster` of its mailboxes did. */
  #inventoryChanged(o: KubeObject, field: "syncTargetName" | "locationName"): void {
    for (const mb of this.#clusters.mailboxesOf(clusterOf(o), field, o.metadata?.name ?? "")) {
      this.#recheck(mb);
    }
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const found = await waitForEdgeExport(
      { client: this.#client, espwPath: this.#espw, log: this.#log, clock: this.#clock },
      signal,
    );
    if (!found) return;
    this.#log.info("Found APIExport identity", { export: EDGE_EXPORT_NAME });
    const wild = this.#client.withCluster("*");
    this.#writer = new SummaryWriter(this.#client, {
      summaries: found.local("statussummaries"),
      summarizers: found.local("statussummarizers"),
    });
    const wmwKey = (o: KubeObject) => this.#enqueue(`wmw:${clusterOf(o)}`);
    this.#summarizers = this.#informer(wild, found.wildcard("statussummarizers"), (s) => {
      wmwKey(s);
      this.#enqueue(`sum:${clusterOf(s)}|${s.metadata?.name}`);
    });
    this.#summaries = this.#informer(
      wild,
      found.wildcard("statussummaries"),
      (s) => this.#enqueue(`sum:${clusterOf(s)}|${s.metadata?.name}`),
    );
    this.#placements = this.#informer<EdgePlacement & KubeObject>(
      wild,
      found.wildcard("edgeplacements"),
      wmwKey,
    );
    this.#slices = this.#informer<SinglePlacementSlice & KubeObject>(
      wild,
      found.wildcard("singleplacementslices"),
      wmwKey,
    );
    const syncTargets = this.#informer(
      wild,
      found.wildcard("synctargets"),
      (o) => this.#inventoryChanged(o, "syncTargetName"),
      true,
    );
    const locations = this.#informer(
      wild,
      found.wildcard("locations"),
      (o) => this.#inventoryChanged(o, "locationName"),
      true,
    );
    this.#clusters.inventory = { syncTargets, locations };
    const informers: RunnableInformer[] = [
      this.#summarizers,
      this.#summaries,
      this.#placements,
      this.#slices,
      syncTargets,
      locations,
      { run: (s) => this.#ids.run(s), synced: this.#ids.informer.synced },
    ];
    try {
      await runWithInformers(informers, signal, async () => {
        this.#log.info("inputs listed; summarizing");
        this.#readyResolve();
        await this.controller.run(signal);
      }, { onInformerError: (e) => this.#log.error("informer stopped", { error: e }) });
    } finally {
      this.#feeds.stop();
      for (const a of this.#namespaces.values()) a.abort();
      this.#namespaces.clear();
      wild.close();
    }
  }

  async #reconcile(key: string): Promise<void | Requeue> {
    if (key.startsWith("wmw:")) return await this.#reconcileWmw(key.slice(4));
    if (key.startsWith("sum:")) {
      const rest = key.slice(4);
      const bar = rest.indexOf("|");
      return await this.#reconcileSummary(rest.slice(0, bar), rest.slice(bar + 1));
    }
  }

  #teardown(cluster: string, wmw: WmwSummaries): void {
    this.#feeds.reconcileOwner(cluster, [], [], wmw.feeds);
    this.#clusters.setTargets(cluster, wmw.placementsAt.keys(), new Map());
    this.#namespaces.get(cluster)?.abort();
    this.#namespaces.delete(cluster);
    this.#served.forget(cluster);
    this.#wmws.delete(cluster);
  }

  async #reconcileWmw(cluster: string): Promise<void | Requeue> {
    const summarizers = this.#summarizers.list().filter((s) =>
      clusterOf(s) === cluster && !s.metadata?.deletionTimestamp
    );
    let wmw = this.#wmws.get(cluster);
    for (const name of wmw?.summarizers.keys() ?? []) {
      if (!summarizers.some((s) => s.metadata?.name === name)) {
        this.#enqueue(`sum:${cluster}|${name}`);
      }
    }
    if (summarizers.length === 0) {
      if (wmw) this.#teardown(cluster, wmw);
      return;
    }
    if (!wmw) {
      wmw = new WmwSummaries(cluster);
      this.#wmws.set(cluster, wmw);
      const abort = new AbortController();
      this.#namespaces.set(cluster, abort);
      wmw.watchNamespaces(this.#client, abort.signal, this.#log, () => {
        this.#enqueue(`wmw:${cluster}`);
      });
    }
    const { before, selectionChanged } = wmw.setPlacements(
      this.#placements.list().filter((p) => clusterOf(p) === cluster),
      (p) => this.#slices.get(`${cluster}|${p.metadata?.name}`)?.destinations ?? [],
      (mb, d) => this.#clusters.set(mb, d),
    );
    this.#clusters.setTargets(cluster, before, wmw.placementsAt);
    const { fresh, missingAny } = await wmw.setSummarizers(
      summarizers,
      (objects) => this.#served.resolve(cluster, objects),
    );
    this.#feeds.reconcileOwner(cluster, wmw.placementsAt.keys(), wmw.sources(), wmw.feeds);
    wmw.pendMembership(before, selectionChanged, fresh);
    await flushPending(wmw, this.#feeds, (mb) => this.#clusters.infoOf(mb));
    for (const e of wmw.summarizers.values()) {
      e.initialized = true;
      this.#enqueue(`sum:${cluster}|${e.name}`);
    }
    if (missingAny) return { requeueAfterMs: DISCOVERY_RETRY_MS };
  }

  async #reconcileSummary(cluster: string, name: string): Promise<void> {
    const s = this.#summarizers.get(`${cluster}|${name}`);
    let existing = this.#summaries.get(`${cluster}|${name}`);
    const owner = existing?.metadata?.ownerReferences?.find((o) => o.kind === "StatusSummarizer");
    if (existing && owner && (!s || owner.uid !== s.metadata?.uid)) {
      await this.#writer.deleteSummary(cluster, name, existing.metadata?.uid);
      existing = undefined;
    }
    if (!s || s.metadata?.deletionTimestamp) return;
    const e = this.#wmws.get(cluster)?.summarizers.get(name);
    if (!e || e.uid !== s.metadata?.uid) {
      this.#enqueue(`wmw:${cluster}`);
      return;
    }
    if (!e.initialized) return; // its workspace's reconcile queues this key when it is
    // Until every wildcard feed it reads has listed, the summary would be partial.
    const unlisted = e.resources.filter((r) => !r.perMailbox && !this.#feeds.listed(r, ""));
    const problem = unlisted.map((r) => this.#feeds.problem(r)).find((p) => p);
    if (unlisted.length > 0 && !problem) return;
    const unreadable = problem && `cannot list copies across mailboxes: ${problem}`;
    const now = this.#wallClock().toISOString().replace(/\.\d+Z$/, "Z");
    await this.#writer.writeConditions(
      cluster,
      s,
      conditionsFor(e, s.status?.conditions, now, unreadable),
      e.generation,
    );
    if (!unreadable) await this.#writer.writeSummary(cluster, e, existing, now);
  }
}
