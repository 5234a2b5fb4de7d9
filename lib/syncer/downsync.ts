/**
 * Level-based downsync of one object (controllers-spec §5.5, §5.8): make the WEC copy
 * of mailbox object `<resource> <namespace>/<name>` match what the plan and the mailbox
 * say.
 *
 * - wanted and present in the mailbox, absent in the WEC → create (its Namespace first);
 * - present in both → update when the content differs, only if the WEC object carries
 *   the `edge.kubestellar.io/downsynced` ownership annotation and the mailbox object is
 *   not create-only (`edge.kubestellar.io/downsync-overwrite: "false"`);
 * - not wanted or gone from the mailbox → delete the WEC object if the syncer owns it
 *   and it is not create-only. A Namespace is deleted (with what is in it, as `kubectl
 *   delete ns` does) only once the SyncerConfig no longer lists it at all — nothing
 *   placed lives in it any more — and no upsync clause names it; a listed Namespace
 *   missing from the mailbox for a moment is left alone.
 *
 * Objects the syncer does not own are never touched (reported once per object).
 *
 * @module
 */
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { KubeObject } from "../kube/rest_client.ts";
import { isAlreadyExists, isConflict, isNotFound } from "../kube/rest_errors.ts";
import type { Logger } from "../log/logger.ts";
import { copyForTarget, isCreateOnly, isOwned, sameContent } from "./object_copy.ts";
import type { ObjectApi } from "./object_api.ts";
import type { ResourceInfo } from "./resource_discovery.ts";
import { NAMESPACES, type ResourceId, resourceKey, type SyncPlan } from "./sync_plan.ts";

/** A cached mailbox object lookup. */
export interface CachedLookup {
  /** False until the mailbox informer of the resource has listed once. */
  synced: boolean;
  obj?: KubeObject;
}

/** What downsync needs. */
export interface DownsyncDeps {
  plan(): SyncPlan;
  /** The mailbox object from the informer cache. */
  mailboxCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  wec: ObjectApi;
  /** The WEC object from the informer cache, when there is one (saves a GET). */
  wecCached?(id: ResourceId, namespace: string, name: string): CachedLookup;
  /** Discovery on the WEC (undefined: not served there yet). */
  wecResource(id: ResourceId): Promise<ResourceInfo | undefined>;
  log: Logger;
  /** Keys already reported as not owned (reported once). */
  reportedForeign: Set<string>;
  /** Called after each write to the WEC (metrics, benchmarks). */
  onWrite?(action: "create" | "update" | "delete", id: ResourceId, obj: KubeObject): void;
}

/** What a reconcile asks of the queue. */
export type ReconcileOutcome = void | { requeueAfterMs: number };

/** Thrown when the WEC does not serve a resource yet (retried with back-off). */
export class NotServedError extends Error {
  constructor(id: ResourceId) {
    super(`the workload execution cluster does not serve ${resourceKey(id)} (yet)`);
    this.name = "NotServedError";
  }
}

async function ensureNamespace(deps: DownsyncDeps, namespace: string): Promise<void> {
  if (deps.wecCached?.(NAMESPACES, "", namespace).obj) return;
  if (await deps.wec.get(NAMESPACES, "", namespace)) return;
  const fromMailbox = deps.mailboxCached(NAMESPACES, "", namespace).obj;
  const ns = fromMailbox
    ? copyForTarget({ ...fromMailbox, kind: "Namespace", apiVersion: "v1" }, EDGE_KEYS.downsynced)
    : copyForTarget(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
      EDGE_KEYS.downsynced,
    );
  delete ns.spec;
  try {
    await deps.wec.create(NAMESPACES, "", ns);
    deps.onWrite?.("create", NAMESPACES, ns);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

/** True when an upsync clause names namespace `ns` explicitly (edge objects there are upsynced). */
function upsyncNames(deps: DownsyncDeps, ns: string): boolean {
  return deps.plan().upsync.some((u) => (u.namespaces ?? []).includes(ns));
}

function withIdentity(id: ResourceId, info: ResourceInfo, obj: KubeObject): KubeObject {
  const apiVersion = id.group ? `${id.group}/${id.version}` : id.version;
  return { ...obj, apiVersion, kind: obj.kind ?? info.kind };
}

/** Reconciles the WEC copy of one mailbox object. */
export async function reconcileDownsync(
  deps: DownsyncDeps,
  id: ResourceId,
  namespace: string,
  name: string,
): Promise<ReconcileOutcome> {
  const wanted = deps.plan().wantsDownsync(id, namespace, name);
  let source: KubeObject | undefined;
  if (wanted) {
    const cached = deps.mailboxCached(id, namespace, name);
    if (!cached.synced) return { requeueAfterMs: 500 };
    source = cached.obj;
  }
  const info = await deps.wecResource(id);
  if (!info) {
    if (!source) return; // nothing there to delete
    throw new NotServedError(id);
  }
  const cachedTarget = deps.wecCached?.(id, namespace, name);
  let target = cachedTarget?.synced ? cachedTarget.obj : await deps.wec.get(id, namespace, name);
  const objKey = `${resourceKey(id)} ${namespace ? namespace + "/" : ""}${name}`;
  if (!source) {
    if (!target || !isOwned(withIdentity(id, info, target), EDGE_KEYS.downsynced)) return;
    if (isCreateOnly(target)) return;
    if (resourceKey(id) === resourceKey(NAMESPACES) && (wanted || upsyncNames(deps, name))) return;
    await deps.wec.delete(id, namespace, name, target.metadata?.uid);
    deps.onWrite?.("delete", id, target);
    deps.log.info("deleted from the workload execution cluster", { object: objKey });
    return;
  }
  const desired = copyForTarget(withIdentity(id, info, source), EDGE_KEYS.downsynced);
  if (!target) {
    if (info.namespaced && namespace) await ensureNamespace(deps, namespace);
    try {
      await deps.wec.create(id, namespace, desired);
      deps.onWrite?.("create", id, desired);
      deps.log.debug("created in the workload execution cluster", { object: objKey });
      return;
    } catch (e) {
      if (isNotFound(e) && info.namespaced) return { requeueAfterMs: 200 };
      if (!isAlreadyExists(e)) throw e;
    }
    // The cache was behind: work on the live object.
    target = await deps.wec.get(id, namespace, name);
    if (!target) return { requeueAfterMs: 100 };
  }
  if (!isOwned(withIdentity(id, info, target), EDGE_KEYS.downsynced)) {
    if (!deps.reportedForeign.has(objKey)) {
      deps.reportedForeign.add(objKey);
      deps.log.warn(
        "not touching an object of the workload execution cluster that the syncer did not create",
        { object: objKey },
      );
    }
    return;
  }
  deps.reportedForeign.delete(objKey);
  if (isCreateOnly(source) || isCreateOnly(target)) return;
  if (sameContent(desired, target)) return;
  const body: KubeObject = {
    ...desired,
    metadata: {
      ...desired.metadata,
      resourceVersion: target.metadata?.resourceVersion,
      uid: target.metadata?.uid,
    },
  };
  if (target.status !== undefined) body.status = target.status;
  try {
    await deps.wec.update(id, namespace, body);
  } catch (e) {
    // A cached copy behind the server: retry at once from the live object.
    if (!isConflict(e) || !cachedTarget?.synced) throw e;
    return await reconcileDownsync({ ...deps, wecCached: undefined }, id, namespace, name);
  }
  deps.onWrite?.("update", id, body);
  deps.log.debug("updated in the workload execution cluster", { object: objKey });
}
