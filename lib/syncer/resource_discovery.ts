/**
 * API discovery for the syncer: the kind, scope and status subresource of a
 * group/version/resource on one server, and the preferred version of a group. Answers
 * are cached; a miss is looked up again at most once a second (a CRD may just have been
 * established).
 *
 * @example
 * ```ts
 * const d = new ResourceDiscovery(client);
 * const info = await d.resource({ group: "apps", version: "v1", resource: "deployments" });
 * // { kind: "Deployment", namespaced: true, hasStatus: true }
 * ```
 *
 * @module
 */
import type { RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import type { ResourceId } from "./sync_plan.ts";

/** What discovery says about one resource. */
export interface ResourceInfo {
  kind: string;
  namespaced: boolean;
  /** The resource has a `/status` subresource. */
  hasStatus: boolean;
}

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
}

interface ApiGroup {
  name: string;
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion?: { version: string };
}

/** Cached discovery on one server. */
export class ResourceDiscovery {
  readonly #client: RestClient;
  readonly #byGv = new Map<string, { at: number; list: ApiResourceList | undefined }>();
  readonly #groups = new Map<string, { at: number; group: ApiGroup | undefined }>();
  readonly #now: () => number;

  constructor(client: RestClient, now: () => number = () => performance.now()) {
    this.#client = client;
    this.#now = now;
  }

  async #gv(group: string, version: string): Promise<ApiResourceList | undefined> {
    const key = `${group}/${version}`;
    const cached = this.#byGv.get(key);
    if (cached && (cached.list || this.#now() - cached.at < 1000)) return cached.list;
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let list: ApiResourceList | undefined;
    try {
      list = await this.#client.getPath<ApiResourceList>(path);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.#byGv.set(key, { at: this.#now(), list });
    return list;
  }

  /** Forgets what was learned about `group/version` (after a 404 on one of its resources). */
  invalidate(group: string, version: string): void {
    this.#byGv.delete(`${group}/${version}`);
    this.#groups.delete(group);
  }

  /** Forgets everything learned about `group` (its CRDs or bindings changed). */
  invalidateGroup(group: string): void {
    for (const key of [...this.#byGv.keys()]) {
      if (key.slice(0, key.lastIndexOf("/")) === group) this.#byGv.delete(key);
    }
    this.#groups.delete(group);
  }

  /** The resource's kind and scope, or undefined when the server does not serve it. */
  async resource(id: ResourceId): Promise<ResourceInfo | undefined> {
    let list = await this.#gv(id.group, id.version);
    let found = list?.resources?.find((r) => r.name === id.resource);
    if (!found && list) {
      // Served group, unknown resource: maybe a CRD was added since.
      const cached = this.#byGv.get(`${id.group}/${id.version}`);
      if (cached && this.#now() - cached.at >= 1000) {
        this.#byGv.delete(`${id.group}/${id.version}`);
        list = await this.#gv(id.group, id.version);
        found = list?.resources?.find((r) => r.name === id.resource);
      }
    }
    if (!found) return undefined;
    const hasStatus = !!list?.resources?.some((r) => r.name === `${id.resource}/status`);
    return { kind: found.kind, namespaced: found.namespaced, hasStatus };
  }

  /** The preferred version of `group` ("" = core: `v1`), or undefined when not served. */
  async preferredVersion(group: string): Promise<string | undefined> {
    if (group === "") return "v1";
    const cached = this.#groups.get(group);
    if (cached && (cached.group || this.#now() - cached.at < 1000)) {
      return cached.group?.preferredVersion?.version ?? cached.group?.versions[0]?.version;
    }
    let found: ApiGroup | undefined;
    try {
      found = await this.#client.getPath<ApiGroup>(`/apis/${group}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.#groups.set(group, { at: this.#now(), group: found });
    return found?.preferredVersion?.version ?? found?.versions?.[0]?.version;
  }

  /** Every resource (no subresources) of `group/version`. */
  async resourcesOf(group: string, version: string): Promise<string[]> {
    const list = await this.#gv(group, version);
    return (list?.resources ?? []).map((r) => r.name).filter((n) => !n.includes("/"));
  }
}
