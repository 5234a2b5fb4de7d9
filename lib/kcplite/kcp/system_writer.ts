/**
 * Writes the kcp-mode controllers make directly to the object store, with the defaulting
 * the REST layer would have done (uid, creationTimestamp, generation, `kcp.io/cluster`,
 * apiVersion/kind) and the finalizer semantics of the API (deleting an object that still
 * has finalizers only marks it).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  type ObjectKey,
  type ObjectStore,
} from "../store/object_store.ts";
import {
  A,
  finalizersOf,
  isDeleting,
  KINDS,
  LOGICAL_CLUSTER_NAME,
  nowTimestamp,
  R,
} from "./kcp_kinds.ts";

/** The key of an object named in `resource` of `cluster`. */
export function keyOf(
  cluster: string,
  resource: string,
  name: string,
  namespace = "",
): ObjectKey {
  return { cluster, resource, namespace, name };
}

/** The key of the LogicalCluster singleton of logical cluster `id`. */
export function logicalClusterKey(id: string): ObjectKey {
  return keyOf(id, R.logicalClusters, LOGICAL_CLUSTER_NAME);
}

/** System writes on one store. */
export class SystemWriter {
  constructor(readonly store: ObjectStore) {}

  /**
   * Fills uid, timestamps, generation, apiVersion/kind and `kcp.io/cluster`, in a copy of
   * `object` whose metadata is its own (the rest is shared: the store only serializes it).
   */
  withDefaults(key: ObjectKey, object: KubeObject): KubeObject {
    const obj: KubeObject = { ...object };
    const kind = KINDS[key.resource];
    if (kind && !obj.apiVersion) obj.apiVersion = kind.apiVersion;
    if (kind && !obj.kind) obj.kind = kind.kind;
    const md = obj.metadata = { ...object.metadata };
    md.name = key.name;
    if (key.namespace) md.namespace = key.namespace;
    else delete md.namespace;
    md.uid ??= crypto.randomUUID();
    md.creationTimestamp ??= nowTimestamp();
    md.generation ??= 1;
    md.annotations = { ...(md.annotations ?? {}), [A.cluster]: key.cluster };
    return obj;
  }

  /**
   * Creates the object unless one exists (which is not read). The create itself finds out:
   * an existence check first would cost a read for every new object.
   */
  ensure(key: ObjectKey, object: KubeObject): void {
    try {
      this.store.createJson(key, this.withDefaults(key, object));
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }

  /**
   * Applies `mutate` to the stored object and writes it if it changed (retrying on
   * conflicts). `mutate` may return false to skip the write. Nothing happens when there is
   * no object. `read` is what the caller has just read of it (the stored text and the
   * caller's own parse of it, which `mutate` may then change): the first attempt starts
   * from it instead of reading again.
   */
  mutate(
    key: ObjectKey,
    mutate: (obj: KubeObject) => boolean | void,
    read?: { text: string; object: KubeObject },
  ): void {
    for (let attempt = 0; attempt < 5; attempt++) {
      // Two parses of the stored text are cheaper than a clone, and the text itself tells
      // whether anything changed.
      const text = attempt === 0 && read ? read.text : this.store.getJson(key);
      if (text === undefined) return;
      const next = attempt === 0 && read ? read.object : JSON.parse(text) as KubeObject;
      const resourceVersion = next.metadata?.resourceVersion;
      if (mutate(next) === false || JSON.stringify(next) === text) return;
      if (isDeleting(next) && finalizersOf(next).length === 0) {
        this.#deleteNow(key, resourceVersion);
        return;
      }
      try {
        this.store.updateJson(key, next, { expectedResourceVersion: resourceVersion });
        return;
      } catch (e) {
        if (e instanceof ConflictError) continue;
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    }
    throw new Error(`too many conflicts writing ${key.resource} ${key.name}`);
  }

  /**
   * Deletes like the API does: an object with finalizers gets a deletionTimestamp, one
   * without is removed. Returns false when there was nothing to delete.
   */
  remove(key: ObjectKey): boolean {
    const current = this.store.get(key);
    if (!current) return false;
    if (finalizersOf(current).length > 0) {
      if (!isDeleting(current)) {
        this.mutate(key, (o) => {
          o.metadata!.deletionTimestamp = nowTimestamp();
        });
      }
      return true;
    }
    this.#deleteNow(key);
    return true;
  }

  /** Removes the object whatever its finalizers. */
  purge(key: ObjectKey): void {
    this.#deleteNow(key);
  }

  /** Removes one finalizer (deleting the object when it was the last of a deleted one). */
  removeFinalizer(key: ObjectKey, finalizer: string): void {
    this.mutate(key, (o) => {
      const list = finalizersOf(o);
      if (!list.includes(finalizer)) return false;
      o.metadata!.finalizers = list.filter((f) => f !== finalizer);
    });
  }

  /** Adds a finalizer if missing. */
  addFinalizer(key: ObjectKey, finalizer: string): void {
    this.mutate(key, (o) => {
      const list = finalizersOf(o);
      if (list.includes(finalizer)) return false;
      o.metadata!.finalizers = [...list, finalizer];
    });
  }

  #deleteNow(key: ObjectKey, expected?: string): void {
    try {
      this.store.delete(key, expected ? { expectedResourceVersion: expected } : undefined);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}
