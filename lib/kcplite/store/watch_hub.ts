/**
 * The watch side of kcp-lite's object store, shared by every store implementation:
 * a bounded history of recent changes (a ring of events in resourceVersion order) and the
 * listeners of running watches, grouped by resource.
 *
 * Events are kept as JSON text; each listener receives its own object, parsed when it
 * first reads it, so no listener can change what another one (or the history) sees, and a
 * listener that does not look at the object costs no parse: it can send the text on as it
 * is, and decide on a label selector from the labels the writer supplied with the text.
 * Watches are indexed by resource and cluster, so an event reaches the watches of its
 * cluster and the all-cluster watches of its resource without visiting the rest. Delivery
 * is synchronous and in resourceVersion order: a write made by a listener while an event
 * is being delivered is queued and delivered after the current event has reached every
 * listener.
 * A listener that throws is reported through `onListenerError` and keeps its watch; the
 * other listeners and the write are unaffected.
 *
 * @example
 * ```ts
 * const hub = new WatchHub({ historySize: 1000, startResourceVersion: 0 });
 * const w = hub.watch({ resource: "/configmaps" }, undefined, (e) => console.log(e.type));
 * hub.publish({ type: "ADDED", key, json: '{"metadata":{}}', resourceVersion: 1 });
 * w.stop();
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import {
  type ListScope,
  type ObjectKey,
  ResourceVersionTooOldError,
  type StoreEvent,
  type StoreEventType,
  type StoreWatch,
} from "./object_store.ts";

/** One change as the hub keeps it: the object as JSON text. */
export interface HubEvent {
  type: StoreEventType;
  key: ObjectKey;
  json: string;
  resourceVersion: number;
  /**
   * The object's labels, copied by the writer from the object it serialized, so that a
   * watch with a label selector decides without parsing `json`. Absent: parsed on demand.
   */
  labels?: Readonly<Record<string, string>>;
}

/** Options of {@link WatchHub}. */
export interface WatchHubOptions {
  /** How many recent events are kept for resuming watches (default 20,000; 0 keeps none). */
  historySize?: number;
  /**
   * Upper bound of the retained events' total JSON length in characters (default 64 Mi),
   * so that a burst of large objects cannot hold unbounded memory; the newest event is
   * always kept.
   */
  historyChars?: number;
  /** The store's resourceVersion when the hub starts: history reaches back to it. */
  startResourceVersion: number;
  /** Called when a listener throws (default: one line on stderr). */
  onListenerError?: (error: unknown, scope: ListScope) => void;
}

/** The default number of events kept for resuming watches. */
export const DEFAULT_HISTORY_SIZE = 20_000;
/** The default bound of the history's total JSON length, in characters. */
export const DEFAULT_HISTORY_CHARS = 64 * 1024 * 1024;

interface Watcher {
  scope: ListScope;
  /** Only events above this resourceVersion are delivered. */
  after: number;
  listener: (event: StoreEvent) => void;
  active: boolean;
}

/** The watchers of one resource. */
interface ResourceWatchers {
  /** Watches of every cluster (`/clusters/*`, controllers). */
  all: Set<Watcher>;
  /** Watches of one cluster, by cluster. */
  byCluster: Map<string, Set<Watcher>>;
}

/**
 * One listener's copy of an event: its object is parsed from the JSON when the listener
 * first asks for it, so listeners that need only the key (or serve a cached encoding)
 * parse nothing, and no two listeners share an object.
 */
class DeliveredEvent implements StoreEvent {
  readonly type: StoreEventType;
  readonly key: ObjectKey;
  readonly resourceVersion: number;
  readonly json: string;
  readonly #labels: Readonly<Record<string, string>> | undefined;
  readonly #parses: { count: number };
  #object: KubeObject | undefined;

  constructor(event: HubEvent, parses: { count: number }) {
    this.#parses = parses;
    this.type = event.type;
    this.key = { ...event.key };
    this.resourceVersion = event.resourceVersion;
    this.json = event.json;
    this.#labels = event.labels;
  }

  get object(): KubeObject {
    if (this.#object === undefined) {
      this.#parses.count++;
      this.#object = JSON.parse(this.json) as KubeObject;
    }
    return this.#object;
  }

