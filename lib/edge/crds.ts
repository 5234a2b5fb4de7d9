/**
 * The CustomResourceDefinitions of `edge.kubestellar.io/v2alpha1` (controllers-spec
 * §1.1–1.8), embedded as data so compiled binaries need no files. `kubestellar init`
 * turns them into APIResourceSchemas and the `edge.kubestellar.io` APIExport.
 *
 * @module
 */
import type { KubeObject } from "../kube/rest_client.ts";
import { denaturedCrds } from "../denature/denatured_crds.ts";
import { EDGE_GROUP, EDGE_VERSION } from "./api_types.ts";
import {
  anyObject,
  bool,
  int,
  labelSelector,
  list,
  obj,
  oneOf,
  type Schema,
  str,
  stringMap,
  time,
  topLevel,
} from "./openapi_builders.ts";

interface EdgeKind {
  kind: string;
  plural: string;
  scope: "Cluster" | "Namespaced";
  shortNames?: string[];
  status: boolean;
  schema: Schema;
}

const upsyncSet = obj({
  apiGroup: str(),
  resources: list(str()),
  namespaces: list(str()),
  names: list(str()),
}, ["resources"]);

/** One EdgePlacement `downsync` test (also a StatusSummarizer's `objects` clause). */
function downsyncTest(): Schema {
  return obj({
    apiGroup: str(),
    resources: list(str()),
    namespaces: list(str()),
    namespaceSelectors: list(labelSelector()),
    objectNames: list(str()),
    labelSelectors: list(labelSelector()),
  }, ["apiGroup"]);
}

const syncerResource = { group: str(), resource: str(), apiVersion: str() };

const EDGE_KINDS: EdgeKind[] = [
  {
    kind: "EdgePlacement",
    plural: "edgeplacements",
    scope: "Cluster",
    shortNames: ["epl"],
    status: false,
    schema: topLevel({
      spec: obj({
        locationSelectors: list(labelSelector()),
        downsync: list(downsyncTest()),
        wantSingletonReportedState: bool(),
        upsync: list(upsyncSet),
      }),
      status: obj({ specGeneration: int(), matchingLocationCount: int() }),
    }),
  },
  {
    kind: "SinglePlacementSlice",
    plural: "singleplacementslices",
    scope: "Cluster",
    shortNames: ["sps"],
    status: false,
    schema: topLevel({
      destinations: list(obj({
        cluster: str(),
        locationName: str(),
        syncTargetName: str(),
        syncTargetUID: str(),
      }, ["cluster", "locationName", "syncTargetName", "syncTargetUID"])),
    }, ["destinations"]),
  },
  {
    kind: "Customizer",
    plural: "customizers",
    scope: "Namespaced",
    status: false,
    schema: topLevel({
      replacements: list(obj({ path: str(), value: str() }, ["path", "value"]), {
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["path"],
      }),
    }),
  },
  {
    kind: "SyncerConfig",
    plural: "syncerconfigs",
    scope: "Cluster",
    shortNames: ["escfg"],
    status: false,
    schema: topLevel({
      spec: obj({
        namespaceScope: obj({ namespaces: list(str()), resources: list(obj(syncerResource)) }),
        namespacedObjects: list(obj({
          ...syncerResource,
          objectsByNamespace: list(obj({ namespace: str(), names: list(str()) })),
        })),
        clusterScope: list(obj({ ...syncerResource, objects: list(str()) })),
        upsync: list(upsyncSet),
      }),
      status: obj({ lastSyncerHeartbeatTime: time() }),
    }),
  },
  {
    kind: "EdgeSyncConfig",
    plural: "edgesyncconfigs",
    scope: "Cluster",
    shortNames: ["esc"],
    status: false,
    schema: topLevel({
      spec: obj({
        downSyncedResources: list(edgeSyncResource()),
        upSyncedResources: list(edgeSyncResource()),
        conversions: list(obj({ upstream: anyObject(), downstream: anyObject() })),
      }),
      status: obj({ lastSyncerHeartbeatTime: time() }),
    }),
  },
  {
    kind: "SyncTarget",
    plural: "synctargets",
    scope: "Cluster",
    status: true,
    schema: topLevel({
      spec: obj({
        unschedulable: bool(),
        evictAfter: time(),
        supportedAPIExports: list(obj({ export: str(), path: str() })),
        cells: stringMap(),
      }),
      status: anyObject(),
    }),
  },
  {
    kind: "Location",
    plural: "locations",
    scope: "Cluster",
    status: true,
    schema: topLevel({
      spec: obj({
        resource: obj({
          group: oneOf(EDGE_GROUP),
          version: oneOf(EDGE_VERSION),
          resource: oneOf("synctargets"),
        }, ["group", "version", "resource"]),
        description: str(),
        availableSelectorLabels: list(
          obj({ key: str(), values: list(str()), description: str() }, ["key", "values"]),
        ),
        instanceSelector: labelSelector(),
      }, ["resource"]),
      status: obj({ instances: int(), availableInstances: int() }),
    }),
  },
  {
    kind: "StatusSummarizer",
    plural: "statussummarizers",
    scope: "Cluster",
    status: true,
    schema: topLevel({
      spec: obj({
        objects: list(downsyncTest()),
        groupBy: list(obj({ name: str(), def: str() }, ["name", "def"])),
        combinedFields: list(
          obj({
            name: str(),
            type: oneOf("COUNT", "SUM", "MIN", "MAX", "AVG"),
            subject: str(),
          }, ["name", "type"]),
        ),
        brokenWhen: str(),
        limit: int({ minimum: 0 }),
      }),
      status: obj({
        observedGeneration: int(),
        conditions: list(obj({
          type: str(),
          status: str(),
          reason: str(),
          message: str(),
          lastTransitionTime: time(),
        }, ["type", "status"])),
      }),
    }),
  },
  {
    kind: "StatusSummary",
    plural: "statussummaries",
    scope: "Cluster",
    status: true,
    schema: topLevel({
      status: obj({
        rows: list(anyObject()),
        broken: list(obj({ cluster: str(), namespace: str(), name: str(), reason: str() })),
        brokenCount: int(),
        observedClusters: int(),
        lastUpdateTime: time(),
      }),
    }),
  },
];

function edgeSyncResource(): Schema {
  return obj({ kind: str(), group: str(), version: str(), name: str(), namespace: str() });
}

function crdFor(k: EdgeKind): KubeObject {
  const names: Record<string, unknown> = {
    kind: k.kind,
    listKind: `${k.kind}List`,
    plural: k.plural,
    singular: k.kind.toLowerCase(),
  };
  if (k.shortNames) names.shortNames = k.shortNames;
  const version: Record<string, unknown> = {
    name: EDGE_VERSION,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: k.schema },
  };
  if (k.status) version.subresources = { status: {} };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${k.plural}.${EDGE_GROUP}` },
    spec: { group: EDGE_GROUP, names, scope: k.scope, versions: [version] },
  };
}

/**
 * The CRDs the `edge.kubestellar.io` export publishes, in a stable order: the edge kinds,
 * then the denatured kinds (`denatured.kubestellar.io`, docs/denaturing.md).
 */
export function edgeCrds(): KubeObject[] {
  return [...EDGE_KINDS.map(crdFor), ...denaturedCrds()];
}

/** The plural resource names of the edge kinds. */
export function edgeResources(): string[] {
  return EDGE_KINDS.map((k) => k.plural);
}
