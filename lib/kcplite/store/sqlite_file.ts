/**
 * Opening kcp-lite's SQLite store file: recognising it, creating it, refusing anything
 * else with one clear line, and taking it for this process alone.
 *
 * A kcp-lite store file is an SQLite database whose header carries the application id
 * {@link STORE_APPLICATION_ID} ("KCPL") and whose `kcplite_meta` table holds the marker
 * {@link STORE_MAGIC} and the schema version. Objects live in `kcplite_objects`, whose
 * integer primary key is the object's resourceVersion (unique, since the counter is
 * global) with a unique index on (resource, cluster, namespace, name). The high-water
 * mark is therefore `max(rv)` (one index probe at open) or, when the newest writes were
 * deletions, the `resource_version` row of `kcplite_meta`, which each delete raises in its
 * transaction. A missing or empty file becomes a new store; an SQLite database with no
 * tables at all too. Anything else — bytes that are not SQLite, another program's
 * database, a schema newer than this code, a file another process holds — throws a
 * {@link StoreError} and leaves the file untouched: the store is never silently reset.
 *
 * Durability: WAL journal with `synchronous=NORMAL` by default. A commit appends to the
 * WAL with `write(2)` before it returns, so every acknowledged write survives the process
 * being killed (even with SIGKILL): the data is in the operating system's page cache and
 * SQLite replays the WAL on the next open. Only an operating-system crash or power loss
 * can lose the last commits (never corrupt the file); `synchronous: "full"` (an fsync per
 * commit) closes that gap at a large cost in write rate.
 *
 * The store holds an exclusive advisory lock (`flock`) on the file for as long as it is
 * open, so two servers cannot share one root directory (the second one gets a clear
 * error). SQLite itself runs in its normal locking mode (with its shared-memory index next
 * to the file), so that read-only connections ({@link openStoreReader}) can read consistent
 * snapshots while the store writes: a long list streams from a snapshot instead of being
 * copied into memory.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { StoreError } from "./object_store.ts";

/** The SQLite application id of kcp-lite store files: "KCPL". */
export const STORE_APPLICATION_ID = 0x4b43504c;
/** The marker row in `kcplite_meta`. */
export const STORE_MAGIC = "kcp-lite object store";
/** The schema version this code writes and reads. */
export const STORE_SCHEMA_VERSION = 1;

/** WAL size (pages) that triggers a checkpoint; see {@link openStoreFile}. */
const WAL_CHECKPOINT_PAGES = 8192;
/** The same once a worker checkpoints the store ({@link ./wal_checkpointer.ts}). */
export const FALLBACK_CHECKPOINT_PAGES = 4 * WAL_CHECKPOINT_PAGES;

/** How commits reach the disk (see the module documentation). */
export type SyncMode = "normal" | "full";

const SCHEMA = `
CREATE TABLE kcplite_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE kcplite_objects (
  rv INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  cluster TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE UNIQUE INDEX kcplite_objects_key ON kcplite_objects (resource, cluster, namespace, name);
`;
const SQLITE_HEADER = "SQLite format 3\0";
const ADVICE = "move it away or point kcp-lite at another root directory";

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === "number" ? code & 0xff : undefined;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns an SQLite failure while opening `path` into a one-line {@link StoreError}. */
function openFailure(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const message = reason(error);
  if (code === 5 || code === 6 || /database is locked/.test(message)) return inUse(path);
  if (code === 26 || /not a database/.test(message)) {
    return new StoreError(`"${path}" is not a kcp-lite store (not an SQLite database); ${ADVICE}`);
  }
  if (code === 11 || /malformed/.test(message)) {
    return new StoreError(
      `kcp-lite store "${path}" is corrupted (${message}); restore it from a backup or ${ADVICE}`,
    );
  }
  return new StoreError(`cannot open kcp-lite store "${path}": ${message}`);
}

