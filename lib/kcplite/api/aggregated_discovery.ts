/**
 * Aggregated discovery (`apidiscovery.k8s.io` v2 and v2beta1): the one-request answer to
 * `/api` and `/apis` that kubectl ≥ 1.26 asks for first (toolchain.md §3). When the
 * server answers with it, kubectl never fetches `/api/v1` or `/apis/<g>/<v>`.
 *
 * @example
 * ```ts
 * const body = aggregatedDiscovery(registry, "apis");
 * // {kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", items: [...]}
 * ```
 *
 * @module
 */
import { servedGroups, subresourcesOf } from "./discovery.ts";
import type { ResourceDef, ResourceRegistry } from "./resource_def.ts";

/** The two aggregated discovery versions kubectl negotiates. */
export type AggregatedDiscoveryVersion = "v2" | "v2beta1";

/** The Content-Type of an aggregated discovery answer. */
export function aggregatedDiscoveryMediaType(version: AggregatedDiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** One resource of an aggregated group version. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind: GVK;
  scope: "Cluster" | "Namespaced";
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind: GVK; verbs: string[] }[];
}

/** One group of an `APIGroupDiscoveryList`. */
export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: {
    version: string;
    resources: APIResourceDiscovery[];
    freshness: "Current";
  }[];
}

/** The `APIGroupDiscoveryList` document. */
export interface APIGroupDiscoveryList {
  kind: "APIGroupDiscoveryList";
  apiVersion: string;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(def: ResourceDef): APIResourceDiscovery {
  const r: APIResourceDiscovery = {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? "Namespaced" : "Cluster",
    singularResource: def.singularName,
    verbs: [...def.verbs],
  };
  if (def.shortNames.length) r.shortNames = [...def.shortNames];
  if (def.categories.length) r.categories = [...def.categories];
  const subs = subresourcesOf(def);
  if (subs.length) {
    r.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

/**
 * `/api` (`root` "api": the core group only) or `/apis` (every named group) as an
 * `APIGroupDiscoveryList`; versions of a group are listed preferred first.
 */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  root: "api" | "apis",
  version: AggregatedDiscoveryVersion = "v2",
): APIGroupDiscoveryList {
  const all = registry.all();
  const items: APIGroupDiscovery[] = [];
  for (const [group, versions] of servedGroups(registry)) {
    if ((group === "") !== (root === "api")) continue;
    const metadata: APIGroupDiscovery["metadata"] = group === ""
      ? { creationTimestamp: null }
      : { name: group, creationTimestamp: null };
    items.push({
      metadata,
      versions: versions.map((v) => ({
        version: v,
        resources: all.filter((d) => d.group === group && d.version === v).map(
          resourceDiscovery,
        ),
        freshness: "Current" as const,
      })),
    });
  }
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