  get labels(): Readonly<Record<string, string>> {
    return this.#labels ?? this.object.metadata?.labels ?? {};
  }
}

/** Whether `key` lies in `scope` (same resource assumed checked by the caller). */
export function scopeCovers(scope: ListScope, key: ObjectKey): boolean {
  return (scope.cluster === undefined || scope.cluster === key.cluster) &&
    (scope.namespace === undefined || scope.namespace === key.namespace);
}

function defaultListenerError(error: unknown, scope: ListScope): void {
  const what = error instanceof Error ? error.message : String(error);
  console.error(`kcp-lite store: a watch listener on ${scope.resource} threw: ${what}`);
}

/** History ring + listeners; see the module documentation. */
export class WatchHub {
  readonly #capacity: number;
  readonly #maxChars: number;
  /** Total JSON length of the retained events. */
  #chars = 0;
  readonly #ring: (HubEvent | undefined)[];
  /** Index of the oldest retained event in the ring. */
  #head = 0;
  #count = 0;
  /** History is complete for every resourceVersion above this one. */
  #horizon: number;
  #latest: number;
  /** resource → its watchers: of every cluster, and by cluster. */
  readonly #watchers = new Map<string, ResourceWatchers>();
  #watchCount = 0;
  #visits = 0;
  readonly #parses = { count: 0 };
  readonly #pending: HubEvent[] = [];
  #delivering = false;
  readonly #onListenerError: (error: unknown, scope: ListScope) => void;

