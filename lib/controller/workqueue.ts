/**
 * A de-duplicating, rate-limited work queue in the shape of client-go's workqueue.
 *
 * - A key added several times before a worker takes it is processed once.
 * - A key is never handed to two workers at once: a key added while it is being
 *   processed is queued again when the worker calls `done`.
 * - `addRateLimited` retries with per-key exponential back-off; `forget` resets it.
 *
 * @example
 * ```ts
 * const q = new WorkQueue<string>();
 * q.add("ns/a");
 * const key = await q.get(); // "ns/a"
 * try { await reconcile(key!); q.forget(key!); } catch { q.addRateLimited(key!); }
 * finally { q.done(key!); }
 * ```
 *
 * @module
 */
import { type Clock, realClock } from "./clock.ts";
import { ExponentialBackoff, type RateLimiter } from "./rate_limiter.ts";

/** Options of `WorkQueue`. */
export interface WorkQueueOptions<K> {
  clock?: Clock;
  rateLimiter?: RateLimiter<K>;
}

/** The queue. */
export class WorkQueue<K> {
  /** Waiting keys from `#head` on (taken keys are not shifted out one by one: O(1) takes). */
  #queue: K[] = [];
  #head = 0;
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  readonly #waiting = new Map<K, { at: number; cancel: () => void }>();
  readonly #getters: ((key: K | undefined) => void)[] = [];
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<K>;
  #shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#limiter = options.rateLimiter ?? new ExponentialBackoff<K>();
  }

  /** Marks `key` as needing work. */
  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  /** Adds `key` after `ms`; an earlier pending delayed add of the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now() + ms;
    const pending = this.#waiting.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.#clock.setTimer(ms, () => {
      this.#waiting.delete(key);
      this.add(key);
    });
    this.#waiting.set(key, { at, cancel });
  }

  /** Adds `key` after its back-off delay (one more failure counted). */
  addRateLimited(key: K): void {
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Resets the back-off of `key`. */
  forget(key: K): void {
    this.#limiter.forget(key);
  }

  /** How many times `key` has been retried since it was last forgotten. */
  retries(key: K): number {
    return this.#limiter.retries(key);
  }

  /** Waits for a key to work on; `undefined` once the queue is shut down and drained. */
  get(): Promise<K | undefined> {
    if (this.length > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Tells the queue a worker finished `key`; re-queues it if it was added meanwhile. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) this.#enqueue(key);
  }

  /** Keys waiting to be taken. */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  /** Keys being processed plus waiting (not counting delayed adds). */
  get busy(): number {
    return this.length + this.#processing.size;
  }

  /** True after `shutDown`. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Stops accepting keys; waiting getters get `undefined`. */
  shutDown(): void {
    this.#shuttingDown = true;
    for (const w of this.#waiting.values()) w.cancel();
    this.#waiting.clear();
    for (const g of this.#getters.splice(0)) g(undefined);
  }

  #enqueue(key: K): void {
    const getter = this.#getters.shift();
    if (getter) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      getter(key);
    } else {
      this.#queue.push(key);
    }
  }

  #take(): K {
    const key = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }
}
