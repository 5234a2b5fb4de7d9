/**
 * A shared informer: keeps a local cache of one collection current through list +
 * watch, and tells handlers about every change.
 *
 * - Lists, then watches from the list's resourceVersion.
 * - When a watch ends normally it re-watches from the last version seen.
 * - When the server says the version is too old (410 Gone) it relists and reports
 *   the differences (adds, updates, and deletes of objects that vanished meanwhile),
 *   so nothing is lost or reported twice.
 * - Other errors (server down, network) are retried with exponential back-off;
 *   `retryNow()` cuts a back-off wait short (e.g. the resource has just become served).
 * - Optional indexers (client-go's `Indexers`) keep cache keys by derived values (e.g.
 *   by namespace), so `byIndex` answers without scanning the cache. Indexes hold keys,
 *   never object copies.
 *
 * @example
 * ```ts
 * const inf = new Informer(listWatch, { onAdd: (o) => q.add(objectKey(o)) });
 * inf.run(signal);
 * await inf.synced;
 * ```
 *
 * @module
 */
import { type Clock, realClock } from "./clock.ts";
import { isReportedUnauthorized } from "../kube/rest_errors.ts";
import { isGone, type KubeObject, type ListWatch, objectKey } from "./list_watch.ts";

/** What an informer reports. */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

/** Options of `Informer`. */
export interface InformerOptions {
  clock?: Clock;
  /** First back-off delay after an error (default 200 ms). */
  backoffBaseMs?: number;
  /** Longest back-off delay (default 30 s). */
  backoffMaxMs?: number;
  /**
   * Called with each error that caused a retry (for logging), except a 401 that the
   * client's credential source has logged already (`isReportedUnauthorized`).
   */
  onError?(e: unknown): void;
  /** Key function (default `objectKey`). */
  keyOf?(obj: KubeObject): string;
  /** Named index functions: each maps an object to the index values it is found by. */
  indexers?: Record<string, (obj: KubeObject) => string[]>;
  /**
   * What the cache keeps of each object (default: all of it), for informers whose
   * readers need only parts of it later (`cached_form.ts`; the key's parts and the
   * `resourceVersion` must stay).
   * Handlers still get objects as received, except `onUpdate`'s old object and a
   * relist's `onDelete`, which get the cached form; `get`, `list`, `byIndex` and the
   * indexers see it too.
   */
  cachedForm?(obj: KubeObject): KubeObject;
}

/** Keeps a cache of one collection. */
export class Informer<T extends KubeObject = KubeObject> {
  readonly #lw: ListWatch<T>;
  readonly #handlers: InformerHandlers<T>[] = [];
  readonly #cache = new Map<string, T>();
  readonly #clock: Clock;
  readonly #opts: InformerOptions;
  readonly #keyOf: (obj: KubeObject) => string;
  #resourceVersion = "";
  #resolveSynced!: () => void;
  #relists = 0;
  #wake: AbortController | undefined;
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  /** Resolves once the first list has been loaded into the cache. */
  readonly synced: Promise<void>;

  constructor(lw: ListWatch<T>, handlers?: InformerHandlers<T>, options: InformerOptions = {}) {
    this.#lw = lw;
    if (handlers) this.#handlers.push(handlers);
    this.#clock = options.clock ?? realClock;
    this.#opts = options;
    this.#keyOf = options.keyOf ?? objectKey;
    for (const name of Object.keys(options.indexers ?? {})) this.#indexes.set(name, new Map());
    this.synced = new Promise((r) => (this.#resolveSynced = r));
  }

  /** Adds another handler; it is told about every object already cached. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
    for (const obj of this.#cache.values()) handlers.onAdd?.(obj);
  }

  /** The cached object with `key`. */
  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.#cache.values()];
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#cache.size;
  }

  /** The cached objects whose index `name` holds `value` (an unknown index throws). */
  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (!index) throw new Error(`informer has no index "${name}"`);
    const out: T[] = [];
    for (const key of index.get(value) ?? []) {
      const obj = this.#cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** The last resourceVersion seen. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  /** How many full lists were made (1 + relists after 410). */
  get listCount(): number {
    return this.#relists;
  }

  /** Ends a back-off wait at once (no effect while listing or watching). */
  retryNow(): void {
    this.#wake?.abort();
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const base = this.#opts.backoffBaseMs ?? 200;
    const max = this.#opts.backoffMaxMs ?? 30_000;
    let failures = 0;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#relist(signal);
          needList = false;
        }
        await this.#watch(signal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        if (isGone(e)) {
          needList = true;
          continue;
        }
        // A refused credential whose source logged the refusal once is not logged per retry.
        if (!isReportedUnauthorized(e)) this.#opts.onError?.(e);
        const delay = Math.min(max, base * 2 ** Math.min(failures, 20));
        failures++;
        await this.#backoff(delay, signal);
      }
    }
  }

  async #backoff(delay: number, signal: AbortSignal): Promise<void> {
    const wake = new AbortController();
    const onAbort = () => wake.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    this.#wake = wake;
    try {
      await this.#clock.sleep(delay, wake.signal);
    } finally {
      this.#wake = undefined;
      signal.removeEventListener("abort", onAbort);
    }
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.#lw.list(signal);
    this.#relists++;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = this.#keyOf(obj);
      seen.add(key);
      this.#upsert(key, obj);
    }
    for (const [key, old] of [...this.#cache]) {
      if (!seen.has(key)) {
        this.#remove(key, old);
        for (const h of this.#handlers) h.onDelete?.(old);
      }
    }
    this.#resourceVersion = resourceVersion;
    this.#resolveSynced();
  }

  async #watch(signal: AbortSignal): Promise<void> {
    for await (const ev of this.#lw.watch(this.#resourceVersion, signal)) {
      if (signal.aborted) return;
      if (ev.type === "ERROR") {
        throw isGone(ev.object)
          ? Object.assign(new Error("watch expired"), { code: 410 })
          : new Error(
            `watch error: ${(ev.object as { message?: string }).message ?? "unknown"}`,
          );
      }
      const rv = ev.object.metadata?.resourceVersion;
      if (rv) this.#resourceVersion = rv;
      if (ev.type === "BOOKMARK") continue;
      const key = this.#keyOf(ev.object);
      if (ev.type === "DELETED") {
        const old = this.#cache.get(key);
        if (old) this.#remove(key, old);
        for (const h of this.#handlers) h.onDelete?.(old ?? ev.object);
      } else {
        this.#upsert(key, ev.object);
      }
    }
  }

  #remove(key: string, old: T): void {
    this.#cache.delete(key);
    this.#unindex(key, old);
  }

  #unindex(key: string, obj: T): void {
    for (const [name, index] of this.#indexes) {
      for (const value of this.#opts.indexers![name](obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }

  #index(key: string, obj: T): void {
    for (const [name, index] of this.#indexes) {
      for (const value of this.#opts.indexers![name](obj)) {
        let keys = index.get(value);
        if (!keys) index.set(value, keys = new Set());
        keys.add(key);
      }
    }
  }

  #upsert(key: string, obj: T): void {
    const old = this.#cache.get(key);
    const kept = (this.#opts.cachedForm?.(obj) ?? obj) as T;
    this.#cache.set(key, kept);
    if (this.#indexes.size > 0) {
      if (old) this.#unindex(key, old);
      this.#index(key, kept);
    }
    if (!old) {
      for (const h of this.#handlers) h.onAdd?.(obj);
    } else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
      for (const h of this.#handlers) h.onUpdate?.(old, obj);
    }
  }
}
