/**
 * Turns a served resource definition into kcp's `APIResourceSchema` object (kcp-spec
 * §3.1): name `<prefix>.<plural>.<group>` with `core` for the core group, the CRD-style
 * names, scope and one served storage version carrying the OpenAPI schema. Bootstrap uses
 * it for `root`'s default exports and `root:compute`'s `kubernetes` export.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef } from "../api/resource_def.ts";

/** The schema's name: `v124.deployments.apps`, `v124.pods.core`. */
export function schemaNameFor(def: ResourceDef, prefix: string): string {
  return `${prefix}.${def.resource}.${def.group || "core"}`;
}

/** The APIResourceSchema object for a definition (without metadata beyond the name). */
export function apiResourceSchemaFor(def: ResourceDef, prefix: string): KubeObject {
  const version: Record<string, unknown> = {
    name: def.version,
    served: true,
    storage: true,
    schema: def.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  };
  const subresources: Record<string, unknown> = {};
  if (def.subresources.status) subresources.status = {};
  if (def.scale) subresources.scale = { ...def.scale };
  if (Object.keys(subresources).length > 0) version.subresources = subresources;
  if (def.printerColumns) version.additionalPrinterColumns = def.printerColumns;
  const annotations: Record<string, string> = {};
  if (/(^|\.)k8s\.io$|(^|\.)kubernetes\.io$/.test(def.group)) {
    annotations["api-approved.kubernetes.io"] =
      "https://github.com/kubernetes/kubernetes/pull/78458";
  }
  return {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIResourceSchema",
    metadata: {
      name: schemaNameFor(def, prefix),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      group: def.group,
      names: {
        plural: def.resource,
        singular: def.singularName,
        kind: def.kind,
        listKind: def.listKind,
        ...(def.shortNames.length ? { shortNames: def.shortNames } : {}),
        ...(def.categories.length ? { categories: def.categories } : {}),
      },
      scope: def.namespaced ? "Namespaced" : "Cluster",
      versions: [version],
    },
  };
}
