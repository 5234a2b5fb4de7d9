/**
 * The list-and-watch contract an informer consumes (client-node's `ListWatch`,
 * client-go's `ListerWatcher`), independent of any particular API client. `KubeObject`
 * is defined once, by the REST client, and re-exported here.
 *
 * @module
 */

import type { KubeObject } from "../kube/rest_client.ts";

// One definition of a Kubernetes object for clients and informers alike.
export type { KubeObject, ObjectMeta } from "../kube/rest_client.ts";

/** One event of a watch stream. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

/** The result of a list. */
export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
}

/** Lists and watches one collection. */
export interface ListWatch<T extends KubeObject = KubeObject> {
  /** Lists the whole collection (all pages). */
  list(signal: AbortSignal): Promise<ListResult<T>>;
  /**
   * Watches from `resourceVersion`; the iterator ends when the server closes the
   * stream. A too-old version must surface as an error for which `isGone` is true
   * (or as an `ERROR` event carrying a Status with code 410).
   */
  watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

/** True when `e` (an error or a Status object) means "410 Gone / Expired". */
export function isGone(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const o = e as { code?: unknown; status?: unknown; statusCode?: unknown; reason?: unknown };
  if (o.code === 410 || o.statusCode === 410 || o.reason === "Expired" || o.reason === "Gone") {
    return true;
  }
  if (o.status && typeof o.status === "object") return isGone(o.status);
  return false;
}

/**
 * The cache key of an object: `<cluster>|<namespace>/<name>` where the cluster is the
 * `kcp.io/cluster` annotation (empty outside kcp) and the namespace part is omitted
 * for cluster-scoped objects.
 */
export function objectKey(obj: KubeObject): string {
  const md = obj.metadata ?? {};
  const cluster = md.annotations?.["kcp.io/cluster"] ?? "";
  const nsName = md.namespace ? `${md.namespace}/${md.name ?? ""}` : (md.name ?? "");
  return `${cluster}|${nsName}`;
}

/** Splits a key made by `objectKey`. */
export function splitObjectKey(key: string): { cluster: string; namespace: string; name: string } {
  const bar = key.indexOf("|");
  const cluster = key.slice(0, bar);
  const rest = key.slice(bar + 1);
  const slash = rest.indexOf("/");
  return slash < 0
    ? { cluster, namespace: "", name: rest }
    : { cluster, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}
