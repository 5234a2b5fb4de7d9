/**
 * An in-memory `ObjectApi` for the syncer's reconcile unit tests: objects keyed by
 * resource, namespace and name, resourceVersions that grow, 404/409 like a server, an
 * optional rejection of chosen objects, and a log of the writes.
 *
 * @module
 */
import type { KubeObject } from "../../../lib/kube/rest_client.ts";
import { ApiError } from "../../../lib/kube/rest_errors.ts";
import type { ObjectApi } from "../../../lib/syncer/object_api.ts";
import { type ResourceId, resourceKey } from "../../../lib/syncer/sync_plan.ts";

/** The fake. */
export class FakeObjectApi implements ObjectApi {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: string[] = [];
  /** Names (`ns/name`) whose writes the fake rejects with 422. */
  readonly rejected = new Set<string>();
  #rv = 1;

  static key(id: ResourceId, ns: string, name: string): string {
    return `${resourceKey(id)}|${ns}/${name}`;
  }

  /** Puts an object directly (as if another client wrote it). */
  put(id: ResourceId, obj: KubeObject): KubeObject {
    const ns = obj.metadata?.namespace ?? "";
    const stored = structuredClone(obj);
    stored.metadata = {
      ...stored.metadata,
      uid: stored.metadata?.uid ?? crypto.randomUUID(),
      resourceVersion: String(this.#rv++),
    };
    this.objects.set(FakeObjectApi.key(id, ns, obj.metadata!.name!), stored);
    return structuredClone(stored);
  }

  peek(id: ResourceId, ns: string, name: string): KubeObject | undefined {
    return this.objects.get(FakeObjectApi.key(id, ns, name));
  }

  get(id: ResourceId, ns: string, name: string): Promise<KubeObject | undefined> {
    const o = this.peek(id, ns, name);
    return Promise.resolve(o && structuredClone(o));
  }

  #check(ns: string, obj: KubeObject): void {
    if (this.rejected.has(`${ns}/${obj.metadata?.name}`)) {
      throw new ApiError({ reason: "Invalid", message: "rejected by the fake", code: 422 }, 422);
    }
  }

  create(id: ResourceId, ns: string, obj: KubeObject): Promise<KubeObject> {
    this.#check(ns, obj);
    const name = obj.metadata!.name!;
    if (this.peek(id, ns, name)) {
      throw new ApiError({ reason: "AlreadyExists", message: "exists", code: 409 }, 409);
    }
    this.writes.push(`create ${id.resource} ${ns}/${name}`);
    return Promise.resolve(
      this.put(id, { ...obj, metadata: { ...obj.metadata, namespace: ns || undefined } }),
    );
  }

  update(id: ResourceId, ns: string, obj: KubeObject): Promise<KubeObject> {
    this.#check(ns, obj);
    const name = obj.metadata!.name!;
    const cur = this.peek(id, ns, name);
    if (!cur) throw new ApiError({ reason: "NotFound", message: "nf", code: 404 }, 404);
    if (obj.metadata?.resourceVersion !== cur.metadata?.resourceVersion) {
      throw new ApiError({ reason: "Conflict", message: "conflict", code: 409 }, 409);
    }
    this.writes.push(`update ${id.resource} ${ns}/${name}`);
    return Promise.resolve(
      this.put(id, { ...obj, metadata: { ...obj.metadata, uid: cur.metadata?.uid } }),
    );
  }

  updateStatus(id: ResourceId, ns: string, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata!.name!;
    const cur = this.peek(id, ns, name);
    if (!cur) throw new ApiError({ reason: "NotFound", message: "nf", code: 404 }, 404);
    this.writes.push(`status ${id.resource} ${ns}/${name}`);
    return Promise.resolve(this.put(id, { ...cur, status: obj.status }));
  }

  delete(id: ResourceId, ns: string, name: string): Promise<void> {
    if (this.objects.delete(FakeObjectApi.key(id, ns, name))) {
      this.writes.push(`delete ${id.resource} ${ns}/${name}`);
    }
    return Promise.resolve();
  }
}
