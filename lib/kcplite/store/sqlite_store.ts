/**
 * kcp-lite's durable object store: {@link BackedObjectStore} semantics over one SQLite file
 * (`node:sqlite`, WAL journal). One table holds every object keyed by
 * (resource, cluster, namespace, name) with its JSON and resourceVersion; a meta table
 * holds the kcp-lite marker, the schema version and the resourceVersion high-water mark,
 * which every write raises in the same transaction (deletes included), so
 * resourceVersions stay monotonic across restarts.
 *
 * Durability contract: each create/update/delete is its own SQLite transaction, committed
 * before the method returns. A returned write survives a crash of the process (SIGKILL
 * included); see {@link ./sqlite_file.ts} for the file format, the refusal of foreign
 * files and the `synchronous` choice.
 *
 * Nothing is cached in memory: reads and lists go to SQLite through prepared statements
 * and the primary key index, so opening a store costs the same for 10 or 100,000
 * objects. The watch history starts empty at each open (a watch from before the restart
 * gets `ResourceVersionTooOldError`, i.e. 410 Gone, and relists).
 *
 * @example
 * ```ts
 * const store = openSqliteStore("/var/lib/kcp-lite/objects.db");
 * try {
 *   store.create(key, object);
 * } finally {
 *   store.close();
 * }
 * ```
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { BackedObjectStore, type StoreOptions } from "./backed_store.ts";
import { type ListScope, type ObjectKey, StoreError } from "./object_store.ts";
import { openStoreFile, type SyncMode } from "./sqlite_file.ts";
import type { StoreBackend, StoredRecord } from "./store_backend.ts";

export { STORE_APPLICATION_ID, STORE_MAGIC, STORE_SCHEMA_VERSION } from "./sqlite_file.ts";

const KEY_WHERE = "resource = ? AND cluster = ? AND namespace = ? AND name = ?";

/** Records in an SQLite file. */
class SqliteBackend implements StoreBackend {
  readonly description: string;
  readonly #db: DatabaseSync;
  #highWater: number;
  readonly #read: StatementSync;
  readonly #upsert: StatementSync;
  readonly #delete: StatementSync;
  readonly #setMark: StatementSync;
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  readonly #listAll: StatementSync;
  readonly #listCluster: StatementSync;
  readonly #listNamespace: StatementSync;
  readonly #listNamespaceAllClusters: StatementSync;
  readonly #count: StatementSync;

  constructor(path: string, db: DatabaseSync, highWater: number) {
    this.description = path;
    this.#db = db;
    this.#highWater = highWater;
    const objects = "SELECT json FROM kcplite_objects WHERE resource = ?";
    this.#read = db.prepare(`SELECT json, rv FROM kcplite_objects WHERE ${KEY_WHERE}`);
    this.#upsert = db.prepare(
      "INSERT OR REPLACE INTO kcplite_objects (resource, cluster, namespace, name, rv, json) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#delete = db.prepare(`DELETE FROM kcplite_objects WHERE ${KEY_WHERE}`);
    this.#setMark = db.prepare(
      "UPDATE kcplite_meta SET value = ? WHERE key = 'resource_version'",
    );
    this.#begin = db.prepare("BEGIN");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#listAll = db.prepare(`${objects} ORDER BY cluster, namespace, name`);
    this.#listCluster = db.prepare(`${objects} AND cluster = ? ORDER BY namespace, name`);
    this.#listNamespace = db.prepare(
      `${objects} AND cluster = ? AND namespace = ? ORDER BY name`,
    );
    this.#listNamespaceAllClusters = db.prepare(
      `${objects} AND namespace = ? ORDER BY cluster, name`,
    );
    this.#count = db.prepare("SELECT count(*) AS n FROM kcplite_objects");
  }

  highWaterMark(): number {
    return this.#highWater;
  }

  read(key: ObjectKey): StoredRecord | undefined {
    const row = this.#read.get(key.resource, key.cluster, key.namespace, key.name) as
      | { json: string; rv: number }
      | undefined;
    return row ? { json: row.json, resourceVersion: row.rv } : undefined;
  }

  put(key: ObjectKey, record: StoredRecord): void {
    this.#transaction("writing", record.resourceVersion, () => {
      this.#upsert.run(
        key.resource,
        key.cluster,
        key.namespace,
        key.name,
        record.resourceVersion,
        record.json,
      );
    });
  }

  remove(key: ObjectKey, resourceVersion: number): void {
    this.#transaction("deleting from", resourceVersion, () => {
      this.#delete.run(key.resource, key.cluster, key.namespace, key.name);
    });
  }

  list(scope: ListScope): string[] {
    let rows: unknown[];
    if (scope.cluster === undefined) {
      rows = scope.namespace === undefined
        ? this.#listAll.all(scope.resource)
        : this.#listNamespaceAllClusters.all(scope.resource, scope.namespace);
    } else {
      rows = scope.namespace === undefined
        ? this.#listCluster.all(scope.resource, scope.cluster)
        : this.#listNamespace.all(scope.resource, scope.cluster, scope.namespace);
    }
    return (rows as { json: string }[]).map((row) => row.json);
  }

  count(): number {
    return Number((this.#count.get() as { n: number }).n);
  }

  close(): void {
    if (this.#db.isTransaction) this.#rollback.run();
    this.#db.close();
  }

  /** Runs `change` and raises the mark to `resourceVersion` in one committed transaction. */
  #transaction(what: string, resourceVersion: number, change: () => void): void {
    const mark = Math.max(this.#highWater, resourceVersion);
    this.#begin.run();
    try {
      change();
      this.#setMark.run(String(mark));
      this.#commit.run();
    } catch (error) {
      if (this.#db.isTransaction) {
        try {
          this.#rollback.run();
        } catch {
          // the original failure is the one to report
        }
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreError(`${what} kcp-lite store "${this.description}" failed: ${message}`);
    }
    this.#highWater = mark;
  }
}

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * `normal` (default): acknowledged writes survive a process crash (kill -9);
   * `full`: they also survive an operating-system crash or power loss (fsync per commit).
   */
  synchronous?: SyncMode;
}

/** A store in an SQLite file (also exposes `stats()`, `description` = the path). */
export type SqliteStore = BackedObjectStore;

/**
 * Opens the store file at `path`, creating it (mode 0600) when it does not exist.
 * Throws {@link StoreError} with one line naming the file when it is not a kcp-lite
 * store, is newer than this code, or is held by another process.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const { db, resourceVersion } = openStoreFile(path, options.synchronous);
  return new BackedObjectStore(new SqliteBackend(path, db, resourceVersion), options);
}
