/**
 * The one implementation of {@link ObjectStore} semantics, over any {@link StoreBackend}:
 * errors for missing and existing keys and failed preconditions, the global resourceVersion
 * counter, copies in and out (callers never share objects with the store), and watch
 * events through a {@link WatchHub}. `openMemoryStore` and `openSqliteStore` only choose the
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
  type ListCursor,
  type ListPosition,
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
import type { StoreBackend, WriteRefusal } from "./store_backend.ts";
import { type HubEvent, WatchHub } from "./watch_hub.ts";

/** Options shared by every store. */
export interface StoreOptions {
  /** How many recent events are kept for resuming watches (default 20,000). */
  historySize?: number;
  /** Bound of the history's total JSON length in characters (default 64 Mi). */
  historyChars?: number;
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
  /** Watches looked at by live delivery so far (fan-out work). */
  watchDeliveryVisits: number;
  /** Event objects that watch listeners had parsed from their JSON so far. */
  watchObjectParses: number;
  /** Writes (creates, updates, deletes) made since the store was opened. */
  writes: number;
  /** Commits since the store was opened: one per write, or per batch that wrote. */
  commits: number;
  /** Lookups of single keys the backend's cache answered, and those it did not (if it caches). */
  cacheHits?: number;
  cacheMisses?: number;
}

/** A batch in progress: its events wait for the commit. */
interface OpenBatch {
  events: HubEvent[];
  /** Whether the backend's transaction has begun (at the first write). */
  began: boolean;
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

/**
 * A copy of the object's labels for its watch event, or undefined when they are not all
 * strings or a name would not copy as it is (a watch then parses the stored JSON, which
 * says exactly what was stored).
 */
function labelsOf(object: KubeObject): Readonly<Record<string, string>> | undefined {
  const labels = object.metadata?.labels;
  if (labels === undefined) return {};
  if (labels === null || typeof labels !== "object" || Array.isArray(labels)) return undefined;
  const copy: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    const value = (labels as Record<string, unknown>)[name];
    if (typeof value !== "string" || name === "__proto__") return undefined;
    copy[name] = value;
  }
  return copy;
}

/** Serialises `object` with `metadata.resourceVersion` set, without touching `object`. */
function withResourceVersion(object: KubeObject, resourceVersion: number): string {
  const metadata = { ...(object.metadata ?? {}), resourceVersion: String(resourceVersion) };
  return JSON.stringify({ ...object, metadata });
}

function conflict(key: ObjectKey): ConflictError {
  return new ConflictError(
    `Operation cannot be fulfilled on ${qualifiedResource(key.resource)} "${key.name}": ` +
      "the object has been modified; please apply your changes to the latest version " +
      "and try again",
  );
}

/** The precondition as a number; a value no object can have is an immediate conflict. */
function expectedVersion(key: ObjectKey, conditions?: WriteConditions): number | undefined {
  const expected = conditions?.expectedResourceVersion;
  if (expected === undefined || expected === "") return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(expected)) throw conflict(key);
  return Number(expected);
}

/** Throws the error a backend's refusal stands for. */
function refuse(key: ObjectKey, refusal: WriteRefusal | undefined): void {
  if (refusal === "missing") throw new NotFoundError(`${describe(key)} not found`);
  if (refusal === "conflict") throw conflict(key);
}

/** {@link ObjectStore} over a backend; see the module documentation. */
export class BackedObjectStore implements ObjectStore {
  readonly #backend: StoreBackend;
  readonly #hub: WatchHub;
  #resourceVersion: number;
  #closed = false;
  #batch: OpenBatch | undefined;
  #writes = 0;
  #commits = 0;

