/**
 * Per-item exponential back-off for retrying failed reconciles (client-go's
 * ItemExponentialFailureRateLimiter).
 *
 * @example
 * ```ts
 * const limiter = new ExponentialBackoff({ baseMs: 5, maxMs: 60_000 });
 * limiter.when("ns/a"); // 5
 * limiter.when("ns/a"); // 10
 * limiter.forget("ns/a");
 * ```
 *
 * @module
 */

/** Decides how long an item waits before its next try. */
export interface RateLimiter<K> {
  /** The delay before retrying `item` now; each call counts one more failure. */
  when(item: K): number;
  /** Forgets the failures of `item` (after a success). */
  forget(item: K): void;
  /** How many failures `item` has had since it was last forgotten. */
  retries(item: K): number;
}

/** Options of `ExponentialBackoff`. */
export interface ExponentialBackoffOptions {
  /** First delay (default 5 ms). */
  baseMs?: number;
  /** Longest delay (default 5 minutes). */
  maxMs?: number;
}

/** Delay doubles with each failure of the same item, up to a maximum. */
export class ExponentialBackoff<K> implements RateLimiter<K> {
  readonly #base: number;
  readonly #max: number;
  readonly #failures = new Map<K, number>();

  constructor(options: ExponentialBackoffOptions = {}) {
    this.#base = options.baseMs ?? 5;
    this.#max = options.maxMs ?? 300_000;
  }

  when(item: K): number {
    const n = this.#failures.get(item) ?? 0;
    this.#failures.set(item, n + 1);
    return Math.min(this.#max, this.#base * 2 ** Math.min(n, 40));
  }

  forget(item: K): void {
    this.#failures.delete(item);
  }

  retries(item: K): number {
    return this.#failures.get(item) ?? 0;
  }
}
