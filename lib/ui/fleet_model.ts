/**
 * What `kubestellar ui` knows of the fleet, kept current by the controllers' own watch
 * machinery (informers over list + watch, a work queue for per-workspace work):
 *
 * - through the edge APIExport's view of every bound workspace (`openEdgeView`):
 *   SyncTargets, Locations, EdgePlacements, SinglePlacementSlices, SyncerConfigs (with
 *   the syncers' heartbeats) and StatusSummaries (when the hub serves them);
 * - the mailbox Workspaces in the ESPW (name → logical cluster, phase);
 * - per workload management workspace, the objects its placements can select
 *   (`WmwSelections`), and across mailboxes the projected copies (`MailboxCopies`).
 *
 * Each change is published on the change feed by topic (`fleet`, `placements`, `hub`);
 * `version(topic)` grows synchronously with every publication, so views can memoize.
 * Nothing here writes: every client it is given is read-only.
 *
 * @example
 * ```ts
 * const model = new FleetModel({ client, allClusters, espwPath: "root:espw", feed, log });
 * const done = model.run(signal);
 * await model.ready;
 * ```
 *
 * @module
 */
import { Controller } from "../controller/controller.ts";
import { realClock } from "../controller/clock.ts";
import { Informer } from "../controller/informer.ts";
import type { KubeObject } from "../controller/list_watch.ts";
import { restListWatch } from "../controller/rest_list_watch.ts";
import type {
  EdgePlacement,
  Location,
  SinglePlacementSlice,
  SyncerConfig,
  SyncTarget,
} from "../edge/api_types.ts";
import { mailboxName } from "../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import type { Logger } from "../log/logger.ts";
import { openEdgeView, waitForEdgeExport } from "../controllers/runtime/edge_resources.ts";
import type { ChangeFeed } from "./change_feed.ts";
import { HubHealth } from "./hub_health.ts";
import { MailboxCopies } from "./mailbox_copies.ts";
import { type SyncerLiveness, syncerLiveness } from "./syncer_liveness.ts";
import { WmwSelections } from "./wmw_selections.ts";
import { WorkspacePaths } from "./workspace_paths.ts";
import { readOnly } from "./read_only_client.ts";

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

/** Options of `FleetModel`. */
export interface FleetModelOptions {
  /** The user's selected context (read-only). */
  client: RestClient;
  /** The context for reads across every workspace (read-only; may equal `client`). */
  allClusters: RestClient;
  espwPath: string;
  feed: ChangeFeed;
  log: Logger;
  /** Longest retry delay of watches (default 5 000 ms). */
  backoffMaxMs?: number;
  /** Interval of hub probes while connected (default 10 000 ms; 1 000 while not). */
  probeMs?: number;
}

type Obj<T> = T & KubeObject;

/** The informers of the model. */
export interface FleetInputs {
  syncTargets: Informer<Obj<SyncTarget>>;
  locations: Informer<Obj<Location>>;
  placements: Informer<Obj<EdgePlacement>>;
  slices: Informer<Obj<SinglePlacementSlice>>;
  syncerConfigs: Informer<Obj<SyncerConfig>>;
  summaries: Informer;
  workspaces: Informer;
}

/** A mailbox workspace as the ESPW lists it. */
export interface MailboxInfo {
  name: string;
  /** Its logical cluster id ("" until assigned). */
  cluster: string;
  phase: string;
}

