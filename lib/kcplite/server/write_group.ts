/**
 * Group commit: the writes whose requests are ready in the same turn of the event loop
 * are handled together in one store batch, so they share one SQLite transaction, and
 * each request's reply waits for that commit.
 *
 * A commit on its own costs about as much as the write itself (the WAL frames of the
 * pages it touched and the locks around them): 142 µs per update one by one against 68 µs
 * in transactions of 16, measured on the hub's store with node:sqlite. When the placement
 * translator keeps 16 mailbox writes in flight, they reach kcp-lite in the same turn.
 *
 * What a client can see stays the same:
 * - A reply is sent only after the commit, so an acknowledged write survives the process
 *   being killed, as before.
 * - Watchers get the events at the commit, in resourceVersion order, before the replies.
 * - Each handler runs on its own, in arrival order; reads inside it see the writes handled
 *   before it in the group. One handler's error is its own reply; the others go on.
 * - If the commit fails, nothing of the group is kept, and every request of the group gets
 *   the commit's error.
 *
 * A lone write waits only for the end of its turn.
 *
 * @example
 * ```ts
 * const writes = new WriteGroup(store);
 * const reply = await writes.run(() => handleResource(env, request));
 * ```
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ObjectStore } from "../store/object_store.ts";

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Figures of a {@link WriteGroup}: requests handled and the batches they took. */
export interface WriteGroupStats {
  requests: number;
  batches: number;
}

/** Handles synchronous write handlers of one turn in one store batch. */
export class WriteGroup {
  readonly #store: ObjectStore;
  #queue: Job[] = [];
  #scheduled = false;
  #requests = 0;
  #batches = 0;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** Runs `fn` (synchronous) in this turn's batch; resolves with its result after the commit. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    });
  }

  /** Requests handled and batches committed so far. */
  stats(): WriteGroupStats {
    return { requests: this.#requests, batches: this.#batches };
  }

  #flush(): void {
    this.#scheduled = false;
    const jobs = this.#queue;
    this.#queue = [];
    const outcomes: Outcome[] = [];
    try {
      this.#store.batch(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: job.fn() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit failed: none of the group's writes was kept.
      for (const job of jobs) job.reject(error);
      return;
    }
    this.#requests += jobs.length;
    this.#batches++;
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
