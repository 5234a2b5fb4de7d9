/**
 * An object store that keeps everything in memory: the same semantics as the SQLite store
 * (it is the same {@link BackedObjectStore}), nothing survives the process. Meant for unit
 * tests of the layers above the store.
 *
 * @example
 * ```ts
 * const store = openMemoryStore();
 * store.create({ cluster: "c1", resource: "/configmaps", namespace: "ns", name: "a" }, {
 *   apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns" },
 * });
 * store.list({ cluster: "c1", resource: "/configmaps" }).items.length; // 1
 * store.close();
 * ```
 *
 * @module
 */
import { BackedObjectStore, type StoreOptions } from "./backed_store.ts";
import type { ListCursorItem, ListPosition, ListScope, ObjectKey } from "./object_store.ts";
import type { BackendCursor, StoreBackend, StoredRecord, WriteRefusal } from "./store_backend.ts";

/** resource → cluster → namespace → name → record. */
type Tree = Map<string, Map<string, Map<string, Map<string, StoredRecord>>>>;

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Compares string tuples element by element. */
function compareTuples(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function sorted<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(byKey);
}

/** Keeps records in nested maps; lists sort on demand. */
class MemoryBackend implements StoreBackend {
  readonly description = "memory";
  readonly #tree: Tree = new Map();
  #highWater: number;
  #count = 0;

  constructor(startResourceVersion: number) {
    this.#highWater = startResourceVersion;
  }

  highWaterMark(): number {
    return this.#highWater;
  }

  read(key: ObjectKey): StoredRecord | undefined {
    return this.#tree.get(key.resource)?.get(key.cluster)?.get(key.namespace)?.get(key.name);
  }

  insert(key: ObjectKey, record: StoredRecord): boolean {
    let clusters = this.#tree.get(key.resource);
    if (!clusters) this.#tree.set(key.resource, clusters = new Map());
    let namespaces = clusters.get(key.cluster);
    if (!namespaces) clusters.set(key.cluster, namespaces = new Map());
    let names = namespaces.get(key.namespace);
    if (!names) namespaces.set(key.namespace, names = new Map());
    if (names.has(key.name)) return false;
    names.set(key.name, { ...record });
    this.#count++;
    this.#raise(record.resourceVersion);
    return true;
  }

  replace(key: ObjectKey, record: StoredRecord, expected?: number): WriteRefusal | undefined {
    const names = this.#tree.get(key.resource)?.get(key.cluster)?.get(key.namespace);
    const current = names?.get(key.name);
    if (!current) return "missing";
    if (expected !== undefined && current.resourceVersion !== expected) return "conflict";
    names!.set(key.name, { ...record });
    this.#raise(record.resourceVersion);
  }

  remove(
    key: ObjectKey,
    resourceVersion: number,
    expected?: number,
  ): { json: string } | WriteRefusal {
    const clusters = this.#tree.get(key.resource);
    const namespaces = clusters?.get(key.cluster);
    const names = namespaces?.get(key.namespace);
    const current = names?.get(key.name);
    if (!current) return "missing";
    if (expected !== undefined && current.resourceVersion !== expected) return "conflict";
    names!.delete(key.name);
    this.#count--;
    if (names!.size === 0) namespaces!.delete(key.namespace);
    if (namespaces!.size === 0) clusters!.delete(key.cluster);
    if (clusters!.size === 0) this.#tree.delete(key.resource);
    this.#raise(resourceVersion);
    return { json: current.json };
  }

  #raise(resourceVersion: number): void {
    this.#highWater = Math.max(this.#highWater, resourceVersion);
  }

  list(scope: ListScope): string[] {
    return this.#records(scope).map((r) => r.json);
  }

  openCursor(scope: ListScope, after?: ListPosition): BackendCursor {
    const all = this.#records(scope);
    let at = 0;
    if (after) {
      const bound = [after.cluster, after.namespace, after.name];
      at = all.findIndex((r) => compareTuples([r.cluster, r.namespace, r.name], bound) > 0);
      if (at < 0) at = all.length;
    }
    return {
      next: (max, maxChars = Infinity) => {
        const out: ListCursorItem[] = [];
        let chars = 0;
        while (at < all.length && out.length < max && (out.length === 0 || chars < maxChars)) {
          chars += all[at].json.length;
          out.push(all[at++]);
        }
        return out;
      },
      remaining: () => all.length - at,
      close: () => {
        at = all.length;
      },
    };
  }

  #records(scope: ListScope): ListCursorItem[] {
    const clusters = this.#tree.get(scope.resource);
    if (!clusters) return [];
    const out: ListCursorItem[] = [];
    const clusterEntries = scope.cluster === undefined
      ? sorted(clusters)
      : clusters.has(scope.cluster)
      ? [[scope.cluster, clusters.get(scope.cluster)!] as const]
      : [];
    for (const [cluster, namespaces] of clusterEntries) {
      const nsEntries = scope.namespace === undefined
        ? sorted(namespaces)
        : namespaces.has(scope.namespace)
        ? [[scope.namespace, namespaces.get(scope.namespace)!] as const]
        : [];
      for (const [namespace, names] of nsEntries) {
        for (const [name, record] of sorted(names)) {
          out.push({ cluster, namespace, name, json: record.json });
        }
      }
    }
    return out;
  }

  count(): number {
    return this.#count;
  }

  close(): void {
    this.#tree.clear();
  }
}

/** Options of {@link openMemoryStore}. */
export interface MemoryStoreOptions extends StoreOptions {
  /** The resourceVersion the store starts from (default 0). */
  startResourceVersion?: number;
}

/** A store kept in memory (also exposes `stats()`). */
export type MemoryStore = BackedObjectStore;

/** Opens an empty in-memory store. */
export function openMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new BackedObjectStore(new MemoryBackend(options.startResourceVersion ?? 0), options);
}