/** The logical cluster an object seen through a wildcard lives in. */
export function clusterOf(o: KubeObject): string {
  return o.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

/** The fleet, kept current. */
export class FleetModel {
  readonly health: HubHealth;
  readonly paths: WorkspacePaths;
  readonly selections: WmwSelections;
  readonly copies: MailboxCopies;
  readonly espwPath: string;
  readonly #opts: FleetModelOptions;
  readonly #versions = new Map<string, number>();
  readonly #liveStates = new Map<string, string>();
  readonly #mailboxes = new Map<string, KubeObject>();
  readonly #controller: Controller;
  #inputs: FleetInputs | undefined;
  #readyResolve!: () => void;
  /** Resolves once every input has been listed. */
  readonly ready: Promise<void> = new Promise((r) => (this.#readyResolve = r));

  constructor(options: FleetModelOptions) {
    this.#opts = options;
    this.espwPath = options.espwPath;
    this.health = new HubHealth(() => this.#publish("hub"));
    this.paths = new WorkspacePaths(options.client, () => this.#publish("fleet", "placements"));
    this.selections = new WmwSelections(options.client, {
      onChange: (wmw) => {
        this.#controller.enqueue(wmw);
        this.#publish("placements");
      },
      onResourcesChanged: (wmw) => this.#controller.enqueue(wmw),
    }, options.log);
    this.copies = new MailboxCopies(options.allClusters.withCluster("*"), {
      onChange: () => this.#publish("placements", "fleet"),
      onError: (source, e) => this.health.failed(source, e),
      onListed: (source) => this.health.problem(source, undefined),
    }, options.backoffMaxMs ?? 5_000);
    this.#controller = new Controller("ui-workspaces", (wmw) => this.#reconcileWmw(wmw), {
      workers: 2,
      retryMaxMs: 5_000,
      onResult: (wmw, e) => {
        if (e) this.health.failed(`workspace ${this.paths.of(wmw)}`, e);
      },
    });
  }

  /** The informers (undefined until the edge APIExport was found). */
  get inputs(): FleetInputs | undefined {
    return this.#inputs;
  }

  /** Grows with every change published on `topic`. */
  version(topic: string): number {
    return this.#versions.get(topic) ?? 0;
  }

  #publish(...topics: string[]): void {
    for (const t of topics) {
      this.#versions.set(t, this.version(t) + 1);
      this.#opts.feed.publish(t);
    }
  }

  /** The mailbox Workspace of a SyncTarget, when the ESPW lists it. */
  mailboxOf(st: Obj<SyncTarget>): MailboxInfo {
    return this.mailbox(mailboxName(clusterOf(st), st.metadata?.uid ?? ""));
  }

  /** The mailbox Workspace named `name` in the ESPW. */
  mailbox(name: string): MailboxInfo {
    const ws = this.#mailboxes.get(name);
    return {
      name,
      cluster: (ws?.spec as { cluster?: string } | undefined)?.cluster ?? "",
      phase: (ws?.status as { phase?: string } | undefined)?.phase ?? "",
    };
  }

  /** The SyncerConfig `the-one` of a mailbox logical cluster. */
  syncerConfigOf(mailboxCluster: string): Obj<SyncerConfig> | undefined {
    return mailboxCluster
      ? this.#inputs?.syncerConfigs.get(`${mailboxCluster}|the-one`)
      : undefined;
  }

  /** The liveness of the syncer of a mailbox logical cluster, now. */
  livenessOf(mailboxCluster: string, now = new Date()): SyncerLiveness {
    return syncerLiveness(this.syncerConfigOf(mailboxCluster), now);
  }

  /** Every placement in workspace `wmw`. */
  placementsIn(wmw: string): Obj<EdgePlacement>[] {
    return (this.#inputs?.placements.list() ?? []).filter((p) => clusterOf(p) === wmw);
  }

  async #reconcileWmw(wmw: string): Promise<void> {
    await this.selections.reconcile(wmw, this.placementsIn(wmw));
    this.copies.want(this.selections.selectedResources());
  }

  /** An informer whose errors and recoveries feed the hub's health. */
  #informer<T extends KubeObject>(
    client: RestClient,
    ref: ResourceRef,
    source: string,
    onChange: (oldObj: T | undefined, newObj: T | undefined) => void,
    optional = false,
  ): Informer<T> {
    const ok = () => this.health.problem(source, undefined);
    const informer = new Informer<T>(restListWatch<T>(client, ref), {
      onAdd: (o) => (ok(), onChange(undefined, o)),
      onUpdate: (o, n) => (ok(), onChange(o, n)),
      onDelete: (o) => (ok(), onChange(o, undefined)),
    }, {
      backoffMaxMs: this.#opts.backoffMaxMs ?? 5_000,
      // An optional kind the hub does not serve (yet) is no problem.
      onError: (e) => optional && isNotFound(e) ? undefined : this.health.failed(source, e),
    });
    informer.synced.then(ok);
    return informer;
  }

  #syncerConfigChanged(o?: Obj<SyncerConfig>, n?: Obj<SyncerConfig>): void {
    if (!o || !n || JSON.stringify(o.spec) !== JSON.stringify(n.spec)) {
      return this.#publish("fleet", "placements");
    }
    // A heartbeat: news only when it changes how the syncer or its copies look.
    const mb = clusterOf(n);
    const state = syncerLiveness(n, new Date()).state;
    if (this.#liveStates.get(mb) !== state) {
      this.#liveStates.set(mb, state);
      this.#publish("fleet", "placements");
    } else if (this.copies.changedSince(mb, o.status?.lastSyncerHeartbeatTime)) {
      this.#publish("placements");
    }
  }

  /** Publishes syncers whose liveness changed with time alone (a heartbeat went stale). */
  #sweepLiveness(): void {
    const now = new Date();
    let flipped = false;
    for (const c of this.#inputs?.syncerConfigs.list() ?? []) {
      const mb = clusterOf(c);
      const state = syncerLiveness(c, now).state;
      if (this.#liveStates.get(mb) !== state) {
        this.#liveStates.set(mb, state);
        flipped = true;
      }
    }
    if (flipped) this.#publish("fleet", "placements");
  }

  async #probe(signal: AbortSignal): Promise<void> {
    const root = this.#opts.client.withCluster("root");
    try {
      while (!signal.aborted) {
        try {
          await root.list(WORKSPACES, { limit: 1, signal });
          this.health.succeeded();
        } catch (e) {
          if (!signal.aborted) this.health.failed("hub", e);
        }
        this.#sweepLiveness();
        const ms = this.health.connected ? (this.#opts.probeMs ?? 10_000) : 1_000;
        await realClock.sleep(Math.min(ms, 5_000), signal);
      }
    } finally {
      root.close();
    }
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const probing = this.#probe(signal);
    const { client, allClusters, espwPath, log } = this.#opts;
    this.health.waitingFor(`the edge APIExport in ${espwPath} (has 'kubestellar init' run?)`);
    const edge = await waitForEdgeExport({ client, espwPath, log, clock: realClock }, signal);
    if (!edge) return await probing;
    this.health.waitingFor(undefined);
    const view = openEdgeView(edge, { client, allClusters });
    // The view builds its own client for the virtual workspace: keep it read-only too.
    const viewAll = readOnly(view.all);
    const espw = client.withCluster(espwPath);
    const fleet = () => this.#publish("fleet", "placements");
    const placements = () => this.#publish("placements");
    const inputs: FleetInputs = {
      syncTargets: this.#informer(viewAll, view.ref("synctargets"), "SyncTargets", fleet),
      locations: this.#informer(viewAll, view.ref("locations"), "Locations", fleet),
      placements: this.#informer<Obj<EdgePlacement>>(
        viewAll,
        view.ref("edgeplacements"),
        "EdgePlacements",
        (o, n) => {
          if (!n && o) this.selections.forget(o);
          this.#controller.enqueue(clusterOf((n ?? o)!));
          placements();
        },
      ),
      slices: this.#informer(viewAll, view.ref("singleplacementslices"), "slices", placements),
      syncerConfigs: this.#informer<Obj<SyncerConfig>>(
        viewAll,
        view.ref("syncerconfigs"),
        "SyncerConfigs",
        (o, n) => this.#syncerConfigChanged(o, n),
      ),
      summaries: this.#informer(
        viewAll,
        view.ref("statussummaries"),
        "StatusSummaries",
        placements,
        true,
      ),
      workspaces: this.#informer(espw, WORKSPACES, `Workspaces in ${espwPath}`, (o, n) => {
        const name = (n ?? o)?.metadata?.name ?? "";
        if (n) this.#mailboxes.set(name, n);
        else this.#mailboxes.delete(name);
        const id = (n?.spec as { cluster?: string } | undefined)?.cluster;
        if (id) this.paths.learn(id, `${espwPath}:${name}`);
        fleet();
      }),
    };
    this.#inputs = inputs;
    const all = Object.values(inputs) as Informer[];
    const runs = all.map((i) => i.run(signal).catch((e) => log.error("watch stopped", { e })));
    const required = all.filter((i) => i !== inputs.summaries);
    Promise.all(required.map((i) => i.synced)).then(() => {
      this.health.succeeded();
      this.#readyResolve();
      this.#publish("fleet", "placements");
    });
    try {
      await Promise.all([...runs, this.#controller.run(signal), probing]);
    } finally {
      this.selections.stop();
      this.copies.stop();
      espw.close();
      view.close();
    }
  }
}
