/**
 * The seam between kcp-lite's store semantics ({@link ./backed_store.ts}) and where the
 * objects physically live (memory, an SQLite file). A backend only keeps records: the
 * object's JSON text and its resourceVersion, plus the resourceVersion high-water mark.
 * It checks the resourceVersion precondition it is given (so a conditional write is one
 * step); choosing resourceVersions and watch events are not its business.
 *
 * Every write method must be atomic and, for durable backends, durable when it returns,
 * except between {@link StoreBackend.begin} and {@link StoreBackend.commit}: there the
 * writes are made durable together, by the commit.
 *
 * @module
 */
import type { ListCursorItem, ListPosition, ListScope, ObjectKey } from "./object_store.ts";

/** One stored object. */
export interface StoredRecord {
  /** The object as JSON text, `metadata.resourceVersion` included. */
  json: string;
  resourceVersion: number;
}

/** An incremental read of a list from one consistent snapshot. */
export interface BackendCursor {
  /** Up to `max` further records, in list order, fewer past `maxChars` of JSON. */
  next(max: number, maxChars?: number): ListCursorItem[];
  /** How many records follow the ones read so far, in the same snapshot. */
  remaining(): number;
  /** Ends the read (idempotent). */
  close(): void;
}

/** Why a conditional write did not happen. */
export type WriteRefusal = "missing" | "conflict";

/** Physical storage of a store. */
export interface StoreBackend {
  /** What the backend is, for messages (`memory`, the file path). */
  readonly description: string;
  /** The persisted resourceVersion high-water mark (0 for a new store). */
  highWaterMark(): number;
  read(key: ObjectKey): StoredRecord | undefined;
  /** Whether a record exists at `key` (cheaper than {@link read} where a backend can). */
  exists?(key: ObjectKey): boolean;
  /** Stores a new record; returns false (and changes nothing) when `key` exists. */
  insert(key: ObjectKey, record: StoredRecord): boolean;
  /**
   * Replaces the record at `key`, if there is one and (when `expected` is given) it has
   * that resourceVersion; otherwise changes nothing and says why.
   */
  replace(key: ObjectKey, record: StoredRecord, expected?: number): WriteRefusal | undefined;
  /**
   * Removes the record at `key` under the same condition as {@link replace} and raises the
   * high-water mark to `resourceVersion`; returns the removed record's JSON or why not.
   */
  remove(
    key: ObjectKey,
    resourceVersion: number,
    expected?: number,
  ): { json: string } | WriteRefusal;
  /** JSON texts of the records in `scope`, sorted by cluster, namespace, name. */
  list(scope: ListScope): string[];
  /**
   * The records of `scope` after `after` (or from the start), in the order of
   * {@link list}, read incrementally from the state of the store at this call: writes
   * made while the cursor is open do not show in it.
   */
  openCursor(scope: ListScope, after?: ListPosition): BackendCursor;
  /** Number of stored objects. */
  count(): number;
  /** Reads of single keys answered from memory and from disk, for backends that cache. */
  cacheStats?(): { hits: number; misses: number };
  /**
   * Groups the following writes into one transaction, until {@link commit} or
   * {@link rollback}; reads see them meanwhile. Backends without it write each at once.
   */
  begin?(): void;
  /** Makes the writes since {@link begin} durable together; on failure undoes them and throws. */
  commit?(): void;
  /** Undoes the writes since {@link begin} (the high-water mark included). */
  rollback?(): void;
  close(): void;
}
