/**
 * Cooperative scheduling for the controllers hosted in one process: a worker that
 * only awaits work which completes in microtasks (a reconcile that writes nothing)
 * never lets the event loop read the next watch chunk or run another controller's
 * worker. `yieldToEventLoop()` gives the loop one turn (I/O, timers, other workers);
 * `TimeSlice` does so only when a long loop has held the thread for a while.
 *
 * `setImmediate` is used rather than `setTimeout(0)`: nested zero timeouts are clamped
 * to 4 ms (a few hundred turns a second), an immediate is not, and both let pending
 * I/O complete first.
 *
 * @example
 * ```ts
 * for (const key of keys) { work(key); await slice.maybeYield(); }
 * await yieldToEventLoop();
 * ```
 *
 * @module
 */
import { setImmediate } from "node:timers";

/** Resolves after the event loop had one turn (pending I/O and timers ran). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Yields when more than `budgetMs` passed since the last yield. */
export class TimeSlice {
  readonly #budgetMs: number;
  #since = performance.now();

  constructor(budgetMs = 5) {
    this.#budgetMs = budgetMs;
  }

  /** Yields if the budget is spent; otherwise resolves at once. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.#since < this.#budgetMs) return;
    await yieldToEventLoop();
    this.#since = performance.now();
  }
}
