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

/** Bounded LRU of records by key; `null` records that a key holds nothing. */
export class RecordCache {
  readonly #limits: RecordCacheLimits;
  readonly #entries = new Map<string, StoredRecord | null>();
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
    const found = this.#entries.get(key);
    if (found === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    // Most recently used last: delete and set again.
    this.#entries.delete(key);
    this.#entries.set(key, found);
    return found;
  }

  /** Records what the key holds now (`null`: nothing). */
  remember(key: string, record: StoredRecord | null): void {
    this.forget(key);
    const chars = record?.json.length ?? 0;
    if (chars > this.#limits.maxChars) return;
    this.#entries.set(key, record);
    this.#chars += chars;
    for (const [oldest, value] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxEntries && this.#chars <= this.#limits.maxChars) {
        break;
      }
      this.#entries.delete(oldest);
      this.#chars -= value?.json.length ?? 0;
    }
  }

  /** Drops what is known about the key. */
  forget(key: string): void {
    const old = this.#entries.get(key);
    if (old === undefined) return;
    this.#entries.delete(key);
    this.#chars -= old?.json.length ?? 0;
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
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
}
