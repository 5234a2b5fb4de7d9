/**
 * Status return of one downsynced object (controllers-spec §5.6): when the WEC copy
 * (owned by the syncer) has a status different from the mailbox object's, the status
 * is written to the mailbox object — through `/status` when the mailbox serves that
 * subresource (unconditionally: only the status is written), else with a plain update
 * guarded by the resourceVersion. Namespaces are skipped.
 *
 * @module
 */
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { KubeObject } from "../kube/rest_client.ts";
import type { Logger } from "../log/logger.ts";
import { isOwned, sameStatus } from "./object_copy.ts";
import type { ObjectApi } from "./object_api.ts";
import type { ResourceInfo } from "./resource_discovery.ts";
import type { CachedLookup, ReconcileOutcome } from "./downsync.ts";
import { NAMESPACES, type ResourceId, type SyncPlan } from "./sync_plan.ts";

/** What status return needs. */
export interface StatusReturnDeps {
  plan(): SyncPlan;
  mailboxCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  wecCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  mailbox: ObjectApi;
  mailboxResource(id: ResourceId): Promise<ResourceInfo | undefined>;
  log: Logger;
  onWrite?(id: ResourceId, obj: KubeObject): void;
}

/** Copies the WEC copy's status up to the mailbox object when they differ. */
export async function reconcileStatusReturn(
  deps: StatusReturnDeps,
  id: ResourceId,
  namespace: string,
  name: string,
): Promise<ReconcileOutcome> {
  if (id.group === NAMESPACES.group && id.resource === NAMESPACES.resource) return;
  if (!deps.plan().wantsDownsync(id, namespace, name)) return;
  const down = deps.wecCached(id, namespace, name);
  const up = deps.mailboxCached(id, namespace, name);
  if (!down.synced || !up.synced) return { requeueAfterMs: 500 };
  const wecObj = down.obj;
  const mbObj = up.obj;
  if (!wecObj || !mbObj) return;
  if (!isOwned({ ...wecObj, kind: wecObj.kind ?? mbObj.kind }, EDGE_KEYS.downsynced)) return;
  if (wecObj.status === undefined || sameStatus(wecObj.status, mbObj.status)) return;
  const info = await deps.mailboxResource(id);
  if (!info) return;
  const body: KubeObject = { ...mbObj, status: wecObj.status };
  if (info.hasStatus) {
    // `/status` ignores everything but the status, so the write need not be conditional
    // (a cache a little behind our previous write would only cause conflicts).
    const { resourceVersion: _rv, ...metadata } = mbObj.metadata ?? {};
    await deps.mailbox.updateStatus(id, namespace, { ...body, metadata });
  } else {
    await deps.mailbox.update(id, namespace, body);
  }
  deps.onWrite?.(id, body);
}
