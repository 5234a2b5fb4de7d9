/**
 * Runs a level-based reconcile function over keys from a work queue with a fixed
 * number of workers (client-go's sample-controller loop).
 *
 * `reconcile(key)` must look at the current state and converge it; it may be called
 * any number of times for the same key. A throw retries the key with back-off; a
 * return forgets its failures.
 *
 * Fairness: each controller has its own queue, and a worker gives the event loop a
 * turn after every key (`yieldToEventLoop`). So a storm of cheap reconciles in one
 * controller never starves the watches or the other controllers of the same process,
 * and events that arrive meanwhile coalesce in the queue (a key added again while it
 * waits is processed once).
 *
 * @example
 * ```ts
 * const c = new Controller("mailbox", async (key) => { ... }, { workers: 2 });
 * informer.addHandlers({ onAdd: (o) => c.enqueue(objectKey(o)) });
 * await c.run(signal);
 * ```
 *
 * @module
 */
import type { Clock } from "./clock.ts";
import { WorkQueue } from "./workqueue.ts";
import { ExponentialBackoff } from "./rate_limiter.ts";
import { yieldToEventLoop } from "./yield.ts";

/** Options of `Controller`. */
export interface ControllerOptions {
  /** Concurrent workers (default 2). A key is never processed by two at once. */
  workers?: number;
  clock?: Clock;
  /** Back-off bounds for failed keys. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Called after every reconcile (for logs and metrics). */
  onResult?(key: string, error: unknown | undefined, durationMs: number): void;
}

/** The result a reconcile may return: ask to be called again after a delay. */
export interface Requeue {
  requeueAfterMs: number;
}

/** A reconcile function. */
export type Reconcile = (key: string) => Promise<void | Requeue>;

/** A named controller. */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly #reconcile: Reconcile;
  readonly #opts: ControllerOptions;
  #reconciles = 0;
  #failures = 0;

  constructor(name: string, reconcile: Reconcile, options: ControllerOptions = {}) {
    this.name = name;
    this.#reconcile = reconcile;
    this.#opts = options;
    this.queue = new WorkQueue<string>({
      clock: options.clock,
      rateLimiter: new ExponentialBackoff<string>({
        baseMs: options.retryBaseMs ?? 50,
        maxMs: options.retryMaxMs ?? 60_000,
      }),
    });
  }

  /** Asks for `key` to be reconciled. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Reconciles run so far. */
  get reconciles(): number {
    return this.#reconciles;
  }

  /** Reconciles that threw. */
  get failures(): number {
    return this.#failures;
  }

  /** Runs the workers until `signal` aborts; resolves when they have stopped. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = () => this.queue.shutDown();
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    const workers = Array.from({ length: this.#opts.workers ?? 2 }, () => this.#worker());
    await Promise.all(workers);
  }

  async #worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const t0 = performance.now();
      let error: unknown;
      try {
        const result = await this.#reconcile(key);
        this.queue.forget(key);
        if (result && result.requeueAfterMs >= 0) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (e) {
        error = e;
        this.#failures++;
        this.queue.addRateLimited(key);
      } finally {
        this.#reconciles++;
        this.queue.done(key);
      }
      this.#opts.onResult?.(key, error, performance.now() - t0);
      await yieldToEventLoop();
    }
  }
}
