/**
 * The translator's view of one workload management workspace: discovery of the
 * resources it serves, and one informer per resource a placement there could select
 * (plus Namespaces, CRDs and APIBindings). A CRD or APIBinding change asks for a new
 * discovery, so resources that appear later (CRD-defined, newly bound) are picked up;
 * resources no placement covers any more stop being watched.
 *
 * It is a `WorkspaceCatalog`: the selection functions read it directly. Each object
 * event after an informer's first list is passed on with the object (`onObject`), so
 * the translator works on what changed; `onSynced` says an informer finished its first
 * list (a full selection may now see more). Informer caches are indexed by namespace,
 * and they hold the only full copies of the workspace's objects. A watched resource
 * that vanishes from discovery is dropped only when a second discovery confirms it.
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import { type ApiResourceInfo, discoverResources, groupResource } from "./discovery.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { resourcesToWatch, type WorkspaceCatalog } from "./selection.ts";

/** What the watcher tells its owner. */
export interface WmwWatcherEvents {
  /** An object of a watched resource was added (`old` undefined), changed or deleted (`obj` undefined). */
  onObject(info: ApiResourceInfo, old: KubeObject | undefined, obj: KubeObject | undefined): void;
  /** The informer of `info` finished its first list: selections may now see its objects. */
  onSynced(info: ApiResourceInfo): void;
  /** A CRD or APIBinding changed: `refresh` should rediscover. */
  onResourcesChanged(): void;
}

interface Watch {
  info: ApiResourceInfo;
  informer: Informer;
  abort: AbortController;
  synced: boolean;
}

/** The cache key of an object within one workspace: `namespace/name` or `name`. */
function nsNameKey(o: KubeObject): string {
  const md = o.metadata ?? {};
  return md.namespace ? `${md.namespace}/${md.name ?? ""}` : (md.name ?? "");
}

/** How long a vanished resource waits for a confirming discovery. */
const CONFIRM_MS = 2_000;

const DEFINER_RESOURCES = new Set([
  "apiextensions.k8s.io/customresourcedefinitions",
  "apis.kcp.io/apibindings",
]);

/** Watches one workspace for the placement translator. */
export class WmwWatcher implements WorkspaceCatalog {
  readonly cluster: string;
  readonly #client: RestClient;
  readonly #events: WmwWatcherEvents;
  readonly #log: Logger;
  readonly #watches = new Map<string, Watch>();
  #resources: ApiResourceInfo[] = [];
  #discovered = false;
  #needDiscovery = true;
  #confirming = false;
  #recheck: ReturnType<typeof setTimeout> | undefined;

  constructor(cluster: string, client: RestClient, events: WmwWatcherEvents, log: Logger) {
    this.cluster = cluster;
    this.#client = client;
    this.#events = events;
    this.#log = log;
  }

  /** True once discovery ran and every informer has listed. */
  get synced(): boolean {
    return this.#discovered && [...this.#watches.values()].every((w) => w.synced);
  }

  resources(): ApiResourceInfo[] {
    return this.#resources;
  }

  objects(group: string, resource: string): KubeObject[] | undefined {
    const w = this.#watches.get(groupResource(group, resource));
    return w?.synced ? w.informer.list() : undefined;
  }

  /** The objects of one resource in one namespace (undefined when not watched). */
  objectsIn(group: string, resource: string, namespace: string): KubeObject[] | undefined {
    const w = this.#watches.get(groupResource(group, resource));
    return w?.synced ? w.informer.byIndex("namespace", namespace) : undefined;
  }

  /** One object from the cache. */
  get(group: string, resource: string, namespace: string, name: string): KubeObject | undefined {
    const w = this.#watches.get(groupResource(group, resource));
    return w?.informer.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Asks the next `refresh` to run discovery again. */
  invalidate(): void {
    this.#needDiscovery = true;
  }

  /**
   * Discovers (when needed) and makes the set of informers match what `placements`
   * can select. Throws when discovery fails (the caller retries). Resolves to true when
   * the served resources changed or a watch stopped (selections must be redone).
   */
  async refresh(placements: EdgePlacement[]): Promise<boolean> {
    let changed = false;
    if (this.#needDiscovery) {
      this.#needDiscovery = false;
      let found: ApiResourceInfo[];
      try {
        found = await discoverResources(this.#client);
      } catch (e) {
        this.#needDiscovery = true;
        throw e;
      }
      const lost = [...this.#watches.values()].some((w) =>
        !found.some((r) => r.group === w.info.group && r.resource === w.info.resource)
      );
      if (lost && !this.#confirming) {
        // A watched resource is no longer served: believe it only when a second discovery,
        // a moment later, agrees (a binding being updated can hide its resources briefly).
        this.#confirming = true;
        this.#needDiscovery = true;
        this.#recheck = setTimeout(() => this.#events.onResourcesChanged(), CONFIRM_MS);
      } else {
        this.#confirming = false;
        changed = !this.#discovered || JSON.stringify(found) !== JSON.stringify(this.#resources);
        if (changed) this.#resources = found;
        this.#discovered = true;
      }
    }
    const wanted = new Map(
      resourcesToWatch(placements, this.#resources).map((
        r,
      ) => [groupResource(r.group, r.resource), r]),
    );
    for (const [gr, w] of this.#watches) {
      const want = wanted.get(gr);
      if (!want || want.version !== w.info.version) {
        w.abort.abort();
        this.#watches.delete(gr);
        changed = true;
      }
    }
    for (const [gr, info] of wanted) if (!this.#watches.has(gr)) this.#start(gr, info);
    return changed;
  }

  #start(gr: string, info: ApiResourceInfo): void {
    const event = (old: KubeObject | undefined, obj: KubeObject | undefined) => {
      if (!watch.synced) return; // the first list is seen by the selection after `onSynced`
      this.#events.onObject(info, old, obj);
      if (DEFINER_RESOURCES.has(gr)) {
        this.#needDiscovery = true;
        this.#events.onResourcesChanged();
      }
    };
    const informer = new Informer(
      restListWatch(this.#client, {
        group: info.group,
        version: info.version,
        resource: info.resource,
      }),
      {
        onAdd: (o) => event(undefined, o),
        onUpdate: (old, o) => event(old, o),
        onDelete: (o) => event(o, undefined),
      },
      {
        keyOf: nsNameKey,
        indexers: { namespace: (o) => [o.metadata?.namespace ?? ""] },
        onError: (e) =>
          this.#log.debug("watch failed; retrying", {
            cluster: this.cluster,
            resource: gr,
            error: e,
          }),
      },
    );
    const abort = new AbortController();
    const watch: Watch = { info, informer, abort, synced: false };
    this.#watches.set(gr, watch);
    informer.run(abort.signal).catch((e) =>
      this.#log.error("informer stopped", { resource: gr, error: e })
    );
    informer.synced.then(() => {
      if (abort.signal.aborted) return;
      watch.synced = true;
      this.#events.onSynced(info);
    });
  }

  /** Stops every informer and releases the client. */
  stop(): void {
    clearTimeout(this.#recheck);
    for (const w of this.#watches.values()) w.abort.abort();
    this.#watches.clear();
    this.#client.close();
  }
}
