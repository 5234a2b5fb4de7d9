/**
 * The where-resolver's index of SyncTargets: by inventory workspace (logical cluster)
 * and by `cluster + label key=value`, so a Location's `instanceSelector` with
 * `matchLabels` (the `ensure location` shape, `id=<name>`) finds its SyncTargets
 * without scanning the whole workspace.
 *
 * @example
 * ```ts
 * const index = new SyncTargetIndex();
 * index.put({ cluster: "c", name: "st1", uid: "u", labels: { id: "st1" } });
 * index.matching("c", labelSelectorFromObject({ matchLabels: { id: "st1" } }), { id: "st1" });
 * ```
 *
 * @module
 */
import type { LabelSelector, Selector } from "../../kube/label_selector.ts";
import type { SyncTargetView } from "../../placement/where_match.ts";

function stKey(cluster: string, name: string): string {
  return `${cluster}|${name}`;
}

function labelKey(cluster: string, key: string, value: string): string {
  return `${cluster}\u0000${key}\u0000${value}`;
}

/** SyncTargets by workspace and label. */
export class SyncTargetIndex {
  readonly #byKey = new Map<string, SyncTargetView>();
  readonly #byCluster = new Map<string, Set<string>>();
  readonly #byLabel = new Map<string, Set<string>>();

  /** Number of SyncTargets. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Adds or replaces a SyncTarget. */
  put(st: SyncTargetView): void {
    this.remove(st.cluster, st.name);
    const key = stKey(st.cluster, st.name);
    this.#byKey.set(key, st);
    add(this.#byCluster, st.cluster, key);
    for (const [k, v] of Object.entries(st.labels ?? {})) {
      add(this.#byLabel, labelKey(st.cluster, k, v), key);
    }
  }

  /** Removes a SyncTarget. */
  remove(cluster: string, name: string): void {
    const key = stKey(cluster, name);
    const old = this.#byKey.get(key);
    if (!old) return;
    this.#byKey.delete(key);
    drop(this.#byCluster, cluster, key);
    for (const [k, v] of Object.entries(old.labels ?? {})) {
      drop(this.#byLabel, labelKey(cluster, k, v), key);
    }
  }

  /**
   * The SyncTargets of workspace `cluster` that `selector` matches; `source` is the
   * selector's object form, whose `matchLabels` narrow the candidates.
   */
  matching(cluster: string, selector: Selector, source: LabelSelector): SyncTargetView[] {
    const first = Object.entries(source.matchLabels ?? {})[0];
    const keys = first
      ? this.#byLabel.get(labelKey(cluster, first[0], String(first[1])))
      : this.#byCluster.get(cluster);
    const out: SyncTargetView[] = [];
    for (const key of keys ?? []) {
      const st = this.#byKey.get(key)!;
      if (selector.matches(st.labels ?? {})) out.push(st);
    }
    return out;
  }
}

function add(map: Map<string, Set<string>>, k: string, v: string): void {
  let set = map.get(k);
  if (!set) map.set(k, set = new Set());
  set.add(v);
}

function drop(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) map.delete(k);
}
