/**
 * kcp v0.11's own resources, grouped the way kcp serves them (kcp-spec §2, §3, §4):
 *
 * - system kinds served in every workspace: `apis.kcp.io` (APIResourceSchema, APIExport,
 *   APIBinding, APIExportEndpointSlice, APIConversion) and `core.kcp.io` LogicalCluster;
 * - `core.kcp.io` Shard, served only in `root` (export `shards.core.kcp.io`);
 * - the five groups every workspace gets through default APIBindings to `root`
 *   exports (§2.6): `tenancy.kcp.io`, `scheduling.kcp.io`, `workload.kcp.io`,
 *   `apiresource.kcp.io`, `topology.kcp.io`.
 *
 * @module
 */
import { builtin, type BuiltinSpec } from "./builtin_def.ts";
import {
  apiBindingFields,
  apiExportEndpointSliceFields,
  apiExportFields,
  apiResourceSchemaFields,
  locationFields,
  logicalClusterFields,
  placementFields,
  shardFields,
  syncTargetFields,
  workspaceFields,
  workspaceTypeFields,
} from "./kcp_schemas.ts";
import type { PrinterColumn, ResourceDef } from "./resource_def.ts";

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** A cluster-scoped kcp kind in category `kcp`. */
function kcpKind(spec: Omit<BuiltinSpec, "namespaced" | "version"> & { version?: string }) {
  return builtin({
    version: "v1alpha1",
    namespaced: false,
    categories: ["kcp"],
    ...spec,
  });
}

/** `apis.kcp.io` and `core.kcp.io` LogicalCluster: served in every workspace. */
export function kcpSystemKinds(): ResourceDef[] {
  const apis = "apis.kcp.io";
  return [
    kcpKind({
      group: apis,
      resource: "apibindings",
      kind: "APIBinding",
      status: true,
      fields: apiBindingFields(),
    }),
    kcpKind({ group: apis, resource: "apiconversions", kind: "APIConversion" }),
    kcpKind({
      group: apis,
      resource: "apiexportendpointslices",
      kind: "APIExportEndpointSlice",
      status: true,
      fields: apiExportEndpointSliceFields(),
      printerColumns: [
        { name: "Export", type: "string", jsonPath: ".spec.export.name" },
        AGE,
      ],
    }),
    kcpKind({
      group: apis,
      resource: "apiexports",
      kind: "APIExport",
      status: true,
      fields: apiExportFields(),
    }),
    kcpKind({
      group: apis,
      resource: "apiresourceschemas",
      kind: "APIResourceSchema",
      fields: apiResourceSchemaFields(),
    }),
    kcpKind({
      group: "core.kcp.io",
      resource: "logicalclusters",
      kind: "LogicalCluster",
      status: true,
      fields: logicalClusterFields(),
      printerColumns: [
        { name: "Phase", type: "string", jsonPath: ".status.phase" },
        { name: "URL", type: "string", jsonPath: ".status.URL" },
        AGE,
      ],
    }),
  ];
}

/** `core.kcp.io` Shard (root only). */
export function kcpShardKinds(): ResourceDef[] {
  return [kcpKind({
    group: "core.kcp.io",
    resource: "shards",
    kind: "Shard",
    status: true,
    fields: shardFields(),
    printerColumns: [
      { name: "Region", type: "string", jsonPath: ".metadata.labels['region']" },
      { name: "URL", type: "string", jsonPath: ".spec.baseURL" },
      { name: "External URL", type: "string", jsonPath: ".spec.externalURL" },
      AGE,
    ],
  })];
}

/** One root export bound into every workspace by default, with its resources. */
export interface DefaultRootExport {
  /** The APIExport name in `root` (also the group). */
  exportName: string;
  resources: ResourceDef[];
}

/** The five default-bound root exports of kcp-spec §2.6 and their resources. */
export function kcpDefaultRootExports(): DefaultRootExport[] {
  const tenancy = "tenancy.kcp.io";
  const scheduling = "scheduling.kcp.io";
  const apiresource = "apiresource.kcp.io";
  const topology = "topology.kcp.io";
  return [
    {
      exportName: tenancy,
      resources: [
        kcpKind({ group: tenancy, resource: "clusterworkspaces", kind: "ClusterWorkspace" }),
        kcpKind({
          group: tenancy,
          resource: "workspaces",
          kind: "Workspace",
          shortNames: ["ws"],
          status: true,
          fields: workspaceFields(),
          printerColumns: [
            { name: "Type", type: "string", jsonPath: ".spec.type.name" },
            { name: "Region", type: "string", jsonPath: ".metadata.labels['region']" },
            {
              name: "Phase",
              type: "string",
              jsonPath: ".metadata.labels['tenancy\\.kcp\\.io/phase']",
            },
            { name: "URL", type: "string", jsonPath: ".spec.URL" },
            AGE,
          ],
        }),
        kcpKind({
          group: tenancy,
          resource: "workspacetypes",
          kind: "WorkspaceType",
          status: true,
          fields: workspaceTypeFields(),
        }),
      ],
    },
    {
      exportName: scheduling,
      resources: [
        kcpKind({
          group: scheduling,
          resource: "locations",
          kind: "Location",
          status: true,
          fields: locationFields(),
          printerColumns: [
            { name: "Resource", type: "string", jsonPath: ".spec.resource.resource" },
            { name: "Available", type: "string", jsonPath: ".status.availableInstances" },
            { name: "Instances", type: "string", jsonPath: ".status.instances" },
            AGE,
          ],
        }),
        kcpKind({
          group: scheduling,
          resource: "placements",
          kind: "Placement",
          status: true,
          fields: placementFields(),
        }),
      ],
    },
    {
      exportName: "workload.kcp.io",
      resources: [kcpKind({
        group: "workload.kcp.io",
        resource: "synctargets",
        kind: "SyncTarget",
        status: true,
        fields: syncTargetFields(),
      })],
    },
    {
      exportName: apiresource,
      resources: [
        kcpKind({
          group: apiresource,
          resource: "apiresourceimports",
          kind: "APIResourceImport",
          status: true,
        }),
        kcpKind({
          group: apiresource,
          resource: "negotiatedapiresources",
          kind: "NegotiatedAPIResource",
          status: true,
        }),
      ],
    },
    {
      exportName: topology,
      resources: [
        kcpKind({ group: topology, resource: "partitions", kind: "Partition" }),
        kcpKind({ group: topology, resource: "partitionsets", kind: "PartitionSet", status: true }),
      ],
    },
  ];
}
