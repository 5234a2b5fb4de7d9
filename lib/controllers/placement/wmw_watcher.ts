/**
 * The translator's view of one workload management workspace: discovery of the
 * resources it serves, and one informer per resource a placement there could select
 * (plus Namespaces, CRDs and APIBindings). A CRD or APIBinding change asks for a new
 * discovery, so resources that appear later (CRD-defined, newly bound) are picked up;
 * resources no placement covers any more stop being watched.
 *
 * It is a `WorkspaceCatalog`: the selection functions read it directly. `generation`
 * grows with every change, so callers can cache what they computed from it.
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
  /** An object changed (or an informer finished its first list). */
  onChange(): void;
  /** A CRD or APIBinding changed: `refresh` should rediscover. */
  onResourcesChanged(): void;
}

interface Watch {
  info: ApiResourceInfo;
  informer: Informer;
  abort: AbortController;
  synced: boolean;
}

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
  #generation = 0;

  constructor(cluster: string, client: RestClient, events: WmwWatcherEvents, log: Logger) {
    this.cluster = cluster;
    this.#client = client;
    this.#events = events;
    this.#log = log;
  }

  /** Grows with every change of what the catalog returns. */
  get generation(): number {
    return this.#generation;
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

  /** Asks the next `refresh` to run discovery again. */
  invalidate(): void {
    this.#needDiscovery = true;
  }

  /**
   * Discovers (when needed) and makes the set of informers match what `placements`
   * can select. Throws when discovery fails (the caller retries).
   */
  async refresh(placements: EdgePlacement[]): Promise<void> {
    if (this.#needDiscovery) {
      this.#needDiscovery = false;
      try {
        this.#resources = await discoverResources(this.#client);
      } catch (e) {
        this.#needDiscovery = true;
        throw e;
      }
      this.#discovered = true;
      this.#generation++;
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
        this.#generation++;
      }
    }
    for (const [gr, info] of wanted) if (!this.#watches.has(gr)) this.#start(gr, info);
  }

  #start(gr: string, info: ApiResourceInfo): void {
    const changed = () => {
      this.#generation++;
      if (watch.synced) {
        this.#events.onChange();
        if (DEFINER_RESOURCES.has(gr)) {
          this.#needDiscovery = true;
          this.#events.onResourcesChanged();
        }
      }
    };
    const informer = new Informer(
      restListWatch(this.#client, {
        group: info.group,
        version: info.version,
        resource: info.resource,
      }),
      { onAdd: changed, onUpdate: changed, onDelete: changed },
      {
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
      this.#generation++;
      this.#events.onChange();
    });
  }

  /** Stops every informer and releases the client. */
  stop(): void {
    for (const w of this.#watches.values()) w.abort.abort();
    this.#watches.clear();
    this.#client.close();
  }
}
