/**
 * A controller driven by object-store watches: each watched scope maps store events to
 * reconcile keys, which a de-duplicating work queue hands to a level-based reconcile
 * function (`lib/controller/controller.ts`). Existing objects are enqueued at start, so
 * a restarted server converges what was left half-done.
 *
 * Store listeners run synchronously inside writes; they only enqueue, and reconciles run
 * later from the queue, so controllers never write from inside another write. What a
 * reconcile writes before its first `await` is one store batch (one commit).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { Controller, type Reconcile } from "../../controller/controller.ts";
import type { ListScope, ObjectKey, ObjectStore, StoreWatch } from "../store/object_store.ts";

/** The longest stretch (ms) of reconciling before the event loop gets a turn. */
const BUSY_MS = 10;
let busySince = performance.now();

/**
 * Reconciles are synchronous store work chained through resolved promises, which would
 * keep requests and timers waiting while long queues drain (a restart with thousands of
 * objects). After BUSY_MS of that (over all controllers), the next reconcile first lets
 * the event loop turn.
 */
async function yieldWhenBusy(): Promise<void> {
  if (performance.now() - busySince < BUSY_MS) return;
  await new Promise((r) => setTimeout(r, 0));
  busySince = performance.now();
}

/** What a {@link WatchSpec} is told of a change: `object` is parsed only when read. */
export interface WatchedChange {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
  /** The change's resourceVersion (the object's, for what the controller lists at start). */
  readonly resourceVersion: number;
}

/** One watched scope and how its events become keys. */
export interface WatchSpec {
  scope: ListScope;
  keys(key: ObjectKey, change: WatchedChange): string[];
}

/** A running store controller. */
export interface StoreController {
  /** The controller's name (for figures and messages). */
  readonly name: string;
  /** Reconciles run so far. */
  readonly reconciles: number;
  enqueue(key: string): void;
  stop(): void;
  /** Resolves when the run loop has ended after `stop`. */
  done: Promise<void>;
}

/** Options of {@link startStoreController}. */
export interface StoreControllerOptions {
  workers?: number;
  /** Reports a failed reconcile (the key is retried with back-off). */
  onError?(key: string, error: unknown): void;
}

/** Starts the controller: lists, enqueues, watches and runs workers until `stop()`. */
export function startStoreController(
  name: string,
  store: ObjectStore,
  watches: WatchSpec[],
  reconcile: Reconcile,
  options: StoreControllerOptions = {},
): StoreController {
  let stopped = false;
  // After stop the queue still hands out what it holds: skip it (the store may be closed).
  // The writes a reconcile makes before it first awaits are one batch: one commit, and
  // their events after it (see ObjectStore.batch).
  const guarded: Reconcile = async (key) => {
    await yieldWhenBusy();
    if (!stopped) return await store.batch(() => reconcile(key));
  };
  const controller = new Controller(name, guarded, {
    workers: options.workers ?? 1,
    retryBaseMs: 20,
    retryMaxMs: 5_000,
    onResult: (key, error) => {
      if (error !== undefined) options.onError?.(key, error);
    },
  });
  const abort = new AbortController();
  const running: StoreWatch[] = [];
  for (const w of watches) {
    const { items, resourceVersion } = store.list(w.scope);
    for (const obj of items) {
      const md = obj.metadata ?? {};
      const key: ObjectKey = {
        cluster: md.annotations?.["kcp.io/cluster"] ?? w.scope.cluster ?? "",
        resource: w.scope.resource,
        namespace: md.namespace ?? "",
        name: md.name ?? "",
      };
      const resourceVersion = Number(md.resourceVersion ?? 0);
      for (const k of w.keys(key, { type: "ADDED", object: obj, resourceVersion })) {
        controller.enqueue(k);
      }
    }
    running.push(store.watch(w.scope, resourceVersion, (ev) => {
      for (const k of w.keys(ev.key, ev)) controller.enqueue(k);
    }));
  }
  const done = controller.run(abort.signal);
  return {
    name,
    get reconciles() {
      return controller.reconciles;
    },
    enqueue: (key) => controller.enqueue(key),
    stop() {
      stopped = true;
      for (const w of running) w.stop();
      abort.abort();
    },
    done,
  };
}

/** `controller` with more members; a `stop` among them replaces the controller's own. */
export function extendController<T extends object>(
  controller: StoreController,
  extra: T,
): StoreController & T {
  return {
    name: controller.name,
    get reconciles() {
      return controller.reconciles;
    },
    enqueue: controller.enqueue,
    stop: controller.stop,
    done: controller.done,
    ...extra,
  };
}

/** `cluster|namespace|name` reconcile keys. */
export function joinKey(cluster: string, name: string, namespace = ""): string {
  return `${cluster}|${namespace}|${name}`;
}

/** Splits a {@link joinKey} key. */
export function splitKey(key: string): { cluster: string; namespace: string; name: string } {
  const [cluster, namespace, name] = key.split("|");
  return { cluster, namespace, name };
}