  constructor(options: WatchHubOptions) {
    const size = options.historySize ?? DEFAULT_HISTORY_SIZE;
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`historySize must be a non-negative integer, got ${size}`);
    }
    this.#capacity = size;
    this.#maxChars = options.historyChars ?? DEFAULT_HISTORY_CHARS;
    this.#ring = new Array(size);
    this.#horizon = options.startResourceVersion;
    this.#latest = options.startResourceVersion;
    this.#onListenerError = options.onListenerError ?? defaultListenerError;
  }

  /** Number of events currently retained. */
  get historyLength(): number {
    return this.#count;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumable(): number {
    return this.#horizon;
  }

  /** Number of running watches. */
  get watchCount(): number {
    return this.#watchCount;
  }

  /** How many watches live delivery has looked at so far (a measure of fan-out work). */
  get deliveryVisits(): number {
    return this.#visits;
  }

  /** How many times a listener's event object was parsed from its JSON so far. */
  get objectParses(): number {
    return this.#parses.count;
  }

  /** Records `event` (resourceVersions must increase) and delivers it to matching watches. */
  publish(event: HubEvent): void {
    if (event.resourceVersion <= this.#latest) {
      throw new RangeError(
        `event resourceVersion ${event.resourceVersion} is not above ${this.#latest}`,
      );
    }
    this.#latest = event.resourceVersion;
    this.#remember(event);
    this.#pending.push(event);
    if (this.#delivering) return; // a listener wrote: the outer loop delivers it in order
    this.#delivering = true;
    try {
      this.#drain();
    } finally {
      this.#pending.length = 0;
      this.#delivering = false;
    }
  }

  #drain(): void {
    for (let i = 0; i < this.#pending.length; i++) this.#deliver(this.#pending[i]);
  }

  /**
   * Starts a watch. With `fromResourceVersion`, first replays (synchronously, before this
   * returns) the retained events of `scope` above it; throws
   * {@link ResourceVersionTooOldError} when the history does not reach back that far.
   */
  watch(
    scope: ListScope,
    fromResourceVersion: number | undefined,
    listener: (event: StoreEvent) => void,
  ): StoreWatch {
    const from = fromResourceVersion ?? this.#latest;
    if (from < this.#horizon) {
      const oldest = this.#count > 0 ? this.#at(0).resourceVersion : this.#latest;
      throw new ResourceVersionTooOldError(from, oldest);
    }
    const watcher: Watcher = { scope: { ...scope }, after: from, listener, active: true };
    const replayedUpTo = Math.max(from, this.#latest);
    const backlog: HubEvent[] = [];
    for (let i = this.#firstAbove(from); i < this.#count; i++) {
      const event = this.#at(i);
      if (event.key.resource === scope.resource) backlog.push(event);
    }
    // Writes made by listeners during the replay are queued and delivered afterwards,
    // to this watch too: it is registered before the queue drains.
    const outermost = !this.#delivering;
    this.#delivering = true;
    try {
      for (const event of backlog) {
        if (!watcher.active) break;
        this.#call(watcher, event);
      }
      if (watcher.active) {
        watcher.after = replayedUpTo;
        this.#register(watcher);
      }
      if (outermost) this.#drain();
    } finally {
      if (outermost) {
        this.#pending.length = 0;
        this.#delivering = false;
      }
    }
    return {
      stop: () => {
        watcher.active = false;
        this.#unregister(watcher);
      },
    };
  }

  #register(watcher: Watcher): void {
    const { resource, cluster } = watcher.scope;
    let group = this.#watchers.get(resource);
    if (!group) this.#watchers.set(resource, group = { all: new Set(), byCluster: new Map() });
    let set = group.all;
    if (cluster !== undefined) {
      set = group.byCluster.get(cluster) ?? new Set();
      group.byCluster.set(cluster, set);
    }
    if (!set.has(watcher)) this.#watchCount++;
    set.add(watcher);
  }

  #unregister(watcher: Watcher): void {
    const { resource, cluster } = watcher.scope;
    const group = this.#watchers.get(resource);
    if (!group) return;
    const set = cluster === undefined ? group.all : group.byCluster.get(cluster);
    if (!set?.delete(watcher)) return;
    this.#watchCount--;
    if (cluster !== undefined && set.size === 0) group.byCluster.delete(cluster);
    if (group.all.size === 0 && group.byCluster.size === 0) this.#watchers.delete(resource);
  }

  /** Stops every watch and drops the history (the store is closing). */
  stopAll(): void {
    for (const group of this.#watchers.values()) {
      for (const w of group.all) w.active = false;
      for (const set of group.byCluster.values()) for (const w of set) w.active = false;
    }
    this.#watchers.clear();
    this.#watchCount = 0;
    this.#ring.fill(undefined);
    this.#count = 0;
    this.#head = 0;
    this.#chars = 0;
    this.#horizon = this.#latest;
  }

  /**
   * Hands the event to the watchers of its resource that cover it: those of every cluster
   * and those of its cluster only — work per event does not grow with the watches of other
   * clusters. (A Set visits members added during the loop, which `after` filters out, and
   * skips members removed.)
   */
  #deliver(event: HubEvent): void {
    const group = this.#watchers.get(event.key.resource);
    if (!group) return;
    for (const set of [group.all, group.byCluster.get(event.key.cluster)]) {
      if (!set) continue;
      for (const watcher of set) {
        this.#visits++;
        if (watcher.active && event.resourceVersion > watcher.after) this.#call(watcher, event);
      }
    }
  }

  #call(watcher: Watcher, event: HubEvent): void {
    if (!scopeCovers(watcher.scope, event.key)) return;
    const delivered = new DeliveredEvent(event, this.#parses);
    try {
      watcher.listener(delivered);
    } catch (error) {
      try {
        this.#onListenerError(error, watcher.scope);
      } catch {
        // the error reporter itself failed; nothing more to do
      }
    }
  }

  #remember(event: HubEvent): void {
    if (this.#capacity === 0) {
      this.#horizon = event.resourceVersion;
      return;
    }
    if (this.#count === this.#capacity) this.#forgetOldest();
    this.#ring[(this.#head + this.#count) % this.#capacity] = event;
    this.#count++;
    this.#chars += event.json.length;
    while (this.#chars > this.#maxChars && this.#count > 1) this.#forgetOldest();
  }

  #forgetOldest(): void {
    const oldest = this.#at(0);
    this.#horizon = oldest.resourceVersion;
    this.#chars -= oldest.json.length;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#count--;
  }

  /** The i-th oldest retained event. */
  #at(i: number): HubEvent {
    return this.#ring[(this.#head + i) % this.#capacity]!;
  }

  /** Index of the first retained event with a resourceVersion above `rv`. */
  #firstAbove(rv: number): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid).resourceVersion <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
