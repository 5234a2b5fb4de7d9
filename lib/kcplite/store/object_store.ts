/**
 * The contract of kcp-lite's object store: every object of every logical cluster, one
 * global monotonic resourceVersion, and watch streams that can resume from a
 * resourceVersion (or fail with {@link ResourceVersionTooOldError}, which the server
 * turns into `410 Gone`).
 *
 * The store is synchronous on purpose: a list followed by a watch from the list's
 * resourceVersion is atomic in JavaScript, and nothing can be written in between.
 * It stores objects as given; uid, timestamps, generation and validation belong to the
 * REST layer above it. Only `metadata.resourceVersion` is set by the store.
 *
 * Keys: `resource` is `<group>/<plural>` with an empty group for the core API
 * (`/configmaps`, `apps/deployments`, `tenancy.kcp.io/workspaces`); `namespace` is `""`
 * for cluster-scoped objects; `cluster` is the logical cluster id (`kube` in kube mode).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";

/** Where one object lives. */
export interface ObjectKey {
  cluster: string;
  resource: string;
  namespace: string;
  name: string;
}

/** What a list or watch covers: one resource, optionally one cluster and namespace. */
export interface ListScope {
  /** Undefined: every logical cluster (the `/clusters/*` wildcard). */
  cluster?: string;
  resource: string;
  /** Undefined: every namespace. */
  namespace?: string;
}

/** The three kinds of change a watch reports. */
export type StoreEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change, in resourceVersion order. */
export interface StoreEvent {
  type: StoreEventType;
  key: ObjectKey;
  /** The object after the change; for DELETED, the last state with the deletion's RV. */
  object: KubeObject;
  resourceVersion: number;
  /**
   * The object as the store keeps it: JSON text that parses to `object`. A watch can send
   * it on without parsing and serializing the object again.
   */
  json?: string;
  /** The object's labels, read without parsing the object when the writer supplied them. */
  labels?: Readonly<Record<string, string>>;
}

/** A running watch. */
export interface StoreWatch {
  /** Stops delivery; idempotent. */
  stop(): void;
}

/** Where a list cursor starts: after this position in list order. */
export interface ListPosition {
  cluster: string;
  namespace: string;
  name: string;
}

/** One item a cursor yields: where it lives and its JSON text. */
export interface ListCursorItem extends ListPosition {
  json: string;
}

/** An incremental read of a list from a consistent snapshot ({@link ObjectStore.openListCursor}). */
export interface ListCursor {
  /** The store's resourceVersion at the snapshot. */
  readonly resourceVersion: number;
  /**
   * Up to `max` further items, in list order, stopping early once their JSON passes
   * `maxChars` characters (at least one item); empty at the end.
   */
  next(max: number, maxChars?: number): ListCursorItem[];
  /** How many items follow those read so far (same snapshot). */
  remaining(): number;
  /** Ends the read (idempotent); the cursor closes itself at the end. */
  close(): void;
}

/** Preconditions of update and delete. */
export interface WriteConditions {
  /** Fail with {@link ConflictError} unless the stored object has this resourceVersion. */
  expectedResourceVersion?: string;
}

/** The store. All methods are synchronous and never return shared mutable objects. */
export interface ObjectStore {
  /** The resourceVersion of the latest write (0 for an empty store). */
  currentResourceVersion(): number;
  get(key: ObjectKey): KubeObject | undefined;
  /** Whether an object is stored at `key` (without reading it whole). */
  has(key: ObjectKey): boolean;
  /** The stored object as JSON text (what {@link get} parses). */
  getJson(key: ObjectKey): string | undefined;
  /** Items sorted by cluster, namespace, name; `resourceVersion` is the store's current one. */
  list(scope: ListScope): { items: KubeObject[]; resourceVersion: number };
  /**
   * The items of `scope` (after `after`, in the order of {@link list}) as they are now,
   * read a page at a time: later writes do not show in the cursor, and memory does not
   * grow with the size of the list.
   */
  openListCursor(scope: ListScope, after?: ListPosition): ListCursor;
  /** Stores a new object. Throws {@link AlreadyExistsError}. */
  create(key: ObjectKey, object: KubeObject): KubeObject;
  /** Replaces an object. Throws {@link NotFoundError} or {@link ConflictError}. */
  update(key: ObjectKey, object: KubeObject, conditions?: WriteConditions): KubeObject;
  /** {@link create}, answering the stored object as JSON text (nothing parsed). */
  createJson(key: ObjectKey, object: KubeObject): string;
  /** {@link update}, answering the stored object as JSON text (nothing parsed). */
  updateJson(key: ObjectKey, object: KubeObject, conditions?: WriteConditions): string;
  /** Removes an object; returns it carrying the deletion's resourceVersion. */
  delete(key: ObjectKey, conditions?: WriteConditions): KubeObject;
  /**
   * Runs `fn`, whose writes are committed together when it returns (one transaction, for
   * durable stores) and reach watchers then, in resourceVersion order; reads inside `fn`
   * see them. `fn` must be synchronous: nothing else can read or write meanwhile, so no
   * client sees a write before it is durable, and a crash loses either all of the batch or
   * none of it. If `fn` throws, the writes it made before are still committed, as they
   * would have been one by one; if the commit fails, none is kept and it throws. A batch
   * inside a batch joins the outer one.
   */
  batch<T>(fn: () => T): T;
  /**
   * Delivers every change in `scope` with a resourceVersion above `fromResourceVersion`
   * (undefined: only changes after now), synchronously after each write (after the batch,
   * for writes in a {@link batch}), in order.
   * Throws {@link ResourceVersionTooOldError} when the history no longer reaches back.
   */
  watch(
    scope: ListScope,
    fromResourceVersion: number | undefined,
    listener: (event: StoreEvent) => void,
  ): StoreWatch;
  /** Flushes and closes; later calls throw. */
  close(): void;
}

/** Base of the store's failures. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `create` of a key that exists. */
export class AlreadyExistsError extends StoreError {}

/** `update`/`delete`/`get` of a key that does not exist. */
export class NotFoundError extends StoreError {}

/** A resourceVersion precondition failed. */
export class ConflictError extends StoreError {}

/** A watch asked for history the store no longer has (the server answers 410 Gone). */
export class ResourceVersionTooOldError extends StoreError {
  constructor(readonly requested: number, readonly oldestAvailable: number) {
    super(`too old resource version: ${requested} (${oldestAvailable})`);
  }
}
