/**
 * A counting semaphore for asynchronous tasks: at most `limit` run at once, the others
 * wait their turn in the order they came.
 *
 * The REST client's HTTP/1.1 transport keeps one per server and client certificate
 * (with a longest wait and an abort signal). The placement translator shares one among the writes of all the mailboxes it
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

/** How a slot is waited for. */
export interface AcquireOptions {
  /** Aborting it stops the wait: `acquire` rejects with its reason. */
  signal?: AbortSignal;
  /** After this long the slot is taken beyond the limit (default: wait as long as it takes). */
  maxWaitMs?: number;
}

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

  /** True when a slot is free now. */
  get free(): boolean {
    return this.#running < this.limit;
  }

  /** Takes a slot, waiting in arrival order while none is free; give it back with `release`. */
  async acquire(options: AcquireOptions = {}): Promise<void> {
    const { signal, maxWaitMs } = options;
    signal?.throwIfAborted();
    if (this.free) this.#running++;
    else {
      this.waited++;
      let onAbort = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // A slot handed over by a task that ended keeps `#running` as it is.
        await new Promise<void>((resolve, reject) => {
          const entry = () => resolve();
          this.#waiting.push(entry);
          if (maxWaitMs !== undefined) {
            timer = setTimeout(() => {
              remove(this.#waiting, entry);
              this.#running++; // beyond the limit
              resolve();
            }, maxWaitMs);
          }
          onAbort = () => {
            remove(this.#waiting, entry);
            reject(signal!.reason);
          };
          signal?.addEventListener("abort", onAbort, { once: true });
        });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
    }
    this.peak = Math.max(this.peak, this.#running);
  }

  /** Gives a slot back: to the oldest waiting task, if any. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }

  /** Runs `task` once fewer than `limit` others run; its slot is given back however it ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}

/** Drops `item` from `list` if it is there. */
function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