  constructor(backend: StoreBackend, options: StoreOptions = {}) {
    this.#backend = backend;
    this.#resourceVersion = backend.highWaterMark();
    this.#hub = new WatchHub({
      historySize: options.historySize,
      historyChars: options.historyChars,
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

  getJson(key: ObjectKey): string | undefined {
    this.#open();
    return this.#backend.read(key)?.json;
  }

  has(key: ObjectKey): boolean {
    this.#open();
    return this.#backend.exists?.(key) ?? this.#backend.read(key) !== undefined;
  }

  list(scope: ListScope): { items: KubeObject[]; resourceVersion: number } {
    this.#open();
    const items = this.#backend.list(scope).map((json) => JSON.parse(json) as KubeObject);
    return { items, resourceVersion: this.#resourceVersion };
  }

  openListCursor(scope: ListScope, after?: ListPosition): ListCursor {
    this.#open();
    const cursor = this.#backend.openCursor(scope, after);
    return {
      resourceVersion: this.#resourceVersion,
      next: (max, maxChars) => cursor.next(max, maxChars),
      remaining: () => cursor.remaining(),
      close: () => cursor.close(),
    };
  }

  create(key: ObjectKey, object: KubeObject): KubeObject {
    return JSON.parse(this.createJson(key, object)) as KubeObject;
  }

  update(key: ObjectKey, object: KubeObject, conditions?: WriteConditions): KubeObject {
    return JSON.parse(this.updateJson(key, object, conditions)) as KubeObject;
  }

  createJson(key: ObjectKey, object: KubeObject): string {
    this.#open();
    checkKey(key);
    const resourceVersion = this.#resourceVersion + 1;
    const json = withResourceVersion(object, resourceVersion);
    this.#beginWrite();
    if (!this.#backend.insert(key, { json, resourceVersion })) {
      throw new AlreadyExistsError(`${describe(key)} already exists`);
    }
    this.#committed("ADDED", key, json, resourceVersion, labelsOf(object));
    return json;
  }

  updateJson(key: ObjectKey, object: KubeObject, conditions?: WriteConditions): string {
    this.#open();
    checkKey(key);
    const expected = expectedVersion(key, conditions);
    const resourceVersion = this.#resourceVersion + 1;
    const json = withResourceVersion(object, resourceVersion);
    this.#beginWrite();
    refuse(key, this.#backend.replace(key, { json, resourceVersion }, expected));
    this.#committed("MODIFIED", key, json, resourceVersion, labelsOf(object));
    return json;
  }

  delete(key: ObjectKey, conditions?: WriteConditions): KubeObject {
    this.#open();
    checkKey(key);
    const expected = expectedVersion(key, conditions);
    const resourceVersion = this.#resourceVersion + 1;
    this.#beginWrite();
    const removed = this.#backend.remove(key, resourceVersion, expected);
    if (typeof removed === "string") refuse(key, removed);
    const last = JSON.parse((removed as { json: string }).json) as KubeObject;
    const json = withResourceVersion(last, resourceVersion);
    this.#committed("DELETED", key, json, resourceVersion, labelsOf(last));
    return JSON.parse(json) as KubeObject;
  }

  batch<T>(fn: () => T): T {
    this.#open();
    if (this.#batch) return fn();
    const batch: OpenBatch = { events: [], began: false };
    this.#batch = batch;
    let result: T;
    try {
      result = fn();
    } finally {
      this.#batch = undefined;
      this.#commitBatch(batch);
    }
    return result;
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
    const cache = this.#backend.cacheStats?.();
    return {
      objects: this.#backend.count(),
      resourceVersion: this.#resourceVersion,
      historyLength: this.#hub.historyLength,
      oldestResumableResourceVersion: this.#hub.oldestResumable,
      watches: this.#hub.watchCount,
      watchDeliveryVisits: this.#hub.deliveryVisits,
      watchObjectParses: this.#hub.objectParses,
      writes: this.#writes,
      commits: this.#commits,
      ...(cache ? { cacheHits: cache.hits, cacheMisses: cache.misses } : {}),
    };
  }

  /** Stops every watch and closes the backend. Calling it again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.stopAll();
    this.#backend.close();
  }

  /** Before a backend write: inside a batch, the backend's transaction begins at the first. */
  #beginWrite(): void {
    const batch = this.#batch;
    if (!batch || batch.began) return;
    this.#backend.begin?.();
    batch.began = true;
  }

  /** After a backend write: publishes it, or keeps its event for the batch's commit. */
  #committed(
    type: StoreEventType,
    key: ObjectKey,
    json: string,
    resourceVersion: number,
    labels: Readonly<Record<string, string>> | undefined,
  ): void {
    this.#resourceVersion = resourceVersion;
    this.#writes++;
    const { cluster, resource, namespace, name } = key;
    const event: HubEvent = {
      type,
      key: { cluster, resource, namespace, name },
      json,
      resourceVersion,
      labels,
    };
    if (this.#batch) {
      this.#batch.events.push(event);
      return;
    }
    this.#commits++;
    this.#hub.publish(event);
  }

  /** Commits a batch's writes and publishes their events; undoes them if the commit fails. */
  #commitBatch(batch: OpenBatch): void {
    if (!batch.began) return;
    try {
      this.#backend.commit?.();
    } catch (error) {
      // Nothing of the batch is kept or published. Its resourceVersions are not used
      // again: the code in the batch has seen them.
      this.#writes -= batch.events.length;
      throw error;
    }
    if (batch.events.length > 0) this.#commits++;
    for (const event of batch.events) this.#hub.publish(event);
  }

  #open(): void {
    if (this.#closed) {
      throw new StoreError(`the object store (${this.#backend.description}) is closed`);
    }
  }
}
