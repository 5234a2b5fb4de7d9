/**
 * Upsync of one WEC object into the mailbox (controllers-spec §5.7): objects that an
 * upsync clause of the SyncerConfig selects are copied into the mailbox with the
 * ownership annotation `edge.kubestellar.io/upsynced`, status included; the copy is
 * updated only while it carries that annotation, and deleted when the WEC object is
 * gone. The object's Namespace is created in the mailbox when missing. `upsyncResourcesIn`
 * says which WEC resources the upsync clauses name.
 *
 * @module
 */
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { KubeObject } from "../kube/rest_client.ts";
import { isAlreadyExists } from "../kube/rest_errors.ts";
import type { Logger } from "../log/logger.ts";
import { copyForTarget, isOwned, sameContent, sameStatus } from "./object_copy.ts";
import type { ObjectApi } from "./object_api.ts";
import type { ResourceDiscovery, ResourceInfo } from "./resource_discovery.ts";
import type { CachedLookup, ReconcileOutcome } from "./downsync.ts";
import {
  NAMESPACES,
  type ResourceId,
  resourceKey,
  type SyncPlan,
  upsyncMatches,
} from "./sync_plan.ts";

/** What upsync needs. */
export interface UpsyncDeps {
  plan(): SyncPlan;
  wecCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  mailbox: ObjectApi;
  mailboxResource(id: ResourceId): Promise<ResourceInfo | undefined>;
  log: Logger;
}

/**
 * The WEC resources the upsync clauses of `plan` name, as served there now (a clause
 * for a group the WEC does not serve yet names nothing; `*` is every resource).
 */
export async function upsyncResourcesIn(
  plan: SyncPlan,
  wecDiscovery: ResourceDiscovery,
): Promise<ResourceId[]> {
  const found = new Map<string, ResourceId>();
  for (const clause of plan.upsync) {
    const group = clause.apiGroup ?? "";
    const version = await wecDiscovery.preferredVersion(group);
    if (!version) continue;
    const resources = clause.resources.includes("*")
      ? await wecDiscovery.resourcesOf(group, version)
      : clause.resources;
    for (const resource of resources) {
      const id = { group, version, resource };
      found.set(resourceKey(id), id);
    }
  }
  return [...found.values()];
}

function selected(plan: SyncPlan, id: ResourceId, namespace: string, name: string): boolean {
  return plan.upsync.some((c) => upsyncMatches(c, id.group, id.resource, namespace, name));
}

/** Reconciles the mailbox copy of one WEC object. */
export async function reconcileUpsync(
  deps: UpsyncDeps,
  id: ResourceId,
  namespace: string,
  name: string,
): Promise<ReconcileOutcome> {
  const down = deps.wecCached(id, namespace, name);
  if (!down.synced) return { requeueAfterMs: 500 };
  const wecObj = selected(deps.plan(), id, namespace, name) ? down.obj : undefined;
  const info = await deps.mailboxResource(id);
  if (!info) {
    if (wecObj) {
      deps.log.warn("the mailbox does not serve an upsynced resource", {
        resource: `${id.group}/${id.version}/${id.resource}`,
      });
      return { requeueAfterMs: 5_000 };
    }
    return;
  }
  const mbObj = await deps.mailbox.get(id, namespace, name);
  const withKind = (o: KubeObject) => ({ ...o, kind: o.kind ?? info.kind });
  if (!wecObj) {
    if (mbObj && isOwned(withKind(mbObj), EDGE_KEYS.upsynced)) {
      await deps.mailbox.delete(id, namespace, name, mbObj.metadata?.uid);
    }
    return;
  }
  const apiVersion = id.group ? `${id.group}/${id.version}` : id.version;
  const desired = copyForTarget({ ...withKind(wecObj), apiVersion }, EDGE_KEYS.upsynced, true);
  if (!mbObj) {
    if (info.namespaced && namespace && !await deps.mailbox.get(NAMESPACES, "", namespace)) {
      try {
        await deps.mailbox.create(NAMESPACES, "", {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: namespace },
        });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    const { status, ...spec } = desired;
    const created = await deps.mailbox.create(id, namespace, spec);
    if (status !== undefined && info.hasStatus) {
      await deps.mailbox.updateStatus(id, namespace, { ...created, status });
    }
    deps.log.debug("upsynced into the mailbox", { object: `${namespace}/${name}` });
    return;
  }
  if (!isOwned(withKind(mbObj), EDGE_KEYS.upsynced)) return;
  const rv = { resourceVersion: mbObj.metadata?.resourceVersion, uid: mbObj.metadata?.uid };
  let current = mbObj;
  if (!sameContent(desired, mbObj)) {
    current = await deps.mailbox.update(id, namespace, {
      ...desired,
      metadata: { ...desired.metadata, ...rv },
      status: info.hasStatus ? mbObj.status : desired.status,
    });
  }
  if (
    info.hasStatus && desired.status !== undefined && !sameStatus(desired.status, current.status)
  ) {
    await deps.mailbox.updateStatus(id, namespace, { ...current, status: desired.status });
  }
}
