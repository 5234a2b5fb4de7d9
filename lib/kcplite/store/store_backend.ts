/**
 * The seam between kcp-lite's store semantics ({@link ./backed_store.ts}) and where the
 * objects physically live (memory, an SQLite file). A backend only keeps records: the
 * object's JSON text and its resourceVersion, plus the resourceVersion high-water mark.
 * Preconditions, resourceVersion assignment and watch events are not its business.
 *
 * Every write method must be atomic and, for durable backends, durable when it returns.
 *
 * @module
 */
import type { ListScope, ObjectKey } from "./object_store.ts";

/** One stored object. */
export interface StoredRecord {
  /** The object as JSON text, `metadata.resourceVersion` included. */
  json: string;
  resourceVersion: number;
}

/** Physical storage of a store. */
export interface StoreBackend {
  /** What the backend is, for messages (`memory`, the file path). */
  readonly description: string;
  /** The persisted resourceVersion high-water mark (0 for a new store). */
  highWaterMark(): number;
  read(key: ObjectKey): StoredRecord | undefined;
  /** Inserts or replaces the record at `key` and raises the high-water mark to its RV. */
  put(key: ObjectKey, record: StoredRecord): void;
  /** Removes the record at `key` and raises the high-water mark to `resourceVersion`. */
  remove(key: ObjectKey, resourceVersion: number): void;
  /** JSON texts of the records in `scope`, sorted by cluster, namespace, name. */
  list(scope: ListScope): string[];
  /** Number of stored objects. */
  count(): number;
  close(): void;
}
