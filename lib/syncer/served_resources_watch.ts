/**
 * Tells the syncer at once when what one server serves changes, so that it re-plans
 * on the event instead of at its periodic re-check:
 *
 * - CustomResourceDefinitions: one becoming Established, its served versions or
 *   plural changing, or its deletion, changes what its group serves;
 * - kcp APIBindings (mailbox side, when the server serves `apis.kcp.io`): one
 *   becoming Bound, or its bound resources changing, changes the groups it binds.
 *
 * Both are informers (list + watch, relist on 410, back-off) that call
 * `onGroupChanged(group)`; the first list reports every group already served, which
 * is harmless (the caller only invalidates caches and re-plans). `ServedResourcesWatch`
 * wires them to one side of the syncer: it forgets that side's discovery of the group,
 * wakes that side's informers of the group waiting in back-off, and calls `onChanged`.
 *
 * @example
 * ```ts
 * const wecSide = { client: wecClient, discovery: wecDiscovery, informers: wecInformers };
 * new ServedResourcesWatch(wecSide, { onChanged: () => replan() }).run(signal);
 * ```
 *
 * @module
 */
import { realClock } from "../controller/clock.ts";
import { Informer } from "../controller/informer.ts";
import type { KubeObject } from "../controller/list_watch.ts";
import { restListWatch } from "../controller/rest_list_watch.ts";
import type { RestClient } from "../kube/rest_client.ts";
import type { ResourceDiscovery } from "./resource_discovery.ts";
import { parseResourceKey } from "./sync_plan.ts";

/** CustomResourceDefinitions. */
export const CRDS = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
};

/** kcp APIBindings. */
export const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

/** What a served-resources watch reports to. */
export interface ServedResourcesHandlers {
  /** What `group` serves may have changed. */
  onGroupChanged(group: string): void;
  /** A list or watch failed (it is retried with back-off). */
  onError?(e: unknown): void;
  /** Longest back-off delay (ms). */
  backoffMaxMs?: number;
}

interface Crd {
  spec?: {
    group?: string;
    names?: { plural?: string };
    versions?: Array<{ name?: string; served?: boolean }>;
  };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

/** What a CRD makes served: "" until Established, then its plural and served versions. */
export function crdServes(obj: KubeObject): string {
  const crd = obj as Crd;
  const established = crd.status?.conditions?.some((c) =>
    c.type === "Established" && c.status === "True"
  );
  if (!established) return "";
  const versions = (crd.spec?.versions ?? []).filter((v) => v.served).map((v) => v.name);
  return `${crd.spec?.names?.plural ?? ""}|${versions.join(",")}`;
}

interface Binding {
  status?: { phase?: string; boundResources?: Array<{ group?: string; resource?: string }> };
}

/** The group/resource pairs an APIBinding makes served (none until Bound). */
function bindingServes(obj: KubeObject): Array<{ group: string; resource: string }> {
  const status = (obj as Binding).status;
  if (status?.phase !== "Bound") return [];
  return (status.boundResources ?? []).map((r) => ({
    group: r.group ?? "",
    resource: r.resource ?? "",
  }));
}

function informerOf(
  client: RestClient,
  ref: typeof CRDS,
  handlers: ServedResourcesHandlers,
  groupsOf: (obj: KubeObject) => string[],
  serves: (obj: KubeObject) => string,
): Informer<KubeObject> {
  const report = (objs: KubeObject[]) => {
    for (const group of new Set(objs.flatMap(groupsOf))) handlers.onGroupChanged(group);
  };
  return new Informer<KubeObject>(restListWatch(client, ref), {
    onAdd: (o) => serves(o) !== "" && report([o]),
    onUpdate: (old, o) => serves(old) !== serves(o) && report([old, o]),
    onDelete: (o) => report([o]),
  }, {
    backoffMaxMs: handlers.backoffMaxMs,
    onError: handlers.onError,
  });
}

/** An informer on the server's CRDs reporting the groups whose served resources changed. */
export function crdWatch(client: RestClient, handlers: ServedResourcesHandlers): Informer {
  return informerOf(
    client,
    CRDS,
    handlers,
    (o) => [(o as Crd).spec?.group ?? ""],
    crdServes,
  );
}

/** An informer on the server's APIBindings reporting the groups whose bindings changed. */
export function apiBindingWatch(client: RestClient, handlers: ServedResourcesHandlers): Informer {
  return informerOf(
    client,
    API_BINDINGS,
    handlers,
    (o) => bindingServes(o).map((r) => r.group),
    (o) =>
      JSON.stringify(
        bindingServes(o).sort((a, b) =>
          `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`)
        ),
      ).replace(/^\[\]$/, ""),
  );
}

/** One side of the syncer (mailbox or WEC) as seen by `ServedResourcesWatch`. */
export interface ServedSide {
  client: RestClient;
  discovery: ResourceDiscovery;
  /** The side's informers by `resourceKey`. */
  informers: Map<string, Informer<KubeObject>>;
}

/** Options of `ServedResourcesWatch`. */
export interface ServedResourcesWatchOptions {
  /** Something this side serves changed: re-plan. */
  onChanged(): void;
  onError?(e: unknown): void;
  backoffMaxMs?: number;
  /** Also watch APIBindings when the server serves them (the mailbox under kcp). */
  apiBindings?: boolean;
}

/** Keeps one side of the syncer told about what its server serves. */
export class ServedResourcesWatch {
  readonly #side: ServedSide;
  readonly #options: ServedResourcesWatchOptions;

  constructor(side: ServedSide, options: ServedResourcesWatchOptions) {
    this.#side = side;
    this.#options = options;
  }

  #groupChanged(group: string): void {
    this.#side.discovery.invalidateGroup(group);
    for (const [key, informer] of this.#side.informers) {
      if (parseResourceKey(key).group === group) informer.retryNow();
    }
    this.#options.onChanged();
  }

  /** Runs the watches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const handlers: ServedResourcesHandlers = {
      onGroupChanged: (g) => this.#groupChanged(g),
      onError: this.#options.onError,
      backoffMaxMs: this.#options.backoffMaxMs,
    };
    const tasks = [crdWatch(this.#side.client, handlers).run(signal)];
    if (this.#options.apiBindings) tasks.push(this.#runBindings(handlers, signal));
    await Promise.all(tasks);
  }

  async #runBindings(handlers: ServedResourcesHandlers, signal: AbortSignal): Promise<void> {
    for (let delay = 200; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        if (!await this.#side.discovery.preferredVersion(API_BINDINGS.group)) return;
        return await apiBindingWatch(this.#side.client, handlers).run(signal);
      } catch (e) {
        if (signal.aborted) return;
        this.#options.onError?.(e);
        await realClock.sleep(delay, signal);
      }
    }
  }
}
