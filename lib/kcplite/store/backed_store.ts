/**
 * The one implementation of {@link ObjectStore} semantics, over any {@link StoreBackend}:
 * existence checks, resourceVersion preconditions, the global resourceVersion counter,
 * copies in and out (callers never share objects with the store), and watch events
 * through a {@link WatchHub}. `openMemoryStore` and `openSqliteStore` only choose the
 * backend.
 *
 * A write is acknowledged when the method returns: the backend has committed it, then
 * the counter advances and watchers are told. If the backend throws, nothing changed.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import {
  AlreadyExistsError,
  ConflictError,
  type ListScope,
  NotFoundError,
  type ObjectKey,
  type ObjectStore,
  StoreError,
  type StoreEvent,
  type StoreEventType,
  type StoreWatch,
  type WriteConditions,
} from "./object_store.ts";
import type { StoreBackend } from "./store_backend.ts";
import { WatchHub } from "./watch_hub.ts";

/** Options shared by every store. */
export interface StoreOptions {
  /** How many recent events are kept for resuming watches (default 20,000). */
  historySize?: number;
  /** Called when a watch listener throws (default: one line on stderr). */
  onListenerError?: (error: unknown, scope: ListScope) => void;
}

/** Figures about a store, for benchmarks and diagnostics. */
export interface StoreStats {
  objects: number;
  resourceVersion: number;
  historyLength: number;
  oldestResumableResourceVersion: number;
  watches: number;
}

/** `group/plural` → `plural.group`, as Kubernetes names a resource in messages. */
function qualifiedResource(resource: string): string {
  const slash = resource.indexOf("/");
  if (slash < 0) return resource;
  const group = resource.slice(0, slash);
  const plural = resource.slice(slash + 1);
  return group ? `${plural}.${group}` : plural;
}

function describe(key: ObjectKey): string {
  const where = key.namespace ? ` in namespace "${key.namespace}"` : "";
  return `${qualifiedResource(key.resource)} "${key.name}"${where} of cluster "${key.cluster}"`;
}

function checkKey(key: ObjectKey): void {
  for (const field of ["cluster", "resource", "namespace", "name"] as const) {
    if (typeof key[field] !== "string") {
      throw new StoreError(`object key field "${field}" must be a string`);
    }
  }
  if (!key.name) throw new StoreError(`object key needs a name (${key.resource})`);
  if (!key.cluster) throw new StoreError(`object key needs a cluster (${key.resource})`);
}

/** Serialises `object` with `metadata.resourceVersion` set, without touching `object`. */
function withResourceVersion(object: KubeObject, resourceVersion: number): string {
  const metadata = { ...(object.metadata ?? {}), resourceVersion: String(resourceVersion) };
  return JSON.stringify({ ...object, metadata });
}

/** {@link ObjectStore} over a backend; see the module documentation. */
export class BackedObjectStore implements ObjectStore {
  readonly #backend: StoreBackend;
  readonly #hub: WatchHub;
  #resourceVersion: number;
  #closed = false;

  constructor(backend: StoreBackend, options: StoreOptions = {}) {
    this.#backend = backend;
    this.#resourceVersion = backend.highWaterMark();
    this.#hub = new WatchHub({
      historySize: options.historySize,
      startResourceVersion: this.#resourceVersion,
      onListenerError: options.onListenerError,
    });
  }

  /** Where the objects live (`memory` or the file path). */
  get description(): string {
    return this.#backend.description;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  currentResourceVersion(): number {
    this.#open();
    return this.#resourceVersion;
  }

  get(key: ObjectKey): KubeObject | undefined {
    this.#open();
    const record = this.#backend.read(key);
    return record ? JSON.parse(record.json) as KubeObject : undefined;
  }

  list(scope: ListScope): { items: KubeObject[]; resourceVersion: number } {
    this.#open();
    const items = this.#backend.list(scope).map((json) => JSON.parse(json) as KubeObject);
    return { items, resourceVersion: this.#resourceVersion };
  }

  create(key: ObjectKey, object: KubeObject): KubeObject {
    this.#open();
    checkKey(key);
    if (this.#backend.read(key)) throw new AlreadyExistsError(`${describe(key)} already exists`);
    return this.#write("ADDED", key, object);
  }

  update(key: ObjectKey, object: KubeObject, conditions?: WriteConditions): KubeObject {
    this.#open();
    checkKey(key);
    const current = this.#backend.read(key);
    if (!current) throw new NotFoundError(`${describe(key)} not found`);
    this.#checkConditions(key, current.resourceVersion, conditions);
    return this.#write("MODIFIED", key, object);
  }

  delete(key: ObjectKey, conditions?: WriteConditions): KubeObject {
    this.#open();
    checkKey(key);
    const current = this.#backend.read(key);
    if (!current) throw new NotFoundError(`${describe(key)} not found`);
    this.#checkConditions(key, current.resourceVersion, conditions);
    const resourceVersion = this.#resourceVersion + 1;
    const json = withResourceVersion(JSON.parse(current.json) as KubeObject, resourceVersion);
    this.#backend.remove(key, resourceVersion);
    this.#committed("DELETED", key, json, resourceVersion);
    return JSON.parse(json) as KubeObject;
  }

  watch(
    scope: ListScope,
    fromResourceVersion: number | undefined,
    listener: (event: StoreEvent) => void,
  ): StoreWatch {
    this.#open();
    return this.#hub.watch(scope, fromResourceVersion, listener);
  }

  /** Figures about the store. */
  stats(): StoreStats {
    this.#open();
    return {
      objects: this.#backend.count(),
      resourceVersion: this.#resourceVersion,
      historyLength: this.#hub.historyLength,
      oldestResumableResourceVersion: this.#hub.oldestResumable,
      watches: this.#hub.watchCount,
    };
  }

  /** Stops every watch and closes the backend. Calling it again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.stopAll();
    this.#backend.close();
  }

  #write(type: StoreEventType, key: ObjectKey, object: KubeObject): KubeObject {
    const resourceVersion = this.#resourceVersion + 1;
    const json = withResourceVersion(object, resourceVersion);
    this.#backend.put(key, { json, resourceVersion });
    this.#committed(type, key, json, resourceVersion);
    return JSON.parse(json) as KubeObject;
  }

  #committed(type: StoreEventType, key: ObjectKey, json: string, resourceVersion: number): void {
    this.#resourceVersion = resourceVersion;
    const { cluster, resource, namespace, name } = key;
    this.#hub.publish({ type, key: { cluster, resource, namespace, name }, json, resourceVersion });
  }

  #checkConditions(key: ObjectKey, stored: number, conditions?: WriteConditions): void {
    const expected = conditions?.expectedResourceVersion;
    if (expected === undefined || expected === "") return;
    if (expected !== String(stored)) {
      throw new ConflictError(
        `Operation cannot be fulfilled on ${qualifiedResource(key.resource)} "${key.name}": ` +
          "the object has been modified; please apply your changes to the latest version " +
          "and try again",
      );
    }
  }

  #open(): void {
    if (this.#closed) {
      throw new StoreError(`the object store (${this.#backend.description}) is closed`);
    }
  }
}
