/**
 * Which version of each resource a workload management workspace serves, for the
 * resources a StatusSummarizer's clauses name: discovery of the workspace, cached, and
 * run again (at most every 10 s) when a named resource is not served yet — a CRD or an
 * APIBinding may bring it later.
 *
 * @module
 */
import type { Clock } from "../../controller/clock.ts";
import type { StatusSummarizer } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import { type ApiResourceInfo, discoverResources } from "../placement/discovery.ts";
import { grOf, type VersionedResource } from "./copy_watches.ts";

/** How long a failed lookup waits before discovery runs again. */
export const DISCOVERY_RETRY_MS = 10_000;

/** Discovery results per workspace. */
export class WorkspaceResources {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #discovery = new Map<string, { resources: ApiResourceInfo[]; at: number }>();

  constructor(client: RestClient, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  /** Forgets what workspace `cluster` serves. */
  forget(cluster: string): void {
    this.#discovery.delete(cluster);
  }

  async #served(cluster: string, refresh: boolean): Promise<ApiResourceInfo[]> {
    const known = this.#discovery.get(cluster);
    const now = this.#clock.now();
    if (known && !(refresh && now - known.at >= DISCOVERY_RETRY_MS)) return known.resources;
    const client = this.#client.withCluster(cluster);
    try {
      const resources = await discoverResources(client);
      this.#discovery.set(cluster, { resources, at: now });
      return resources;
    } finally {
      client.close();
    }
  }

  /** The named resources at the served versions, and those not served. */
  async resolve(
    cluster: string,
    objects: StatusSummarizer["spec"]["objects"],
  ): Promise<{ resources: VersionedResource[]; missing: string[] }> {
    const wanted = new Map<string, { group: string; resource: string }>();
    for (const o of objects ?? []) {
      for (const resource of o?.resources ?? []) {
        if (resource === "*") continue;
        const group = o.apiGroup ?? "";
        wanted.set(grOf({ group, resource }), { group, resource });
      }
    }
    let served = await this.#served(cluster, false);
    const find = () =>
      [...wanted.values()].map((w) =>
        served.find((s) => s.group === w.group && s.resource === w.resource)
      );
    if (find().some((f) => !f)) served = await this.#served(cluster, true);
    const resources: VersionedResource[] = [];
    const missing: string[] = [];
    [...wanted.values()].forEach((w, i) => {
      const info = find()[i];
      if (info) resources.push({ group: w.group, version: info.version, resource: w.resource });
      else missing.push(w.group ? `${w.resource}.${w.group}` : w.resource);
    });
    return { resources, missing };
  }
}
