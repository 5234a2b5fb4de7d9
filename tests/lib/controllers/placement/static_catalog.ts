/**
 * A `WorkspaceCatalog` made of fixed objects, for tests without a server.
 *
 * @module
 */
import type { KubeObject } from "../../../../lib/controller/list_watch.ts";
import type { ApiResourceInfo } from "../../../../lib/controllers/placement/discovery.ts";
import type { WorkspaceCatalog } from "../../../../lib/controllers/placement/selection.ts";

const ALL = ["get", "list", "watch", "create", "update", "delete"];

/** A resource description. */
export function res(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
): ApiResourceInfo {
  return { group, version, resource, kind, namespaced, verbs: ALL };
}

/** Common resources. */
export const RES = {
  namespaces: res("", "v1", "namespaces", "Namespace", false),
  configmaps: res("", "v1", "configmaps", "ConfigMap", true),
  secrets: res("", "v1", "secrets", "Secret", true),
  deployments: res("apps", "v1", "deployments", "Deployment", true),
  crds: res(
    "apiextensions.k8s.io",
    "v1",
    "customresourcedefinitions",
    "CustomResourceDefinition",
    false,
  ),
  bindings: res("apis.kcp.io", "v1alpha1", "apibindings", "APIBinding", false),
  crontabs: res("stable.example.com", "v1", "crontabs", "CronTab", true),
  placements: res("edge.kubestellar.io", "v2alpha1", "edgeplacements", "EdgePlacement", false),
};

/** An object with metadata. */
export function obj(
  name: string,
  namespace?: string,
  extra: KubeObject = {},
  labels?: Record<string, string>,
): KubeObject {
  return {
    ...extra,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  };
}

/** A catalog over `objects` keyed by `group/resource`. */
export class StaticCatalog implements WorkspaceCatalog {
  constructor(
    readonly cluster: string,
    readonly list: ApiResourceInfo[],
    readonly byResource: Record<string, KubeObject[]>,
  ) {}
  resources(): ApiResourceInfo[] {
    return this.list;
  }
  objects(group: string, resource: string): KubeObject[] | undefined {
    return this.byResource[`${group}/${resource}`] ??
      (this.list.some((r) => r.group === group && r.resource === resource) ? [] : undefined);
  }
}
