/**
 * The status summarizer (issue 15; PoC2023q1 outline "Status Summarizer"): for every
 * StatusSummarizer in a workload management workspace it maintains the StatusSummary
 * of the same name, from the state each edge cluster reports for the objects the
 * workspace's EdgePlacements send there — that is, from the mailbox copies, whose
 * status the syncers keep current.
 *
 * Inputs, all watched: StatusSummarizers, StatusSummaries, EdgePlacements,
 * SinglePlacementSlices, SyncTargets and Locations through the wildcard with the edge
 * export's identity; per workspace with summarizers, its Namespaces; and the projected
 * copies of the summarized resources in each targeted mailbox (`CopyWatches`).
 *
 * Work: a copy event updates that copy's contribution to each summarizer that counts
 * it, at once and in O(1) per summarizer (`SummaryState`), then queues a write of the
 * summaries it changed (`sum:<cluster>|<name>`; a queued key is never duplicated, so a
 * burst of events makes one write). Placement, slice, inventory or summarizer changes
 * queue `wmw:<cluster>`, which recomputes only the mailboxes whose membership changed
 * (everything only when a summarizer's spec or the placements' selection changed).
 *
 * @example
 * ```ts
 * const s = new StatusSummarizerController({ client: systemAdmin, log });
 * await s.run(signal);
 * ```
 *
 * @module
 */
