/**
 * kcp-lite's durable object store: {@link BackedObjectStore} semantics over one SQLite file
 * (`node:sqlite`, WAL journal). One table holds every object — its JSON under its
 * resourceVersion, indexed by (resource, cluster, namespace, name) — and a meta table the
 * kcp-lite marker, the schema version and the resourceVersion of the latest deletion, so
 * resourceVersions stay monotonic across restarts (layout in {@link ./sqlite_file.ts}).
 *
 * Durability contract: each create/update/delete is its own SQLite transaction, committed
 * before the method returns, except inside a batch (`ObjectStore.batch`: kcp-lite's own
 * controllers, and the API server's group commit of the write requests of one turn, see
 * `server/write_group.ts`): the batch is one transaction, committed when it ends and
 * before any of its events reaches a watcher. What has returned survives a crash of the
 * process (SIGKILL included); see {@link ./sqlite_file.ts} for the file format, the refusal
 * of foreign files and the `synchronous` choice, and {@link ./wal_checkpointer.ts} for the
 * WAL checkpoints a worker thread makes once the store is busy.
 *
 * Reads and lists go to SQLite through prepared statements and the key index, so opening
 * a store costs the same for 10 or 100,000 objects; a bounded cache of recent records
 * ({@link ./record_cache.ts}) answers single-key reads, exact because this backend makes
 * every write. Large lists are read through cursors on read-only connections
 * ({@link ./sqlite_cursor.ts}), from a snapshot of what is committed, a page at a time.
 * The watch history starts empty at each open (a watch from before the restart gets
 * `ResourceVersionTooOldError`, i.e. 410 Gone, and relists).
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
import { type ListPosition, type ListScope, type ObjectKey, StoreError } from "./object_store.ts";
import {
  FALLBACK_CHECKPOINT_PAGES,
  type OpenedStoreFile,
  openStoreFile,
  type SyncMode,
} from "./sqlite_file.ts";
import { type CheckpointOptions, CheckpointSchedule } from "./wal_checkpointer.ts";
import { SqliteCursors } from "./sqlite_cursor.ts";
import { RecordCache, type RecordCacheLimits } from "./record_cache.ts";
import type { BackendCursor, StoreBackend, StoredRecord, WriteRefusal } from "./store_backend.ts";

export { STORE_APPLICATION_ID, STORE_MAGIC, STORE_SCHEMA_VERSION } from "./sqlite_file.ts";

const KEY_WHERE = "resource = ? AND cluster = ? AND namespace = ? AND name = ?";

/** Records in an SQLite file. */
class SqliteBackend implements StoreBackend {
  readonly description: string;
  readonly #db: DatabaseSync;
  #highWater: number;
  readonly #read: StatementSync;
  readonly #exists: StatementSync;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #updateIf: StatementSync;
  readonly #delete: StatementSync;
  readonly #deleteIf: StatementSync;
  readonly #setMark: StatementSync;
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  /** Lists of a resource: of every cluster or one, of every namespace or one. */
  readonly #lists: StatementSync[];
  readonly #count: StatementSync;
  readonly #cursors: SqliteCursors;
  readonly #lock: Deno.FsFile | undefined;
  readonly #cache: RecordCache;
  /** The high-water mark when the open transaction began; undefined outside one. */
  #batchStart: number | undefined;
  readonly #checkpoints: CheckpointSchedule | undefined;

