/**
 * The placement translator (controllers-spec §4): keeps every mailbox workspace's
 * contents equal to what the EdgePlacements targeting it select, customized for that
 * destination, plus the SyncerConfig `the-one`; maintains reported state for
 * singleton placements; reports placement problems.
 *
 * Inputs, all watched (no polling, no sleeps): EdgePlacements, SinglePlacementSlices,
 * Customizers, Locations and SyncTargets through kcp's `/clusters/*` wildcard; the
 * mailbox Workspaces in the ESPW; and, per workload management workspace holding a
 * placement, the objects of every resource a placement there could select
 * (`WmwWatcher`). Work is keyed `mb:<mailbox>` (write one mailbox) and
 * `wmw:<cluster>` (watch set, problems, reported state of one workspace), so a change
 * re-examines only what it can affect, and every reconcile is level-based: restarts
 * and missed events converge.
 *
 * @example
 * ```ts
 * const t = new PlacementTranslator({ client, log });
 * await t.run(signal);
 * ```
 *
 * @module
 */
import { Controller, type Reconcile } from "../../controller/controller.ts";
import { Informer, type InformerHandlers } from "../../controller/informer.ts";
import { type KubeObject, objectKey } from "../../controller/list_watch.ts";
import {
  type Customizer,
  type EdgePlacement,
  mailboxName,
  parseMailboxName,
  type SinglePlacementSlice,
} from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { retryLogLevel } from "../../kube/rest_errors.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import { Logger } from "../../log/logger.ts";
import { DestinationIndex } from "./destination_index.ts";
import { desiredMailbox, type PlacementAtDestination } from "./desired_mailbox.ts";
import { MailboxWriter } from "./mailbox_writer.ts";
import { ProblemReporter } from "./problem_reporter.ts";
import { projectForMailbox } from "./mailbox_projection.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { waitForEdgeExport } from "../runtime/edge_resources.ts";
import { realClock } from "../../controller/clock.ts";
import { partKey, type PlacementSelection, selectForPlacement } from "./selection.ts";
import { type SingletonObject, SingletonState } from "./singleton_state.ts";
import { syncerConfigSpec } from "./syncer_config_spec.ts";
import { WmwWatcher } from "./wmw_watcher.ts";

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
}

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

type Meta = { metadata?: { name?: string; annotations?: Record<string, string> } };

