/**
 * Garbage collection by `ownerReferences` (kcp-spec §8.1), in the background after an
 * object is removed through the API: dependents that referenced it by uid lose that
 * reference; a dependent left without owners is deleted (or, with finalizers, marked
 * with `deletionTimestamp`), and its own dependents follow. With the `Orphan`
 * propagation policy dependents only lose the reference.
 *
 * Dependents are looked for in the owner's logical cluster: in the owner's namespace for
 * a namespaced owner, everywhere for a cluster-scoped one.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectKey, ObjectStore } from "../store/object_store.ts";
import { ConflictError, NotFoundError } from "../store/object_store.ts";
import type { ClusterBackend } from "./cluster_backend.ts";
import { nowTimestamp } from "./object_lifecycle.ts";

interface OwnerReference {
  uid?: string;
  [field: string]: unknown;
}

/** What the collector needs to know about a removed owner. */
export interface RemovedOwner {
  cluster: string;
  uid: string;
  /** The owner's namespace; empty for cluster-scoped owners. */
  namespace: string;
  orphan: boolean;
}

/** Collects dependents of removed objects. */
export class GarbageCollector {
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #stopped = false;

  constructor(private readonly store: ObjectStore, private readonly backend: ClusterBackend) {}

  /** Schedules collection for a removed object. */
  ownerRemoved(cluster: string, owner: KubeObject, orphan = false): void {
    const uid = owner.metadata?.uid;
    if (this.#stopped || !uid) return;
    const removed = { cluster, uid, namespace: owner.metadata?.namespace ?? "", orphan };
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      try {
        this.collect(removed);
      } catch {
        // A concurrent change; the object's next removal collects again.
      }
    }, 0);
    this.#timers.add(timer);
  }

  /** Stops pending collections. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Handles the dependents of one removed owner now. */
  collect(owner: RemovedOwner): void {
    const seen = new Set<string>();
    for (const def of this.backend.resources(owner.cluster).all()) {
      if (seen.has(def.storageResource)) continue;
      seen.add(def.storageResource);
      if (owner.namespace && !def.namespaced) continue;
      const { items } = this.store.list({
        cluster: owner.cluster,
        resource: def.storageResource,
        namespace: owner.namespace || undefined,
      });
      for (const obj of items) {
        const refs = (obj.metadata?.ownerReferences ?? []) as OwnerReference[];
        if (!refs.some((r) => r.uid === owner.uid)) continue;
        const key: ObjectKey = {
          cluster: owner.cluster,
          resource: def.storageResource,
          namespace: obj.metadata?.namespace ?? "",
          name: obj.metadata!.name!,
        };
        this.#release(key, obj, refs.filter((r) => r.uid !== owner.uid), owner.orphan);
      }
    }
  }

  #release(key: ObjectKey, obj: KubeObject, remaining: OwnerReference[], orphan: boolean) {
    const next = structuredClone(obj);
    const rv = { expectedResourceVersion: String(obj.metadata?.resourceVersion ?? "") };
    try {
      if (orphan || remaining.length > 0) {
        if (remaining.length > 0) next.metadata!.ownerReferences = remaining;
        else delete next.metadata!.ownerReferences;
        this.store.update(key, next, rv);
        return;
      }
      const finalizers = (obj.metadata?.finalizers as unknown[] | undefined) ?? [];
      if (finalizers.length > 0) {
        if (obj.metadata?.deletionTimestamp) return;
        next.metadata!.deletionTimestamp = nowTimestamp();
        next.metadata!.deletionGracePeriodSeconds = 0;
        this.store.update(key, next, rv);
        return;
      }
      const removed = this.store.delete(key, rv);
      this.ownerRemoved(key.cluster, removed);
    } catch (e) {
      if (e instanceof ConflictError || e instanceof NotFoundError) return;
      throw e;
    }
  }
}
