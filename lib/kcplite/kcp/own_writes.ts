/**
 * The events a controller caused itself and need not reconcile again. A reconcile of key
 * K reads K's latest state and writes what follows from it, synchronously in one store
 * batch, so the events of those writes (delivered when the batch commits) tell the
 * controller nothing new about K: K was reconciled through the last of them. Reconciling
 * K again for them would read everything back to write nothing — for a new workspace's
 * default bindings that was five reconciles, each waiting in the queue behind every other
 * workspace's.
 *
 * {@link OwnWrites.reconciled} records, for a key whose reconcile wrote something, the
 * store's resourceVersion after it; {@link OwnWrites.isEcho} then tells an event of that
 * key at or below it (never a deletion) from a later change, which still reconciles. An
 * entry lives until the last of its events arrives. Events of other inputs (an export a
 * binding uses) reach the controller through their own watches, as before.
 *
 * @module
 */
import type { ObjectStore } from "../store/object_store.ts";
import type { WatchedChange } from "./store_controller.ts";

/** Per-key resourceVersions a controller has reconciled through; see the module. */
export class OwnWrites {
  readonly #store: ObjectStore;
  readonly #through = new Map<string, number>();

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** Runs `reconcile` for `key` and remembers what it wrote; returns its result. */
  reconciled<T>(key: string, reconcile: () => T): T {
    const before = this.#store.currentResourceVersion();
    const result = reconcile();
    const after = this.#store.currentResourceVersion();
    if (after > before) this.#through.set(key, after);
    return result;
  }

  /** Whether the change of `key` is one of its own reconcile's writes (nothing to do). */
  isEcho(key: string, change: WatchedChange): boolean {
    const through = this.#through.get(key);
    if (through === undefined) return false;
    if (change.type === "DELETED" || change.resourceVersion >= through) this.#through.delete(key);
    return change.type !== "DELETED" && change.resourceVersion <= through;
  }

  /** How many keys wait for their own events (bounded by keys reconciled recently). */
  get size(): number {
    return this.#through.size;
  }
}
