/**
 * Building blocks of an informer's `cachedForm` (what its cache keeps of each object):
 * the metadata a controller reads again later, by reference (no copies of the values),
 * and nothing else. The cache key's parts (`kcp.io/cluster`, namespace, name) and the
 * `resourceVersion` (which tells an update from a relist's repeat) are always kept.
 *
 * An informer that keeps whole objects keeps status, managed fields and every
 * annotation of each; at 10,000 mailboxes that is most of a controller's memory.
 *
 * @example
 * ```ts
 * const inf = new Informer(lw, undefined, {
 *   cachedForm: (o) => ({ metadata: keptMetadata(o, { uid: true, labels: true }) }),
 * });
 * ```
 *
 * @module
 */
import type { KubeObject, ObjectMeta } from "./list_watch.ts";

const CLUSTER = "kcp.io/cluster";

/** What `keptMetadata` keeps besides name, namespace, resourceVersion and cluster. */
export interface KeptMetadata {
  uid?: boolean;
  labels?: boolean;
  deletionTimestamp?: boolean;
  /** Annotations kept besides `kcp.io/cluster`: the named ones, or all (by reference). */
  annotations?: readonly string[] | "all";
}

/** The metadata of `obj` an informer needs to keep, given what its readers use. */
export function keptMetadata(obj: KubeObject, keep: KeptMetadata = {}): ObjectMeta {
  const md = obj.metadata ?? {};
  const out: ObjectMeta = { name: md.name, resourceVersion: md.resourceVersion };
  if (md.namespace !== undefined) out.namespace = md.namespace;
  if (keep.uid) out.uid = md.uid;
  if (keep.labels) out.labels = md.labels;
  if (keep.deletionTimestamp && md.deletionTimestamp) {
    out.deletionTimestamp = md.deletionTimestamp;
  }
  const have = md.annotations;
  if (keep.annotations === "all") out.annotations = have;
  else if (have) {
    const kept: Record<string, string> = {};
    for (const k of [CLUSTER, ...keep.annotations ?? []]) if (k in have) kept[k] = have[k];
    out.annotations = kept;
  }
  return out;
}

/**
 * The form of an object whose informer needs, after its handlers ran, only to know it
 * exists (its key and resourceVersion).
 */
export function identityForm(obj: KubeObject): KubeObject {
  return { metadata: keptMetadata(obj) };
}