function clusterOf(o: Meta): string {
  return o.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

/** The key of a cluster-scoped object seen through the wildcard: `<cluster>|<name>`. */
function keyOf(o: Meta): string {
  return `${clusterOf(o)}|${o.metadata?.name ?? ""}`;
}

/** The running translator. */
export class PlacementTranslator {
  readonly #client: RestClient;
  readonly #espw: string;
  readonly #log: Logger;
  readonly controller: Controller;
  readonly #index = new DestinationIndex();
  readonly #watchers = new Map<string, WmwWatcher>();
  readonly #writers = new Map<string, MailboxWriter>();
  readonly #memo = new Map<string, { gen: number; rv: string; sel: PlacementSelection }>();
  readonly #reporter: ProblemReporter;
  readonly #singletons: SingletonState;
  #placements!: Informer<EdgePlacement & KubeObject>;
  #customizers!: Informer<Customizer & KubeObject>;
  #locations!: Informer;
  #syncTargets!: Informer;
  #workspaces!: Informer;
  #readyResolve!: () => void;
  /** Resolves once every input has been listed and work has started. */
  readonly ready: Promise<void> = new Promise((r) => (this.#readyResolve = r));
  /** Writes done so far (creates, updates, deletes). */
  writes = 0;

  constructor(options: PlacementTranslatorOptions) {
    this.#client = options.client;
    this.#espw = options.espwPath ?? "root:espw";
    this.#log = options.log ?? new Logger("placement-translator");
    this.#reporter = new ProblemReporter(this.#client, this.#log);
    this.#singletons = new SingletonState(
      this.#client,
      (mb) => this.#mailboxPath(mb),
      (wmw) => this.#enqueue(`wmw:${wmw}`),
      this.#log,
    );
    const reconcile: Reconcile = (key) => this.#reconcile(key);
    const workers = options.workers ?? 8;
    this.controller = options.controller?.("placement-translator", reconcile, workers) ??
      new Controller("placement-translator", reconcile, {
        workers,
        onResult: (key, e) => {
          if (e) this.#log[retryLogLevel(e)]("reconcile failed; will retry", { key, error: e });
        },
      });
  }

  #mailboxPath(mailbox: string): string {
    return `${this.#espw}:${mailbox}`;
  }

  #enqueue(key: string): void {
    this.controller.enqueue(key);
  }

  #enqueueMailboxes(mailboxes: Iterable<string>): void {
    for (const mb of mailboxes) this.#enqueue(`mb:${mb}`);
  }

  /** Every mailbox a placement in `wmw` targets, and the workspace itself. */
  #wmwChanged(wmw: string): void {
    this.#enqueue(`wmw:${wmw}`);
    for (const ep of this.#placementsIn(wmw)) {
      this.#enqueueMailboxes(this.#index.mailboxesOf(keyOf(ep)));
    }
  }

  #placementsIn(wmw: string): EdgePlacement[] {
    return this.#placements.list().filter((p) => clusterOf(p) === wmw);
  }

  #handlers<T extends KubeObject>(on: (o: T) => void): InformerHandlers<T> {
    return {
      onAdd: on,
      onUpdate: (a, b) => {
        on(a);
        on(b);
      },
      onDelete: on,
    };
  }

  #informer<T extends KubeObject>(
    client: RestClient,
    ref: ResourceRef,
    handlers?: InformerHandlers<T>,
  ): Informer<T> {
    return new Informer<T>(restListWatch<T>(client, ref), handlers, {
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
    this.#placements = this.#informer(
      wild,
      edge("edgeplacements"),
      this.#handlers<EdgePlacement & KubeObject>((ep) => {
        const key = objectKey(ep);
        if (!this.#placements.get(key)) {
          this.#memo.delete(key);
          this.#reporter.forget(key);
        }
        this.#enqueue(`wmw:${clusterOf(ep)}`);
        this.#enqueueMailboxes(this.#index.mailboxesOf(key));
      }),
    );
    const slices = this.#informer<SinglePlacementSlice & KubeObject>(
      wild,
      edge("singleplacementslices"),
    );
    slices.addHandlers(this.#handlers((sps) => {
      const key = objectKey(sps);
      const current = slices.get(key);
      this.#log.debug("slice", { key, destinations: current?.destinations?.length });
      this.#enqueueMailboxes(
        current ? this.#index.set(key, current.destinations ?? []) : this.#index.remove(key),
      );
      this.#enqueue(`wmw:${clusterOf(sps)}`);
    }));
    this.#customizers = this.#informer(
      wild,
      edge("customizers"),
      this.#handlers((c) => this.#wmwChanged(clusterOf(c))),
    );
    this.#locations = this.#informer(
      wild,
      edge("locations"),
      this.#handlers((l) =>
        this.#enqueueMailboxes(
          this.#index.mailboxesWhere((d) =>
            d.cluster === clusterOf(l) && d.locationName === l.metadata?.name
          ),
        )
      ),
    );
    this.#syncTargets = this.#informer(
      wild,
      edge("synctargets"),
      this.#handlers((st) =>
        this.#enqueue(`mb:${mailboxName(clusterOf(st), st.metadata?.uid ?? "")}`)
      ),
    );
    this.#workspaces = this.#informer(
      espw,
      WORKSPACES,
      this.#handlers((ws) => {
        const name = ws.metadata?.name ?? "";
        if (parseMailboxName(name)) this.#enqueue(`mb:${name}`);
      }),
    );
    const informers: Informer<KubeObject>[] = [
      this.#placements,
      slices,
      this.#customizers,
      this.#locations,
      this.#syncTargets,
      this.#workspaces,
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
        this.#log.info("inputs listed; translating");
        this.#readyResolve();
        await this.controller.run(signal);
      }
      await Promise.all(runs);
    } finally {
      for (const w of this.#watchers.values()) w.stop();
      this.#watchers.clear();
      for (const w of this.#writers.values()) w.close();
      this.#writers.clear();
      this.#singletons.stop();
      wild.close();
      espw.close();
    }
  }

  async #reconcile(key: string): Promise<void> {
    if (key.startsWith("mb:")) return await this.#reconcileMailbox(key.slice(3));
    if (key.startsWith("wmw:")) return await this.#reconcileWmw(key.slice(4));
  }

  #selection(ep: EdgePlacement, watcher: WmwWatcher): PlacementSelection {
    const key = keyOf(ep);
    const rv = ep.metadata.resourceVersion ?? "";
    const memo = this.#memo.get(key);
    if (memo && memo.gen === watcher.generation && memo.rv === rv) return memo.sel;
    const sel = selectForPlacement(ep, watcher);
    this.#memo.set(key, { gen: watcher.generation, rv, sel });
    return sel;
  }

  async #reconcileWmw(wmw: string): Promise<void> {
    const placements = this.#placementsIn(wmw);
    let watcher = this.#watchers.get(wmw);
    if (placements.length === 0) {
      watcher?.stop();
      this.#watchers.delete(wmw);
      await this.#singletons.reconcile(wmw, []);
      return;
    }
    if (!watcher) {
      const client = this.#client.withCluster(wmw);
      watcher = new WmwWatcher(wmw, client, {
        onChange: () => this.#wmwChanged(wmw),
        onResourcesChanged: () => this.#enqueue(`wmw:${wmw}`),
      }, this.#log);
      this.#watchers.set(wmw, watcher);
    }
    await watcher.refresh(placements);
    if (!watcher.synced) return; // its informers enqueue this key once they have listed
    const singletons = new Map<string, SingletonObject & { want: boolean }>();
    for (const ep of placements) {
      const sel = this.#selection(ep, watcher);
      this.#reporter.report(wmw, ep, "selection", sel.problems);
      const want = ep.spec?.wantSingletonReportedState === true;
      const mailboxes = this.#index.mailboxesOf(keyOf(ep));
      for (const p of sel.parts) {
        if (p.testIndex < 0) continue;
        const k = partKey(p.info, p.namespace, p.name);
        let s = singletons.get(k);
        if (!s) {
          s = {
            info: p.info,
            namespace: p.namespace,
            name: p.name,
            source: p.object,
            mailboxes: [],
            want: false,
          };
          singletons.set(k, s);
        }
        s.want ||= want;
        s.mailboxes = [...new Set([...s.mailboxes, ...mailboxes])];
      }
    }
    await this.#singletons.reconcile(wmw, [...singletons.values()].filter((s) => s.want));
  }

  /** The mailbox's Workspace when it is Ready. */
  #readyMailbox(mailbox: string): KubeObject | undefined {
    const ws = this.#workspaces.list().find((w) => w.metadata?.name === mailbox);
    return (ws?.status as { phase?: string } | undefined)?.phase === "Ready" ? ws : undefined;
  }

  async #reconcileMailbox(mailbox: string): Promise<void> {
    const workspace = this.#readyMailbox(mailbox);
    if (!workspace) {
      this.#writers.get(mailbox)?.close(); // what it knew is void once the workspace goes
      this.#writers.delete(mailbox);
      return; // a Workspace event brings it back
    }
    const inputs: PlacementAtDestination[] = [];
    for (const pk of this.#index.placementsOf(mailbox)) {
      const ep = this.#placements.get(pk);
      if (!ep) continue;
      const wmw = clusterOf(ep);
      const watcher = this.#watchers.get(wmw);
      if (!watcher?.synced) {
        this.#enqueue(`wmw:${wmw}`);
        return; // not known yet: its first list enqueues this mailbox
      }
      const destination = this.#index.destinationsOf(pk).find((d) =>
        mailboxName(d.cluster, d.syncTargetUID) === mailbox
      )!;
      inputs.push({
        placementKey: pk,
        wmw,
        placement: ep,
        destination,
        selection: this.#selection(ep, watcher),
      });
    }
    const desired = desiredMailbox(inputs);
    this.#log.debug("desired", { mailbox, placements: inputs.length, objects: desired.parts.size });
    for (const c of desired.conflicts) this.#log.debug("conflict", { mailbox, conflict: c });
    const { objects, problems } = projectForMailbox(desired, {
      location: (d) => this.#locations.get(`${d.cluster}|${d.locationName}`),
      syncTarget: (d) => this.#syncTargets.get(`${d.cluster}|${d.syncTargetName}`),
      customizer: (cluster, ns, name) => this.#customizers.get(`${cluster}|${ns}/${name}`),
    });
    for (const i of inputs) {
      this.#reporter.report(
        i.wmw,
        i.placement,
        `mailbox:${mailbox}`,
        [...new Set(problems.get(i.placementKey) ?? [])],
      );
    }
    let writer = this.#writers.get(mailbox);
    if (writer && writer.workspaceUid !== workspace.metadata?.uid) {
      writer.close(); // the workspace was re-created: nothing it knew holds
      writer = undefined;
    }
    if (!writer) {
      writer = new MailboxWriter(
        mailbox,
        workspace.metadata?.uid ?? "",
        this.#client.withCluster(this.#mailboxPath(mailbox)),
        this.#log,
      );
      this.#writers.set(mailbox, writer);
    }
    const { writes } = await writer.apply(objects, syncerConfigSpec(desired));
    this.writes += writes;
    if (writes > 0) this.#log.debug("mailbox updated", { mailbox, writes });
  }
}
