/**
 * API discovery of one workspace: every resource it serves (core, built-in groups,
 * CRDs and APIBinding-provided ones) at the group's preferred version, with scope,
 * kind and verbs. Subresources are left out. A group that disappears between the two
 * requests counts as not served; any other failure fails the discovery (so a timeout
 * under load never makes a served resource look gone).
 *
 * @module
 */
import type { RestClient } from "../../kube/rest_client.ts";
import { isNotFound } from "../../kube/rest_errors.ts";

/** One served resource. */
export interface ApiResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface ResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

interface GroupList {
  groups?: Array<
    { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }
  >;
}

function fromList(group: string, version: string, list: ResourceList): ApiResourceInfo[] {
  return (list.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => ({
    group,
    version,
    resource: r.name,
    kind: r.kind,
    namespaced: r.namespaced,
    verbs: r.verbs ?? [],
  }));
}

/** Discovers the resources `client`'s workspace serves. */
export async function discoverResources(client: RestClient): Promise<ApiResourceInfo[]> {
  const core = await client.getPath<ResourceList>("/api/v1");
  const groups = await client.getPath<GroupList>("/apis");
  const lists = await Promise.all((groups.groups ?? []).map(async (g) => {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (!version) return [];
    try {
      return fromList(
        g.name,
        version,
        await client.getPath<ResourceList>(`/apis/${g.name}/${version}`),
      );
    } catch (e) {
      // A group that vanished in between is not served; any other failure (a timeout, a
      // server error) must not pass for "not served": the caller retries discovery.
      if (isNotFound(e)) return [];
      throw e;
    }
  }));
  return [...fromList("", "v1", core), ...lists.flat()];
}

/** `group/resource` (`/configmaps` for the core group). */
export function groupResource(group: string, resource: string): string {
  return `${group}/${resource}`;
}