/** Rejects paths that cannot hold a store, and bytes that are not SQLite at all. */
function checkPath(path: string): void {
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw openFailure(path, error);
  }
  if (!info) {
    try {
      if (!Deno.statSync(dirname(path)).isDirectory) throw new Error("not a directory");
    } catch {
      throw new StoreError(
        `cannot create kcp-lite store "${path}": directory "${dirname(path)}" does not exist`,
      );
    }
    // Created here so that the file (and SQLite's WAL, which copies its mode) is private.
    try {
      Deno.writeFileSync(path, new Uint8Array(), { mode: 0o600, createNew: true });
    } catch (error) {
      throw new StoreError(`cannot create kcp-lite store "${path}": ${reason(error)}`);
    }
    return;
  }
  if (!info.isFile) {
    throw new StoreError(`kcp-lite store "${path}" is not a regular file; ${ADVICE}`);
  }
  if (info.size === 0) return; // new, or only its WAL has been written so far
  const head = new Uint8Array(16);
  let n: number | null;
  try {
    const file = Deno.openSync(path, { read: true });
    try {
      n = file.readSync(head);
    } finally {
      file.close();
    }
  } catch (error) {
    throw new StoreError(`cannot read kcp-lite store "${path}": ${reason(error)}`);
  }
  if (n !== 16 || new TextDecoder().decode(head) !== SQLITE_HEADER) {
    throw new StoreError(`"${path}" is not a kcp-lite store (not an SQLite database); ${ADVICE}`);
  }
}

function scalar(db: DatabaseSync, sql: string): unknown {
  const row = db.prepare(sql).get() as Record<string, unknown> | undefined;
  return row ? Object.values(row)[0] : undefined;
}

/** Creates the schema in an empty database (inside the caller's transaction). */
function initialise(db: DatabaseSync): void {
  db.exec(SCHEMA);
  const put = db.prepare("INSERT INTO kcplite_meta (key, value) VALUES (?, ?)");
  put.run("magic", STORE_MAGIC);
  put.run("schema_version", String(STORE_SCHEMA_VERSION));
  put.run("resource_version", "0");
  db.exec(`PRAGMA application_id = ${STORE_APPLICATION_ID}`);
  db.exec(`PRAGMA user_version = ${STORE_SCHEMA_VERSION}`);
}

/** Checks an existing store's marker and version; returns its high-water mark. */
function validate(db: DatabaseSync, path: string): number {
  const meta = new Map<string, string>();
  try {
    const rows = db.prepare("SELECT key, value FROM kcplite_meta").all() as {
      key: string;
      value: string;
    }[];
    for (const row of rows) meta.set(row.key, row.value);
  } catch {
    // no meta table: handled below as a foreign file
  }
  if (meta.get("magic") !== STORE_MAGIC) {
    throw new StoreError(
      `"${path}" is an SQLite database but not a kcp-lite store (no kcp-lite marker); ${ADVICE}`,
    );
  }
  const version = Number(meta.get("schema_version"));
  if (!Number.isInteger(version) || version < 1) {
    throw new StoreError(
      `kcp-lite store "${path}" has an invalid schema version ` +
        `${JSON.stringify(meta.get("schema_version"))}; restore it from a backup or ${ADVICE}`,
    );
  }
  if (version > STORE_SCHEMA_VERSION) {
    throw new StoreError(
      `kcp-lite store "${path}" was written by a newer kcp-lite (schema ${version}, this ` +
        `version reads up to ${STORE_SCHEMA_VERSION}); use that newer kcp-lite or ${ADVICE}`,
    );
  }
  const floor = Number(meta.get("resource_version"));
  if (!Number.isSafeInteger(floor) || floor < 0) {
    throw new StoreError(
      `kcp-lite store "${path}" has an invalid resourceVersion mark ` +
        `${JSON.stringify(meta.get("resource_version"))}; restore it from a backup or ${ADVICE}`,
    );
  }
  const newest = Number(scalar(db, "SELECT max(rv) FROM kcplite_objects") ?? 0);
  return Math.max(floor, newest);
}

