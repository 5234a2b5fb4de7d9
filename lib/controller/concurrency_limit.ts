/**
 * A counting semaphore for asynchronous tasks: at most `limit` run at once, the others
 * wait their turn in the order they came.
 *
 * The placement translator shares one among the writes of all the mailboxes it
 * reconciles at once. A task that waits here holds only its closure; one that went on
 * to build its request would hold the request's head, body, timer and abort listener
 * until the server answers it. Under the controllers' small young generation
 * (`lib/process/v8_flags.ts`) objects alive for more than a few tens of milliseconds are
 * promoted, and the old generation then collects often: with 16 mailboxes × 8 writes at
 * once (128 requests alive, 32 of them on the wire) garbage collection was about a third
 * of the controllers' CPU per copy (`docs/performance.md`).
 *
 * @example
 * ```ts
 * const slots = new ConcurrencyLimit(32);
 * await Promise.all(keys.map((k) => slots.run(() => write(k))));
 * ```
 *
 * @module
 */

/** At most `limit` tasks at once, the rest in arrival order. */
export class ConcurrencyLimit {
  readonly limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** Tasks that had to wait for a turn. */
  waited = 0;
  /** Most tasks seen running at once. */
  peak = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`a concurrency limit is a positive integer, not ${limit}`);
    }
    this.limit = limit;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `task` once fewer than `limit` others run; its slot is given back however it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.limit) this.#running++;
    else {
      this.waited++;
      // A slot handed over by a task that ended keeps `#running` as it is.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.peak = Math.max(this.peak, this.#running);
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