import { type Clock, realClock } from "../../controller/clock.ts";
import { Controller, type Reconcile, type Requeue } from "../../controller/controller.ts";
import { Informer, type InformerHandlers } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import {
  type EdgePlacement,
  mailboxName,
  type SinglePlacementSlice,
  type StatusSummarizer,
  type StatusSummary,
} from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { retryLogLevel } from "../../kube/rest_errors.ts";
import { Logger } from "../../log/logger.ts";
import { canonicalJson } from "../placement/projected_form.ts";
import { waitForEdgeExport } from "../runtime/edge_resources.ts";
import { CopyWatches, grOf, type VersionedResource } from "./copy_watches.ts";
import { compileSummarizer } from "./summarizer_spec.ts";
import { MailboxClusters } from "./mailbox_clusters.ts";
import { SummaryState } from "./summary_state.ts";
import { conditionsFor, SummaryWriter } from "./summary_writer.ts";
import { type SummarizerEntry, WmwSummaries } from "./wmw_summaries.ts";
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
  readonly #selectionStale = new Set<string>();
  readonly #dirty = new Map<string, Set<string>>();
  readonly #clusters = new MailboxClusters();
  readonly #namespaces = new Map<string, AbortController>();
  readonly #served: WorkspaceResources;
  readonly #copies: CopyWatches;
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
    this.#copies = new CopyWatches(
      this.#client,
      this.#espw,
      (mb, gr, key, copy, owners) => this.#onCopy(mb, gr, key, copy, owners),
      this.#log,
    );
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

  /** Mailbox informers running. */
  get copyWatches(): number {
    return this.#copies.size;
  }

  #enqueue(key: string): void {
    this.controller.enqueue(key);
  }

  #onCopy(
    mailbox: string,
    gr: string,
    key: string,
    copy: KubeObject | undefined,
    owners: ReadonlySet<string>,
  ): void {
    for (const cluster of owners) {
      const wmw = this.#wmws.get(cluster);
      if (!wmw) continue;
      for (const e of wmw.apply(mailbox, gr, key, copy, (mb) => this.#clusters.infoOf(mb))) {
        this.#enqueue(`sum:${cluster}|${e.name}`);
      }
    }
  }

  #informer<T extends KubeObject>(
    client: RestClient,
    ref: ResourceRef,
    on: (o: T) => void,
  ): Informer<T> {
    const handlers: InformerHandlers<T> = {
      onAdd: on,
      onUpdate: (a, b) => {
        on(a);
        on(b);
      },
      onDelete: on,
    };
    return new Informer<T>(restListWatch<T>(client, ref), handlers, {
      onError: (e) =>
        this.#log.warn("watch failed; retrying", { resource: ref.resource, error: e }),
    });
  }

  #inventoryChanged(o: KubeObject, field: "syncTargetName" | "locationName"): void {
    for (const mb of this.#clusters.mailboxesOf(clusterOf(o), field, o.metadata?.name ?? "")) {
      for (const [cluster, wmw] of this.#wmws) {
        if (!wmw.placementsAt.has(mb)) continue;
        let set = this.#dirty.get(cluster);
        if (!set) this.#dirty.set(cluster, set = new Set());
        set.add(mb);
        this.#enqueue(`wmw:${cluster}`);
      }
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
    );
    const locations = this.#informer(
      wild,
      found.wildcard("locations"),
      (o) => this.#inventoryChanged(o, "locationName"),
    );
    this.#clusters.inventory = { syncTargets, locations };
    const informers: Informer<KubeObject>[] = [
      this.#summarizers,
      this.#summaries,
      this.#placements,
      this.#slices,
      syncTargets,
      locations,
    ];
    const runs = informers.map((i) =>
      i.run(signal).catch((e) => this.#log.error("informer stopped", { error: e }))
    );
    try {
      await Promise.race([
        Promise.all(informers.map((i) => i.synced)),
        new Promise((r) => signal.addEventListener("abort", r, { once: true })),
      ]);
      if (!signal.aborted) {
        this.#log.info("inputs listed; summarizing");
        this.#readyResolve();
        await this.controller.run(signal);
      }
      await Promise.all(runs);
    } finally {
      this.#copies.stop();
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
    this.#copies.reconcileOwner(cluster, [], [], wmw.watched);
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
    const gone = [...(wmw?.summarizers.keys() ?? [])].filter((n) =>
      !summarizers.some((s) => s.metadata?.name === n)
    );
    for (const name of gone) this.#enqueue(`sum:${cluster}|${name}`);
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
        this.#selectionStale.add(cluster);
        this.#enqueue(`wmw:${cluster}`);
      });
    }
    for (const name of gone) wmw.summarizers.delete(name);
    const placements = this.#placements.list().filter((p) => clusterOf(p) === cluster);
    const placementsAt = new Map<string, EdgePlacement[]>();
    for (const p of placements) {
      const slice = this.#slices.get(`${cluster}|${p.metadata?.name}`);
      for (const d of slice?.destinations ?? []) {
        const mb = mailboxName(d.cluster, d.syncTargetUID);
        this.#clusters.set(mb, d);
        placementsAt.set(mb, [...(placementsAt.get(mb) ?? []), p]);
      }
    }
    const fingerprint = canonicalJson(
      placements.map((p) => [p.metadata?.name, p.spec?.downsync, p.spec?.upsync]),
    );
    const before = new Set(wmw.placementsAt.keys());
    const selectionChanged = fingerprint !== wmw.placementFingerprint ||
      this.#selectionStale.delete(cluster);
    wmw.placementsAt = placementsAt;
    wmw.placementFingerprint = fingerprint;
    const fresh: SummarizerEntry[] = [];
    let missingAny = false;
    for (const s of summarizers) {
      const name = s.metadata?.name ?? "";
      const uid = s.metadata?.uid ?? "";
      const had = wmw.summarizers.get(name);
      const sameSpec = had?.uid === uid && had.compiled.fingerprint === canonicalJson(s.spec ?? {});
      const compiled = sameSpec ? had!.compiled : compileSummarizer(s.spec);
      const { resources, missing } = await this.#served.resolve(cluster, compiled.objects);
      missingAny ||= missing.length > 0;
      const generation = s.metadata?.generation ?? 0;
      if (had && sameSpec && canonicalJson(had.resources) === canonicalJson(resources)) {
        had.generation = generation;
        had.missing = missing;
        continue;
      }
      const entry: SummarizerEntry = {
        name,
        uid,
        generation,
        compiled,
        state: new SummaryState(compiled.combined),
        resources,
        missing,
      };
      wmw.summarizers.set(name, entry);
      fresh.push(entry);
    }
    const wanted = new Map<string, VersionedResource>();
    for (const e of wmw.summarizers.values()) for (const r of e.resources) wanted.set(grOf(r), r);
    this.#copies.reconcileOwner(
      cluster,
      wmw.placementsAt.keys(),
      [...wanted.values()],
      wmw.watched,
    );
    const copies = (mb: string, gr: string) => this.#copies.copies(mb, gr);
    const info = (mb: string) => this.#clusters.infoOf(mb);
    const all = [...wmw.summarizers.values()];
    const dirty = this.#dirty.get(cluster) ?? new Set<string>();
    this.#dirty.delete(cluster);
    if (selectionChanged) {
      const mailboxes = new Set([...before, ...wmw.knownMailboxes()]);
      for (const mb of mailboxes) wmw.rebuildMailbox(mb, copies, info, all);
    } else {
      if (fresh.length > 0) {
        for (const mb of wmw.placementsAt.keys()) wmw.rebuildMailbox(mb, copies, info, fresh);
      }
      const others = all.filter((e) => !fresh.includes(e));
      const moved = [...before].filter((mb) => !placementsAt.has(mb));
      moved.push(...[...placementsAt.keys()].filter((mb) => !before.has(mb)), ...dirty);
      for (const mb of new Set(moved)) wmw.rebuildMailbox(mb, copies, info, others);
    }
    for (const e of all) this.#enqueue(`sum:${cluster}|${e.name}`);
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
    const now = this.#wallClock().toISOString().replace(/\.\d+Z$/, "Z");
    await this.#writer.writeConditions(
      cluster,
      s,
      conditionsFor(e, s.status?.conditions, now),
      e.generation,
    );
    await this.#writer.writeSummary(cluster, e, existing, now);
  }
}