  constructor(
    path: string,
    opened: OpenedStoreFile,
    options: Pick<SqliteStoreOptions, "cache" | "backgroundCheckpoint">,
  ) {
    const { db, lock, resourceVersion: highWater } = opened;
    this.description = path;
    this.#db = db;
    this.#lock = lock;
    this.#cache = new RecordCache(options.cache);
    if (options.backgroundCheckpoint !== false) {
      // The store's own checkpoint stays, at a higher threshold, for when the worker lags.
      const raise = () => db.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
      this.#checkpoints = new CheckpointSchedule(path, options.backgroundCheckpoint ?? {}, raise);
    }
    this.#cursors = new SqliteCursors(path);
    this.#highWater = highWater;
    const objects = "SELECT json FROM kcplite_objects WHERE resource = ?";
    this.#read = db.prepare(`SELECT json, rv FROM kcplite_objects WHERE ${KEY_WHERE}`);
    this.#exists = db.prepare(`SELECT 1 AS found FROM kcplite_objects WHERE ${KEY_WHERE}`);
    this.#insert = db.prepare(
      "INSERT OR IGNORE INTO kcplite_objects (rv, json, resource, cluster, namespace, name) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    );
    const update = `UPDATE kcplite_objects SET rv = ?, json = ? WHERE ${KEY_WHERE}`;
    this.#update = db.prepare(update);
    this.#updateIf = db.prepare(`${update} AND rv = ?`);
    const del = `DELETE FROM kcplite_objects WHERE ${KEY_WHERE}`;
    this.#delete = db.prepare(`${del} RETURNING json`);
    this.#deleteIf = db.prepare(`${del} AND rv = ? RETURNING json`);
    this.#setMark = db.prepare(
      "UPDATE kcplite_meta SET value = ? WHERE key = 'resource_version'",
    );
    this.#begin = db.prepare("BEGIN");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    // ORDER BY spelled as the key index so that SQLite walks the index instead of sorting.
    const order = "ORDER BY cluster, namespace, name";
    this.#lists = [
      "",
      " AND namespace = ?",
      " AND cluster = ?",
      " AND cluster = ? AND namespace = ?",
    ]
      .map((where) => db.prepare(`${objects}${where} ${order}`));
    this.#count = db.prepare("SELECT count(*) AS n FROM kcplite_objects");
  }

  highWaterMark(): number {
    return this.#highWater;
  }

  read(key: ObjectKey): StoredRecord | undefined {
    const cacheKey = RecordCache.keyOf(key);
    const cached = this.#cache.lookup(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    let row: { json: string; rv: number } | undefined;
    try {
      row = this.#read.get(key.resource, key.cluster, key.namespace, key.name) as typeof row;
    } catch (error) {
      throw this.#failure("reading", error);
    }
    const record = row ? { json: row.json, resourceVersion: row.rv } : undefined;
    this.#cache.remember(cacheKey, record ?? null);
    return record;
  }

  exists(key: ObjectKey): boolean {
    const cacheKey = RecordCache.keyOf(key);
    const cached = this.#cache.lookup(cacheKey);
    if (cached !== undefined) return cached !== null;
    let found: boolean;
    try {
      found = this.#exists.get(key.resource, key.cluster, key.namespace, key.name) !== undefined;
    } catch (error) {
      throw this.#failure("reading", error);
    }
    if (!found) this.#cache.remember(cacheKey, null);
    return found;
  }

  // Outside a transaction each single statement below is its own committed transaction
  // (autocommit); the new row's rv is the high-water mark, so nothing else needs writing.

  insert(key: ObjectKey, record: StoredRecord): boolean {
    const { resource, cluster, namespace, name } = key;
    const { json, resourceVersion } = record;
    const cacheKey = RecordCache.keyOf(key);
    if (this.#cache.lookup(cacheKey)) return false;
    const done = this.#run(
      "writing",
      () => this.#insert.run(resourceVersion, json, resource, cluster, namespace, name),
    );
    if (done) {
      this.#highWater = Math.max(this.#highWater, resourceVersion);
      this.#cache.remember(cacheKey, { json, resourceVersion });
    } else {
      this.#cache.forget(cacheKey);
    }
    return done;
  }

  replace(key: ObjectKey, record: StoredRecord, expected?: number): WriteRefusal | undefined {
    const { resource, cluster, namespace, name } = key;
    const { json, resourceVersion: rv } = record;
    const cacheKey = RecordCache.keyOf(key);
    const cached = this.#cache.lookup(cacheKey);
    if (cached === null) return "missing";
    if (cached && expected !== undefined && cached.resourceVersion !== expected) {
      return "conflict";
    }
    const done = this.#run(
      "writing",
      () =>
        expected === undefined
          ? this.#update.run(rv, json, resource, cluster, namespace, name)
          : this.#updateIf.run(rv, json, resource, cluster, namespace, name, expected),
    );
    if (!done) {
      this.#cache.forget(cacheKey);
      return this.read(key) ? "conflict" : "missing";
    }
    this.#highWater = Math.max(this.#highWater, rv);
    this.#cache.remember(cacheKey, { json, resourceVersion: rv });
  }

  remove(
    key: ObjectKey,
    resourceVersion: number,
    expected?: number,
  ): { json: string } | WriteRefusal {
    const { resource, cluster, namespace, name } = key;
    const cacheKey = RecordCache.keyOf(key);
    const cached = this.#cache.lookup(cacheKey);
    if (cached === null) return "missing";
    if (cached && expected !== undefined && cached.resourceVersion !== expected) {
      return "conflict";
    }
    this.#checkBatch();
    const mark = Math.max(this.#highWater, resourceVersion);
    // Inside a batch the batch's transaction holds the delete and the mark together.
    const own = this.#batchStart === undefined;
    let row: { json: string } | undefined;
    try {
      if (own) this.#begin.run();
      row = (expected === undefined
        ? this.#delete.get(resource, cluster, namespace, name)
        : this.#deleteIf.get(resource, cluster, namespace, name, expected)) as
          | { json: string }
          | undefined;
      if (row) {
        this.#setMark.run(String(mark));
      }
      if (own) {
        (row ? this.#commit : this.#rollback).run();
      }
      if (own && row) {
        this.#checkpoints?.committed();
      }
    } catch (error) {
      if (own) this.#rollbackQuietly();
      this.#cache.forget(cacheKey);
      throw this.#failure("deleting from", error);
    }
    if (!row) {
      this.#cache.forget(cacheKey);
      return this.read(key) ? "conflict" : "missing";
    }
    this.#highWater = mark;
    this.#cache.remember(cacheKey, null);
    return { json: row.json };
  }

  begin(): void {
    if (this.#batchStart !== undefined) throw new StoreError("a transaction is already open");
    try {
      this.#begin.run();
    } catch (error) {
      throw this.#failure("writing", error);
    }
    this.#batchStart = this.#highWater;
  }

  commit(): void {
    if (this.#batchStart === undefined) return;
    try {
      // A failed statement may have made SQLite roll the transaction back already.
      if (!this.#db.isTransaction) throw new Error("the transaction was rolled back");
      this.#commit.run();
    } catch (error) {
      this.rollback();
      throw this.#failure("writing", error);
    }
    this.#batchStart = undefined;
    this.#checkpoints?.committed();
  }

  rollback(): void {
    if (this.#batchStart === undefined) return;
    this.#rollbackQuietly();
    this.#highWater = this.#batchStart;
    this.#batchStart = undefined;
    this.#cache.clear();
  }

  #rollbackQuietly(): void {
    if (!this.#db.isTransaction) return;
    try {
      this.#rollback.run();
    } catch {
      // the original failure is the one to report
    }
  }

  /**
   * Inside a batch, a write must join its transaction: if SQLite rolled it back after a
   * failed statement, a write now would commit on its own, apart from the batch.
   */
  #checkBatch(): void {
    if (this.#batchStart !== undefined && !this.#db.isTransaction) {
      throw new StoreError(
        `writing kcp-lite store "${this.description}" failed: the transaction was rolled back`,
      );
    }
  }

  list(scope: ListScope): string[] {
    const { resource, cluster, namespace } = scope;
    const params = [resource, cluster, namespace].filter((p) => p !== undefined);
    const list = this.#lists[(cluster === undefined ? 0 : 2) + (namespace === undefined ? 0 : 1)];
    let rows: unknown[];
    try {
      rows = list.all(...params);
    } catch (error) {
      throw this.#failure("reading", error);
    }
    return (rows as { json: string }[]).map((row) => row.json);
  }

  openCursor(scope: ListScope, after?: ListPosition): BackendCursor {
    try {
      return this.#cursors.open(scope, after);
    } catch (error) {
      throw this.#failure("reading", error);
    }
  }

  cacheStats(): { hits: number; misses: number } {
    return this.#cache.stats();
  }

  count(): number {
    return Number((this.#count.get() as { n: number }).n);
  }

  close(): void {
    try {
      this.#cursors.closeAll();
      this.#cache.clear();
      // Its connection closed first, this one is the last and takes the WAL away.
      this.#checkpoints?.stop();
      if (this.#db.isTransaction) this.#rollback.run();
      this.#db.close();
    } finally {
      this.#lock?.close(); // whatever happened, the root directory is free again
    }
  }

  /** Runs one write statement; whether it changed a row. Failures become StoreErrors. */
  #run(what: string, statement: () => { changes: number | bigint }): boolean {
    this.#checkBatch();
    let changed: boolean;
    try {
      changed = Number(statement().changes) > 0;
    } catch (error) {
      throw this.#failure(what, error);
    }
    if (changed && this.#batchStart === undefined) this.#checkpoints?.committed();
    return changed;
  }

  #failure(what: string, error: unknown): StoreError {
    const message = error instanceof Error ? error.message : String(error);
    const advice = /malformed|not a database/.test(message)
      ? "; the file is corrupted: restore it from a backup or move it away to start empty"
      : "";
    return new StoreError(
      `${what} kcp-lite store "${this.description}" failed: ${message}${advice}`,
    );
  }
}

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * `normal` (default): acknowledged writes survive a process crash (kill -9);
   * `full`: they also survive an operating-system crash or power loss (fsync per commit).
   */
  synchronous?: SyncMode;
  /** Bounds of the cache of recent records (default: 16,384 keys, 32 Mi characters). */
  cache?: RecordCacheLimits;
  /**
   * When the WAL is checkpointed from a worker thread ({@link ./wal_checkpointer.ts});
   * `false`: only by SQLite's automatic checkpoint in the committing thread.
   */
  backgroundCheckpoint?: CheckpointOptions | false;
}

/** A store in an SQLite file (also exposes `stats()`, `description` = the path). */
export type SqliteStore = BackedObjectStore;

/**
 * Opens the store file at `path`, creating it (mode 0600) when it does not exist.
 * Throws {@link StoreError} with one line naming the file when it is not a kcp-lite
 * store, is newer than this code, or is held by another process.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const opened = openStoreFile(path, options.synchronous);
  return new BackedObjectStore(new SqliteBackend(path, opened, options), options);
}
