/**
 * The directory of logical clusters (kcp-spec §1.2, §2.1): which ids exist and their
 * canonical paths, kept from the `LogicalCluster` singletons in the store, and path
 * resolution that walks `Workspace` objects like kcp's index (`root:a:b` → the id behind
 * workspace `b` inside the cluster behind `a` inside `root`).
 *
 * @example
 * ```ts
 * const dir = new LogicalClusterDirectory(store);
 * dir.resolve("root:espw"); // "2m0dtpobj6tuzdst"
 * dir.pathOf("2m0dtpobj6tuzdst"); // "root:espw"
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore, StoreWatch } from "../store/object_store.ts";
import { A, LOGICAL_CLUSTER_NAME, R, ROOT } from "./kcp_kinds.ts";

const SEGMENT = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** True when `text` is a syntactically valid cluster path or id (`*` excluded). */
export function isValidClusterPath(text: string): boolean {
  return text.split(":").every((s) => SEGMENT.test(s));
}

/** Known logical clusters, id ↔ path. */
export class LogicalClusterDirectory {
  readonly #store: ObjectStore;
  readonly #paths = new Map<string, string>();
  readonly #ids = new Map<string, string>();
  /** id → the id of the cluster its owning Workspace lives in. */
  readonly #parents = new Map<string, string>();
  readonly #watch: StoreWatch;

  constructor(store: ObjectStore) {
    this.#store = store;
    const { items, resourceVersion } = store.list({ resource: R.logicalClusters });
    for (const lc of items) this.#record(lc);
    this.#watch = store.watch({ resource: R.logicalClusters }, resourceVersion, (ev) => {
      if (ev.key.name !== LOGICAL_CLUSTER_NAME) return;
      if (ev.type === "DELETED") this.#forget(ev.key.cluster);
      else this.#record(ev.object, ev.key.cluster);
    });
  }

  /** Stops following the store. */
  stop(): void {
    this.#watch.stop();
  }

  #record(lc: KubeObject, cluster?: string): void {
    const id = cluster ?? lc.metadata?.annotations?.[A.cluster];
    if (!id || lc.metadata?.name !== LOGICAL_CLUSTER_NAME) return;
    const path = lc.metadata?.annotations?.[A.path] ?? id;
    const old = this.#paths.get(id);
    if (old !== undefined && this.#ids.get(old) === id) this.#ids.delete(old);
    this.#paths.set(id, path);
    this.#ids.set(path, id);
    const parent = (lc.spec as { owner?: { cluster?: string } } | undefined)?.owner?.cluster;
    if (parent) this.#parents.set(id, parent);
    else this.#parents.delete(id);
  }

  #forget(id: string): void {
    const path = this.#paths.get(id);
    this.#paths.delete(id);
    this.#parents.delete(id);
    if (path !== undefined && this.#ids.get(path) === id) this.#ids.delete(path);
  }

  /** True when a LogicalCluster with this id exists. */
  has(id: string): boolean {
    return this.#paths.has(id);
  }

  /** Every known id. */
  ids(): string[] {
    return [...this.#paths.keys()].sort();
  }

  /** The canonical path of an id (`root:espw`), if known. */
  pathOf(id: string): string | undefined {
    return this.#paths.get(id);
  }

  /**
   * The logical cluster id for a path or id; undefined when nothing is behind it.
   * `system:` names are returned as they are (shard-local clusters, not in the tree).
   */
  resolve(segment: string): string | undefined {
    if (segment.startsWith("system:")) return segment;
    if (!isValidClusterPath(segment)) return undefined;
    const known = this.#ids.get(segment);
    if (known !== undefined) return known;
    const parts = segment.split(":");
    if (parts.length === 1) return this.#paths.has(segment) ? segment : undefined;
    let id = this.#ids.get(parts[0]) ?? (this.#paths.has(parts[0]) ? parts[0] : undefined);
    for (const name of parts.slice(1)) {
      if (id === undefined) return undefined;
      const ws = this.#store.get({ cluster: id, resource: R.workspaces, namespace: "", name });
      const child = (ws?.spec as { cluster?: string } | undefined)?.cluster;
      id = child && this.#paths.has(child) ? child : undefined;
    }
    return id;
  }

  /** The path a child workspace named `name` gets under the cluster `parentId`. */
  childPath(parentId: string, name: string): string {
    return `${this.#paths.get(parentId) ?? parentId}:${name}`;
  }

  /** The parent's id of a cluster (from its LogicalCluster's owner), if any. */
  parentOf(id: string): string | undefined {
    if (id === ROOT) return undefined;
    return this.#parents.get(id);
  }
}
