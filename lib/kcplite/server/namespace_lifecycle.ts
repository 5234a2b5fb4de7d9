/**
 * The namespace controller of kcp-lite (kcp-spec §8.1): once a namespace is `Terminating`,
 * every namespaced object in it is deleted (objects with finalizers are marked and waited
 * for), then the namespace itself is removed. Runs in the server process on timers, and
 * resumes namespaces that were terminating when the server stopped.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceRegistry } from "../api/resource_def.ts";
import type { ObjectStore } from "../store/object_store.ts";
import type { ClusterBackend } from "./cluster_backend.ts";
import { nowTimestamp } from "./object_lifecycle.ts";

const RETRY_MS = 200;

/**
 * How long a namespace's content outlives the DELETE of the namespace. Kubernetes'
 * namespace controller empties a namespace only after a discovery pass, and clients rely
 * on that moment: `kubectl delete -f` of a manifest that lists a namespace before its
 * objects deletes those objects next, and fails with NotFound if they are already gone.
 */
export const NAMESPACE_EMPTYING_DELAY_MS = 1000;

/** Empties and removes terminating namespaces. */
export class NamespaceLifecycle {
  #pending = new Map<string, ReturnType<typeof setTimeout>>();
  #stopped = false;

  constructor(private readonly store: ObjectStore, private readonly backend: ClusterBackend) {}

  /** Starts emptying a namespace after `delayMs` (idempotent). */
  terminate(cluster: string, namespace: string, delayMs = NAMESPACE_EMPTYING_DELAY_MS): void {
    const id = `${cluster}\u0000${namespace}`;
    if (this.#stopped || this.#pending.has(id)) return;
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      if (!this.#pass(cluster, namespace)) this.terminate(cluster, namespace, RETRY_MS);
    }, delayMs);
    this.#pending.set(id, timer);
  }

  /** Picks up namespaces that were terminating before a restart. */
  resume(): void {
    for (const ns of this.store.list({ resource: "/namespaces" }).items) {
      if (ns.metadata?.deletionTimestamp) {
        const cluster = this.#clusterOf(ns);
        if (cluster !== undefined) this.terminate(cluster, String(ns.metadata.name), 0);
      }
    }
  }

  #clusterOf(ns: KubeObject): string | undefined {
    const annotated = ns.metadata?.annotations?.["kcp.io/cluster"];
    return annotated ?? (this.backend.mode === "kube" ? this.backend.defaultCluster() : undefined);
  }

  /** Stops all timers. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#pending.clear();
  }

  /** One pass; true when the namespace is gone. */
  #pass(cluster: string, namespace: string): boolean {
    return emptyNamespace(this.store, this.backend.resources(cluster), cluster, namespace);
  }
}

/**
 * One pass of emptying a terminating namespace: objects without finalizers are removed,
 * the others marked for deletion; the namespace itself is removed once nothing is left.
 * True when the namespace is gone.
 */
export function emptyNamespace(
  store: ObjectStore,
  registry: ResourceRegistry,
  cluster: string,
  namespace: string,
): boolean {
  const nsKey = { cluster, resource: "/namespaces", namespace: "", name: namespace };
  const ns = store.get(nsKey);
  if (!ns) return true;
  let remaining = 0;
  const seen = new Set<string>();
  for (const def of registry.all()) {
    if (!def.namespaced || seen.has(def.storageResource)) continue;
    seen.add(def.storageResource);
    const { items } = store.list({ cluster, resource: def.storageResource, namespace });
    for (const obj of items) {
      const key = {
        cluster,
        resource: def.storageResource,
        namespace,
        name: obj.metadata!.name!,
      };
      const finalizers = (obj.metadata?.finalizers as unknown[] | undefined) ?? [];
      if (finalizers.length === 0) {
        store.delete(key);
        continue;
      }
      remaining++;
      if (!obj.metadata?.deletionTimestamp) {
        const marked = structuredClone(obj);
        marked.metadata!.deletionTimestamp = nowTimestamp();
        marked.metadata!.deletionGracePeriodSeconds = 0;
        store.update(key, marked);
      }
    }
  }
  if (remaining > 0) return false;
  store.delete(nsKey);
  return true;
}
