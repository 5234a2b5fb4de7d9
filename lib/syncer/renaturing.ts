/**
 * Renaturing (docs/denaturing.md): the mailbox stores forcibly-denatured kinds as inert
 * objects of `denatured.kubestellar.io`; on the workload execution cluster they are
 * written, read and watched as their natured kinds (`rbac.authorization.k8s.io/v1
 * RoleBinding`, …), where they take effect.
 *
 * The syncer works in mailbox terms throughout — its resource ids, queue keys, caches
 * and ownership annotations (`<Kind>/<namespace>/<name>`, the same kind name in both
 * forms) — and only its WEC boundary renatures: the WEC `ObjectApi`, the WEC informers'
 * list-watch and WEC discovery go through the functions here.
 *
 * @example
 * ```ts
 * wecResourceOf({ group: "denatured.kubestellar.io", version: "v1", resource: "roles" });
 * // { group: "rbac.authorization.k8s.io", version: "v1", resource: "roles" }
 * const wec = renaturingObjectApi(restObjectApi(wecClient));
 * ```
 *
 * @module
 */
import type { ListWatch, WatchEvent } from "../controller/list_watch.ts";
import {
  DENATURED_API_VERSION,
  naturedApiVersion,
  naturedOf,
  naturedResource,
} from "../denature/denatured_kinds.ts";
import type { KubeObject } from "../kube/rest_client.ts";
import type { ObjectApi } from "./object_api.ts";
import type { ResourceDiscovery, ResourceInfo } from "./resource_discovery.ts";
import type { ResourceId } from "./sync_plan.ts";

/** The WEC resource of mailbox resource `id` (itself unless `id` is denatured). */
export function wecResourceOf(id: ResourceId): ResourceId {
  const d = naturedOf(id.group, id.resource);
  return d ? naturedResource(d) : id;
}

/**
 * What WEC discovery says of mailbox resource `id` (its natured form when denatured); a
 * miss forgets that group version so the next look is fresh.
 */
export async function wecResourceInfo(
  discovery: ResourceDiscovery,
  id: ResourceId,
): Promise<ResourceInfo | undefined> {
  const w = wecResourceOf(id);
  const info = await discovery.resource(w);
  if (!info) discovery.invalidate(w.group, w.version);
  return info;
}

/** True when `id` is stored denatured in the mailbox and natured on the WEC. */
export function isRenatured(id: ResourceId): boolean {
  return naturedOf(id.group, id.resource) !== undefined;
}

/** `obj` (of mailbox resource `id`) in its WEC form: the natured `apiVersion`. */
export function toWecForm(id: ResourceId, obj: KubeObject): KubeObject {
  const d = naturedOf(id.group, id.resource);
  return d ? { ...obj, apiVersion: naturedApiVersion(d) } : obj;
}

/** `obj` read from the WEC for mailbox resource `id`, in mailbox terms. */
export function toMailboxForm(id: ResourceId, obj: KubeObject): KubeObject {
  return isRenatured(id) ? { ...obj, apiVersion: DENATURED_API_VERSION } : obj;
}

/** An `ObjectApi` on the WEC that takes and returns mailbox terms. */
export function renaturingObjectApi(wec: ObjectApi): ObjectApi {
  const back = (id: ResourceId) => (o: KubeObject) => toMailboxForm(id, o);
  return {
    get: (id, ns, name) => wec.get(wecResourceOf(id), ns, name).then((o) => o && back(id)(o)),
    create: (id, ns, obj) => wec.create(wecResourceOf(id), ns, toWecForm(id, obj)).then(back(id)),
    update: (id, ns, obj) => wec.update(wecResourceOf(id), ns, toWecForm(id, obj)).then(back(id)),
    updateStatus: (id, ns, obj) =>
      wec.updateStatus(wecResourceOf(id), ns, toWecForm(id, obj)).then(back(id)),
    delete: (id, ns, name, uid) => wec.delete(wecResourceOf(id), ns, name, uid),
  };
}

/**
 * A list-watch of mailbox resource `id` on the WEC: `make` is given the WEC resource
 * and the objects it yields are presented in mailbox terms.
 */
export function renaturingListWatch(
  id: ResourceId,
  make: (wecId: ResourceId) => ListWatch<KubeObject>,
): ListWatch<KubeObject> {
  const inner = make(wecResourceOf(id));
  if (!isRenatured(id)) return inner;
  const back = (o: KubeObject) => toMailboxForm(id, o);
  return {
    async list(signal) {
      const result = await inner.list(signal);
      return { ...result, items: result.items.map(back) };
    },
    async *watch(resourceVersion, signal) {
      for await (const ev of inner.watch(resourceVersion, signal)) {
        const keep = ev.type === "ERROR" || ev.type === "BOOKMARK";
        yield (keep ? ev : { ...ev, object: back(ev.object) }) as WatchEvent<KubeObject>;
      }
    },
  };
}
