/**
 * A bounded, least-recently-used cache of stored records in front of a store backend that
 * reads from disk: what a key holds (its JSON text and resourceVersion), or that it holds
 * nothing. kcp-lite's controllers read back what was just written (a workspace's
 * LogicalCluster, its bindings, the export they name) many times in a row; each read from
 * SQLite is a statement and a read transaction, a hit here is a map lookup.
 *
 * The cache is kept exactly in step by the backend that owns it: every write and delete
 * goes through that backend (the store file is locked to one process), which records the
 * new state here after the write succeeds and forgets everything when a transaction is
 * rolled back. Its size is bounded by entries and by the characters of the JSON it holds,
 * so memory does not grow with the number of objects.
 *
 * @example
 * ```ts
 * const cache = new RecordCache({ maxEntries: 2, maxChars: 1_000 });
 * cache.remember(RecordCache.keyOf(key), { json: "{}", resourceVersion: 1 });
 * cache.lookup(RecordCache.keyOf(key)); // { json: "{}", resourceVersion: 1 }
 * ```
 *
 * @module
 */
import type { ObjectKey } from "./object_store.ts";
import type { StoredRecord } from "./store_backend.ts";

/** Bounds of a {@link RecordCache}. */
export interface RecordCacheLimits {
  /** Most keys kept (absent keys included). */
  maxEntries: number;
  /** Most characters of JSON kept, summed over the records. */
  maxChars: number;
}

/**
 * The default bounds: 131,072 keys, 128 Mi characters of JSON (at most about 230 MiB of
 * heap). A fleet's hub holds about 20 records per mailbox workspace plus one per placed
 * copy, and a change to a placed object patches its copy in every mailbox: with 16,384
 * keys, steady churn over 100,000 copies read almost every copy back from SQLite (a tenth
 * of kcp-lite's CPU per patch).
 */
export const DEFAULT_RECORD_CACHE_LIMITS: RecordCacheLimits = {
  maxEntries: 131_072,
  maxChars: 128 * 1024 * 1024,
};

/** One cached record, linked in least- to most-recently-used order. */
interface Entry {
  key: string;
  record: StoredRecord | null;
  /** Less recently used neighbour. */
  older: Entry | undefined;
  /** More recently used neighbour. */
  newer: Entry | undefined;
}

/**
 * Bounded LRU of records by key; `null` records that a key holds nothing. The entries
 * form a doubly linked list from least to most recently used, so a hit and an eviction
 * each cost a constant number of steps. (Evicting by iterating a `Map` from its start
 * walks over the slots its recent deletes left behind: with the hub's 131,072 keys that
 * was 6 % of kcp-lite's CPU per patch at 10,000 mailboxes.)
 */
export class RecordCache {
  readonly #limits: RecordCacheLimits;
  readonly #entries = new Map<string, Entry>();
  /** Least recently used. */
  #oldest: Entry | undefined;
  /** Most recently used. */
  #newest: Entry | undefined;
  #chars = 0;
  #hits = 0;
  #misses = 0;

  constructor(limits: RecordCacheLimits = DEFAULT_RECORD_CACHE_LIMITS) {
    this.#limits = limits;
  }

  /** The cache key of an object key. */
  static keyOf(key: ObjectKey): string {
    return `${key.resource}\u0000${key.cluster}\u0000${key.namespace}\u0000${key.name}`;
  }

  /** What the key holds (`null`: nothing), or undefined when the cache does not know. */
  lookup(key: string): StoredRecord | null | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    return entry.record;
  }

  /** Records what the key holds now (`null`: nothing). */
  remember(key: string, record: StoredRecord | null): void {
    this.forget(key);
    const chars = record?.json.length ?? 0;
    if (chars > this.#limits.maxChars) return;
    const entry: Entry = { key, record, older: undefined, newer: undefined };
    this.#entries.set(key, entry);
    this.#append(entry);
    this.#chars += chars;
    while (
      this.#oldest !== undefined &&
      (this.#entries.size > this.#limits.maxEntries || this.#chars > this.#limits.maxChars)
    ) {
      this.#drop(this.#oldest);
    }
  }

  /** Drops what is known about the key. */
  forget(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#drop(entry);
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
    this.#oldest = this.#newest = undefined;
    this.#chars = 0;
  }

  /** Keys from least to most recently used (for tests). */
  keysByUse(): string[] {
    const keys: string[] = [];
    for (let e = this.#oldest; e !== undefined; e = e.newer) keys.push(e.key);
    return keys;
  }

  /** Figures: entries and characters held, lookups answered and not. */
  stats(): { entries: number; chars: number; hits: number; misses: number } {
    return {
      entries: this.#entries.size,
      chars: this.#chars,
      hits: this.#hits,
      misses: this.#misses,
    };
  }

  #drop(entry: Entry): void {
    this.#entries.delete(entry.key);
    this.#unlink(entry);
    this.#chars -= entry.record?.json.length ?? 0;
  }

  #append(entry: Entry): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = undefined;
  }
}
