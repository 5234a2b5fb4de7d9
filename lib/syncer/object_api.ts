/**
 * The object operations the syncer's reconcilers need on one side (mailbox or WEC),
 * as a small interface so unit tests can use an in-memory fake, and its implementation
 * on the REST client (404 on read is `undefined`, not an error).
 *
 * @example
 * ```ts
 * const wec = restObjectApi(wecClient);
 * const obj = await wec.get(NAMESPACES, "", "ns1");
 * ```
 *
 * @module
 */
import type { KubeObject, ResourceRef, RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import type { ResourceId } from "./sync_plan.ts";

/** Reads and writes objects of one server. */
export interface ObjectApi {
  /** The object, or undefined when it does not exist. */
  get(id: ResourceId, namespace: string, name: string): Promise<KubeObject | undefined>;
  create(id: ResourceId, namespace: string, obj: KubeObject): Promise<KubeObject>;
  update(id: ResourceId, namespace: string, obj: KubeObject): Promise<KubeObject>;
  updateStatus(id: ResourceId, namespace: string, obj: KubeObject): Promise<KubeObject>;
  /** Deletes; a missing object is not an error. */
  delete(id: ResourceId, namespace: string, name: string, uid?: string): Promise<void>;
}

/** The REST reference of one object. */
export function refOf(id: ResourceId, namespace: string, name?: string): ResourceRef {
  return {
    group: id.group,
    version: id.version,
    resource: id.resource,
    namespace: namespace || undefined,
    name,
  };
}

/** `ObjectApi` on a REST client. */
export function restObjectApi(client: RestClient): ObjectApi {
  return {
    async get(id, namespace, name) {
      try {
        return await client.get<KubeObject>(refOf(id, namespace, name));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    create: (id, namespace, obj) => client.create<KubeObject>(refOf(id, namespace), obj),
    update: (id, namespace, obj) =>
      client.update<KubeObject>(refOf(id, namespace, obj.metadata?.name), obj),
    updateStatus: (id, namespace, obj) =>
      client.updateStatus<KubeObject>(refOf(id, namespace, obj.metadata?.name), obj),
    async delete(id, namespace, name, uid) {
      try {
        await client.delete(refOf(id, namespace, name), {
          propagationPolicy: "Background",
          ...(uid ? { preconditions: { uid } } : {}),
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  };
}
