/**
 * Maps an object's `apiVersion` and `kind` to its REST resource through the server's
 * discovery (`/api/v1`, `/apis/<group>/<version>`), as kubectl's REST mapper does, with
 * one discovery request per group-version.
 *
 * @example
 * ```ts
 * const mapper = new ResourceMapper(client);
 * const ref = await mapper.refFor({ apiVersion: "apps/v1", kind: "Deployment",
 *   metadata: { name: "web", namespace: "demo" } }); // {group:"apps",…,resource:"deployments"}
 * ```
 *
 * @module
 */
import type { KubeObject, RestClient } from "./rest_client.ts";
import type { ResourceRef } from "./rest_paths.ts";

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Kind → resource lookups against one server (or one kcp workspace). */
export class ResourceMapper {
  readonly #client: RestClient;
  readonly #lists = new Map<string, Promise<ApiResource[]>>();

  constructor(client: RestClient) {
    this.#client = client;
  }

  /** Forgets what discovery said (after new CRDs or bindings). */
  reset(): void {
    this.#lists.clear();
  }

  #resources(apiVersion: string): Promise<ApiResource[]> {
    let p = this.#lists.get(apiVersion);
    if (!p) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.#client.getPath<{ resources: ApiResource[] }>(path).then((l) =>
        l.resources.filter((r) => !r.name.includes("/"))
      );
      p.catch(() => this.#lists.delete(apiVersion));
      this.#lists.set(apiVersion, p);
    }
    return p;
  }

  /** The REST address of `obj`; throws when the server does not serve its kind. */
  async refFor(obj: KubeObject): Promise<ResourceRef & { namespaced: boolean }> {
    const apiVersion = obj.apiVersion ?? "";
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
    let found = (await this.#resources(apiVersion)).find((r) => r.kind === obj.kind);
    if (!found) {
      this.#lists.delete(apiVersion);
      found = (await this.#resources(apiVersion)).find((r) => r.kind === obj.kind);
    }
    if (!found) throw new Error(`the server does not serve ${obj.kind} in ${apiVersion}`);
    return {
      group,
      version,
      resource: found.name,
      namespaced: found.namespaced,
      namespace: found.namespaced ? obj.metadata?.namespace ?? "default" : undefined,
      name: obj.metadata?.name,
    };
  }
}