/** An open, validated store file. */
export interface OpenedStoreFile {
  db: DatabaseSync;
  /** The file's advisory lock; close it after `db`. */
  lock?: Deno.FsFile;
  /** The persisted resourceVersion high-water mark. */
  resourceVersion: number;
  /** Whether the file was created by this call. */
  created: boolean;
}

/**
 * Reads what `path` holds without changing it: `undefined` for an empty database (a new
 * store), the high-water mark for a kcp-lite store; throws for anything else.
 */
function inspect(db: DatabaseSync, path: string): number | undefined {
  const appId = scalar(db, "PRAGMA application_id");
  const objects = Number(scalar(db, "SELECT count(*) FROM sqlite_schema"));
  if (appId === 0 && objects === 0) return undefined;
  if (appId !== STORE_APPLICATION_ID) {
    throw new StoreError(`"${path}" is an SQLite database but not a kcp-lite store; ${ADVICE}`);
  }
  return validate(db, path);
}

/** Opens (or creates) the store file at `path`; see the module documentation. */
export function openStoreFile(path: string, sync: SyncMode = "normal"): OpenedStoreFile {
  const lock = lockStoreFile(path);
  try {
    return openLocked(path, sync, lock);
  } catch (error) {
    lock?.close();
    throw error;
  }
}

function inUse(path: string): StoreError {
  return new StoreError(
    `kcp-lite store "${path}" is in use by another process ` +
      "(is another kcp-lite server running on this root directory?); stop it and retry",
  );
}

/**
 * Takes the store's advisory lock, creating the file (0600) when its directory exists;
 * undefined when the file cannot be opened (the checks that follow say why).
 */
function lockStoreFile(path: string): Deno.FsFile | undefined {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o600 });
  } catch {
    return undefined;
  }
  if (!file.tryLockSync(true)) {
    file.close();
    throw inUse(path);
  }
  return file;
}

/**
 * A read-only connection to an open store file, for consistent snapshots: a read
 * statement sees the store as it was when its first row was read, whatever is written
 * afterwards, until it is finished or reset.
 */
export function openStoreReader(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 0 });
  try {
    db.exec("PRAGMA cache_size = -512"); // 512 KiB: many may be open at once
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function openLocked(path: string, sync: SyncMode, lock: Deno.FsFile | undefined): OpenedStoreFile {
  checkPath(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: 0 });
  } catch (error) {
    throw openFailure(path, error);
  }
  try {
    // Look before changing anything: a foreign file must stay exactly as it was.
    const found = inspect(db, path);
    const mode = scalar(db, "PRAGMA journal_mode = WAL");
    if (mode !== "wal") throw new StoreError(`cannot use a WAL journal for "${path}" (${mode})`);
    db.exec(`PRAGMA synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
    // Checkpoint every 8192 pages (32 MiB of WAL) instead of 1000: pages written by many
    // commits are copied back once, ~15% less CPU per write; a reopen after a crash
    // replays at most that much WAL. A clean close checkpoints and removes the WAL.
    db.exec(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    // A write takes the exclusive lock now, so a second server fails at open, not later.
    db.exec("BEGIN IMMEDIATE");
    let resourceVersion = found;
    try {
      if (resourceVersion === undefined) {
        resourceVersion = inspect(db, path); // again, now under the write lock
        if (resourceVersion === undefined) {
          initialise(db);
          resourceVersion = 0;
        }
      }
      db.prepare("INSERT OR REPLACE INTO kcplite_meta (key, value) VALUES ('opened', ?)")
        .run(new Date().toISOString());
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
    return { db, lock, resourceVersion, created: found === undefined };
  } catch (error) {
    try {
      db.close();
    } catch {
      // already failing; the first error is the one to report
    }
    throw openFailure(path, error);
  }
}
