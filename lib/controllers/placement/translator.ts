/**
 * The placement translator (controllers-spec §4): keeps every mailbox workspace's
 * contents equal to what the EdgePlacements targeting it select, customized for that
 * destination, plus the SyncerConfig `the-one`; maintains reported state for
 * singleton placements; reports placement problems.
 *
 * Inputs, all watched (no polling, no sleeps): EdgePlacements, SinglePlacementSlices,
 * Customizers, Locations, SyncTargets and SyncerConfigs through kcp's `/clusters/*`
 * wildcard; the mailbox Workspaces in the ESPW; and, per workload management workspace
 * holding a placement, the objects of every resource a placement there could select
 * (`WmwWatcher`).
 *
 * Work is incremental, in front of level-based reconciles (docs/placement.md):
 * each event is turned into the exact (mailbox, object) pairs it can affect
 * (`TranslatorEvents`, `WmwSelection`), which are marked dirty on the mailbox's
 * `MailboxContent`; keys `mb:<mailbox>` write one mailbox's dirty objects (a full pass
 * on first sight and after inventory changes), `wmw:<cluster>` keeps one workspace's
 * watches, selections and problems, `so:<cluster>|<object>` the reported state of one
 * object. Bursts coalesce (a queued key collects every change until a worker takes it),
 * and every reconcile is level-based: restarts and missed events converge.
 *
 * @example
 * ```ts
 * const t = new PlacementTranslator({ client, log });
 * await t.run(signal);
 * ```
 *
 * @module
 */
import { runWithInformers } from "../../controller/run_with_informers.ts";
import { ConcurrencyLimit } from "../../controller/concurrency_limit.ts";
import { Controller, type Reconcile } from "../../controller/controller.ts";
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import type { MetricsRegistry } from "../../controller/metrics.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { realClock } from "../../controller/clock.ts";
import { TimeSlice } from "../../controller/yield.ts";
import type { Customizer, EdgePlacement } from "../../edge/api_types.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { retryLogLevel } from "../../kube/rest_errors.ts";
import { Logger } from "../../log/logger.ts";
import { waitForEdgeExport } from "../runtime/edge_resources.ts";
import { MailboxWriter } from "./mailbox_writer.ts";
import { PartProjector } from "./part_projection.ts";
import { ProblemReporter } from "./problem_reporter.ts";
import { placementProblems } from "./selection.ts";
import { SingletonState } from "./singleton_state.ts";
import { TranslatorEvents } from "./translator_events.ts";
import {
  parameterSourceForm,
  sliceForm,
  syncerConfigForm,
  translatorWorkspaceForm,
} from "./translator_cache_forms.ts";
import { type TranslatorCounters, TranslatorState } from "./translator_state.ts";

/** Options of the translator. */
export interface PlacementTranslatorOptions {
  /** A client on the kcp server with access to every workspace (e.g. `system:admin`). */
  client: RestClient;
  /** The ESPW holding the mailbox workspaces (default `root:espw`). */
  espwPath?: string;
  /** Concurrent reconciles (default 8). */
  workers?: number;
  log?: Logger;
  /** Makes the work-queue controller (default: a plain `Controller`); e.g. an instrumented one. */
  controller?: (name: string, reconcile: Reconcile, workers: number) => Controller;
  /** Where to expose the work counters (`kubestellar_placement_*_total`). */
  metrics?: MetricsRegistry;
  /** Mailbox writes in flight at once, all mailboxes together (default `WRITES_IN_FLIGHT`). */
  writesInFlight?: number;
}

/**
 * Mailbox writes in flight at once, all mailboxes together. Half of what the REST client
 * keeps on the wire to one server (`MAX_IN_FLIGHT_PER_KEY`): measured at 3,000 mailboxes
 * × 10 copies, 16 kept kcp-lite as busy as 32 did, with half the old-generation
 * collections in the controllers (22 instead of 43) and about a third less CPU per copy;
 * 4 left kcp-lite waiting (`docs/performance.md`; `concurrency_limit.ts` says why fewer
 * requests alive at once means less garbage collection).
 */
