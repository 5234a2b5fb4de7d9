/**
 * Schemas (top-level fields) of kcp v0.11's own kinds as kcp-spec §2–§4 describes
 * them: Workspace, WorkspaceType, LogicalCluster, Shard, APIResourceSchema, APIExport,
 * APIBinding, APIExportEndpointSlice, SyncTarget, Location and Placement.
 *
 * @module
 */
import {
  anyObject,
  arrayOf,
  bool,
  conditions,
  int,
  labelSelector,
  mapOf,
  obj,
  type Schema,
  str,
  time,
} from "./schema_builders.ts";

type Fields = Record<string, Schema>;

const typeRef = (): Schema => obj({ name: str(), path: str() }, ["name"]);
const exportRef = (): Schema => obj({ path: str(), name: str() }, ["name"]);

/** `tenancy.kcp.io/v1alpha1` Workspace. */
export function workspaceFields(): Fields {
  return {
    spec: obj({
      type: typeRef(),
      location: obj({ selector: labelSelector() }),
      cluster: str(),
      URL: str(),
    }),
    status: obj({
      phase: str({ enum: ["Scheduling", "Initializing", "Ready"] }),
      conditions: conditions(),
      initializers: arrayOf(str()),
    }),
  };
}

/** `tenancy.kcp.io/v1alpha1` WorkspaceType. */
export function workspaceTypeFields(): Fields {
  const typeList = () => obj({ none: bool(), types: arrayOf(typeRef()) });
  return {
    spec: obj({
      initializer: bool(),
      extend: obj({ with: arrayOf(typeRef()) }),
      additionalWorkspaceLabels: mapOf(str()),
      defaultChildWorkspaceType: typeRef(),
      limitAllowedChildren: typeList(),
      limitAllowedParents: typeList(),
      defaultAPIBindings: arrayOf(obj({ path: str(), export: str() }, ["export"])),
    }),
    status: obj({
      conditions: conditions(),
      virtualWorkspaces: arrayOf(obj({ url: str() })),
    }),
  };
}

/** `core.kcp.io/v1alpha1` LogicalCluster. */
export function logicalClusterFields(): Fields {
  return {
    spec: obj({
      directlyDeletable: bool(),
      owner: obj({
        apiVersion: str(),
        resource: str(),
        name: str(),
        namespace: str(),
        cluster: str(),
        uid: str(),
      }),
      initializers: arrayOf(str()),
    }),
    status: obj({
      URL: str(),
      phase: str({ enum: ["Scheduling", "Initializing", "Ready"] }),
      conditions: conditions(),
      initializers: arrayOf(str()),
    }),
  };
}

/** `core.kcp.io/v1alpha1` Shard. */
export function shardFields(): Fields {
  return {
    spec: obj({ baseURL: str(), externalURL: str(), virtualWorkspaceURL: str() }, ["baseURL"]),
    status: obj({ conditions: conditions(), capacity: mapOf(anyObject()) }),
  };
}

/** `apis.kcp.io/v1alpha1` APIResourceSchema. */
export function apiResourceSchemaFields(): Fields {
  const names = obj({
    plural: str(),
    singular: str(),
    kind: str(),
    listKind: str(),
    shortNames: arrayOf(str()),
    categories: arrayOf(str()),
  }, ["plural", "kind"]);
  return {
    spec: obj({
      group: str(),
      names,
      scope: str({ enum: ["Cluster", "Namespaced"] }),
      versions: arrayOf(obj({
        name: str(),
        served: bool(),
        storage: bool(),
        deprecated: bool(),
        deprecationWarning: str(),
        schema: anyObject(),
        subresources: anyObject(),
        additionalPrinterColumns: arrayOf(anyObject()),
      }, ["name", "served", "storage", "schema"])),
    }, ["group", "names", "scope", "versions"]),
  };
}

const permissionClaim = (): Schema =>
  obj({
    group: str(),
    resource: str(),
    identityHash: str(),
    all: bool(),
    resourceSelector: arrayOf(obj({ name: str(), namespace: str() })),
    state: str({ enum: ["Accepted", "Rejected"] }),
  }, ["resource"]);

/** `apis.kcp.io/v1alpha1` APIExport. */
export function apiExportFields(): Fields {
  return {
    spec: obj({
      latestResourceSchemas: arrayOf(str()),
      identity: obj({ secretRef: obj({ namespace: str(), name: str() }) }),
      maximalPermissionPolicy: obj({ local: anyObject() }),
      permissionClaims: arrayOf(permissionClaim()),
    }),
    status: obj({
      identityHash: str(),
      conditions: conditions(),
      virtualWorkspaces: arrayOf(obj({ url: str() }, ["url"])),
    }),
  };
}

/** `apis.kcp.io/v1alpha1` APIBinding. */
export function apiBindingFields(): Fields {
  return {
    spec: obj({
      reference: obj({ export: exportRef() }),
      permissionClaims: arrayOf(permissionClaim()),
    }, ["reference"]),
    status: obj({
      apiExportClusterName: str(),
      phase: str(),
      boundResources: arrayOf(obj({
        group: str(),
        resource: str(),
        schema: obj({ name: str(), UID: str(), identityHash: str() }),
        storageVersions: arrayOf(str()),
      })),
      exportPermissionClaims: arrayOf(permissionClaim()),
      appliedPermissionClaims: arrayOf(permissionClaim()),
      conditions: conditions(),
    }),
  };
}

/** `apis.kcp.io/v1alpha1` APIExportEndpointSlice. */
export function apiExportEndpointSliceFields(): Fields {
  return {
    spec: obj({ export: exportRef(), partition: str() }, ["export"]),
    status: obj({
      conditions: conditions(),
      endpoints: arrayOf(obj({ url: str() }, ["url"])),
    }),
  };
}

/** `workload.kcp.io/v1alpha1` SyncTarget. */
export function syncTargetFields(): Fields {
  return {
    spec: obj({
      unschedulable: bool(),
      evictAfter: time(),
      supportedAPIExports: arrayOf(exportRef()),
      cells: mapOf(str()),
    }),
    status: obj({
      allocatable: mapOf(anyObject()),
      capacity: mapOf(anyObject()),
      conditions: conditions(),
      syncedResources: arrayOf(anyObject()),
      lastSyncerHeartbeatTime: time(),
      virtualWorkspaces: arrayOf(obj({ syncerURL: str(), upsyncerURL: str() })),
    }),
  };
}

/** `scheduling.kcp.io/v1alpha1` Location. */
export function locationFields(): Fields {
  return {
    spec: obj({
      resource: obj({ group: str(), version: str(), resource: str() }),
      description: str(),
      availableSelectorLabels: arrayOf(anyObject()),
      instanceSelector: labelSelector(),
    }),
    status: obj({ instances: int(), availableInstances: int() }),
  };
}

/** `scheduling.kcp.io/v1alpha1` Placement. */
export function placementFields(): Fields {
  return {
    spec: obj({
      locationSelectors: arrayOf(labelSelector()),
      locationResource: obj({ group: str(), version: str(), resource: str() }),
      namespaceSelector: labelSelector(),
      locationWorkspace: str(),
    }),
    status: obj({
      phase: str(),
      selectedLocation: obj({ path: str(), locationName: str() }),
      conditions: conditions(),
    }),
  };
}