export const WRITES_IN_FLIGHT = 16;

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

/** The running translator. */
export class PlacementTranslator {
  readonly #client: RestClient;
  readonly #espw: string;
  readonly #log: Logger;
  readonly controller: Controller;
  readonly #state: TranslatorState;
  readonly #reporter: ProblemReporter;
  readonly #singletons: SingletonState;
  /** Turns for mailbox writes, shared by every mailbox reconcile. */
  readonly writeSlots: ConcurrencyLimit;
  #readyResolve!: () => void;
  /** Resolves once every input has been listed and work has started. */
  readonly ready: Promise<void> = new Promise((r) => (this.#readyResolve = r));

  constructor(options: PlacementTranslatorOptions) {
    this.#client = options.client;
    this.#espw = options.espwPath ?? "root:espw";
    this.#log = options.log ?? new Logger("placement-translator");
    this.#reporter = new ProblemReporter(this.#client, this.#log);
    this.writeSlots = new ConcurrencyLimit(options.writesInFlight ?? WRITES_IN_FLIGHT);
    const reconcile: Reconcile = (key) => this.#reconcile(key);
    const workers = options.workers ?? 8;
    this.controller = options.controller?.("placement-translator", reconcile, workers) ??
      new Controller("placement-translator", reconcile, {
        workers,
        onResult: (key, e) => {
          if (e) this.#log[retryLogLevel(e)]("reconcile failed; will retry", { key, error: e });
        },
      });
    this.#state = new TranslatorState((key) => this.controller.enqueue(key));
    this.#singletons = new SingletonState(
      this.#client,
      (mb) => this.#mailboxPath(mb),
      (wmw, key) => this.controller.enqueue(`so:${wmw}|${key}`),
      this.#log,
    );
    if (options.metrics) this.#state.expose(options.metrics);
  }

  /** Counts of the work done so far (read by the counting tests and the benchmarks). */
  get counters(): Readonly<TranslatorCounters> {
    return this.#state.counters;
  }

  /** Writes done so far (creates, updates, deletes). */
  get writes(): number {
    return this.#state.counters.writes;
  }

  #mailboxPath(mailbox: string): string {
    return `${this.#espw}:${mailbox}`;
  }

  #informer<T extends KubeObject>(
    client: RestClient,
    ref: ResourceRef,
    forms: { cachedForm?: (o: KubeObject) => KubeObject; keyOf?: (o: KubeObject) => string } = {},
  ): Informer<T> {
    return new Informer<T>(restListWatch<T>(client, ref), undefined, {
      ...forms,
      onError: (e) =>
        this.#log.warn("watch failed; retrying", { resource: ref.resource, error: e }),
    });
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const found = await waitForEdgeExport(
      { client: this.#client, espwPath: this.#espw, log: this.#log, clock: realClock },
      signal,
    );
    if (!found) return;
    this.#log.info("Found APIExport identity", { export: EDGE_EXPORT_NAME });
    const edge = (resource: string) => found.wildcard(resource);
    const wild = this.#client.withCluster("*");
    const espw = this.#client.withCluster(this.#espw);
    const s = this.#state;
    s.placements = this.#informer<EdgePlacement & KubeObject>(wild, edge("edgeplacements"));
    s.slices = this.#informer(wild, edge("singleplacementslices"), { cachedForm: sliceForm });
    s.customizers = this.#informer<Customizer & KubeObject>(wild, edge("customizers"));
    const cachedForm = parameterSourceForm;
    s.locations = this.#informer(wild, edge("locations"), { cachedForm });
    s.syncTargets = this.#informer(wild, edge("synctargets"), { cachedForm });
    s.syncerConfigs = this.#informer(wild, edge("syncerconfigs"), {
      cachedForm: syncerConfigForm,
    });
    s.workspaces = this.#informer(espw, WORKSPACES, {
      keyOf: (o) => o.metadata?.name ?? "",
      cachedForm: translatorWorkspaceForm,
    });
    s.projector = new PartProjector({
      location: (d) => s.locations.get(`${d.cluster}|${d.locationName}`),
      syncTarget: (d) => s.syncTargets.get(`${d.cluster}|${d.syncTargetName}`),
      customizer: (cluster, ns, name) => s.customizers.get(`${cluster}|${ns}/${name}`),
    }, s.counters);
    new TranslatorEvents(s, this.#client, this.#log, (pk) => this.#reporter.forget(pk)).attach();
    const informers: Informer<KubeObject>[] = [
      s.placements,
      s.slices,
      s.customizers,
      s.locations,
      s.syncTargets,
      s.syncerConfigs,
      s.workspaces,
    ];
    try {
      await runWithInformers(informers, signal, async () => {
        this.#log.info("inputs listed; translating");
        this.#readyResolve();
        await this.controller.run(signal);
      }, { onInformerError: (e) => this.#log.error("informer stopped", { error: e }) });
    } finally {
      s.stop();
      this.#singletons.stop();
      wild.close();
      espw.close();
    }
  }

  async #reconcile(key: string): Promise<void> {
    if (key.startsWith("mb:")) return await this.#reconcileMailbox(key.slice(3));
    if (key.startsWith("wmw:")) return await this.#reconcileWmw(key.slice(4));
    if (key.startsWith("so:")) return await this.#reconcileSingleton(key.slice(3));
  }

  async #reconcileWmw(wmw: string): Promise<void> {
    const s = this.#state;
    s.counters.wmwReconciles++;
    const pks = s.placementsIn(wmw);
    if (pks.length === 0) return s.dropWorkspace(wmw);
    const { watcher, selection } = s.workspace(wmw);
    const placements = pks.map((pk) => s.placements.get(pk)!).filter((p) => p);
    if (await watcher.refresh(placements)) { for (const pk of pks) s.needSelect(wmw, pk); }
    if (!watcher.synced) return; // its informers enqueue this key once they have listed
    const slice = new TimeSlice();
    for (const pk of s.takeSelections(wmw)) {
      await slice.maybeYield();
      const first = !selection.selected(pk);
      selection.select(pk);
      if (first) s.placementSelected(pk);
    }
    for (const pk of pks) {
      const cp = selection.compiled(pk);
      if (cp) this.#reporter.report(wmw, cp.placement, "selection", placementProblems(cp, watcher));
    }
  }

  async #reconcileSingleton(id: string): Promise<void> {
    const s = this.#state;
    s.counters.singletonReconciles++;
    const bar = id.indexOf("|");
    const wmw = id.slice(0, bar);
    const key = id.slice(bar + 1);
    const o = s.singletonObject(wmw, key);
    await this.#singletons.reconcile(wmw, key, o);
  }

  async #reconcileMailbox(mailbox: string): Promise<void> {
    const s = this.#state;
    s.counters.mailboxReconciles++;
    const workspace = s.readyMailbox(mailbox);
    if (!workspace) return s.mailboxGone(mailbox); // a Workspace event brings it back
    const sources = s.mailboxSources(mailbox);
    if (!sources) return; // a placement's selection is not known yet: its first one enqueues this
    let content = s.contents.get(mailbox);
    const uid = workspace.metadata?.uid ?? "";
    const previous = () => s.syncerConfigOf(workspace);
    if (!content && sources.placements.length === 0 && !previous()) return; // never targeted
    if (!content || content.writer?.workspaceUid !== uid) {
      content?.writer?.close(); // the workspace was re-created: nothing it knew holds
      content ??= s.content(mailbox);
      content.writer = new MailboxWriter(
        mailbox,
        uid,
        this.#client.withCluster(this.#mailboxPath(mailbox)),
        this.#log,
      );
      content.markFull();
    }
    const writes = await content.sync(
      sources,
      s.projector,
      this.#log,
      (pk, problems) => {
        const ep = s.placements.get(pk);
        if (ep) this.#reporter.report(s.clusterOfKey(pk), ep, `mailbox:${mailbox}`, problems);
      },
      previous,
      this.writeSlots,
    );
    s.counters.writes += writes;
    if (writes > 0) this.#log.debug("mailbox updated", { mailbox, writes });
  }
}
