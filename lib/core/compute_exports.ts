/**
 * What `kubestellar init` adds to `root:compute` (commands-spec §3.5): APIResourceSchemas
 * and APIExports for the Kubernetes resources that kcp's own `kubernetes` export lacks,
 * and the RBAC that lets every workspace bind them and use them fully. Embedded data.
 *
 * Each APIResourceSchema carries, as kcp's and upstream's do, the kind's Kubernetes schema
 * and the short names and categories kube-apiserver's discovery reports for it (so
 * `kubectl get rs` and `kubectl get all` work in a workload workspace). Both come from the
 * one table kcp-lite serves built-in kinds from (`lib/kcplite/api/`).
 *
 * @module
 */
import type { KubeObject } from "../kube/rest_client.ts";
import { resourceDefToApiResourceSchema } from "../kcplite/api/api_resource_schema.ts";
import { builtin } from "../kcplite/api/builtin_def.ts";
import { kubeModeBuiltins } from "../kcplite/api/builtin_catalogs.ts";
import type { ResourceDef } from "../kcplite/api/resource_def.ts";

interface KubeResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** The export that publishes it. */
  exportName: string;
  status?: boolean;
  scale?: boolean;
}

function r(
  exportName: string,
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  sub: { status?: boolean; scale?: boolean } = {},
): KubeResource {
  return { exportName, group, version, kind, plural, namespaced, ...sub };
}

const STATUS = { status: true };
const STATUS_SCALE = { status: true, scale: true };

/** Every resource init exports from `root:compute`, grouped by export. */
export const COMPUTE_RESOURCES: KubeResource[] = [
  r("apps", "apps", "v1", "DaemonSet", "daemonsets", true, STATUS),
  r("apps", "apps", "v1", "ReplicaSet", "replicasets", true, STATUS_SCALE),
  r("apps", "apps", "v1", "StatefulSet", "statefulsets", true, STATUS_SCALE),
  r(
    "autoscaling",
    "autoscaling",
    "v2",
    "HorizontalPodAutoscaler",
    "horizontalpodautoscalers",
    true,
    STATUS,
  ),
  r("batch", "batch", "v1", "CronJob", "cronjobs", true, STATUS),
  r("batch", "batch", "v1", "Job", "jobs", true, STATUS),
  r("core.k8s.io", "", "v1", "Endpoints", "endpoints", true),
  r("core.k8s.io", "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, STATUS),
  r("core.k8s.io", "", "v1", "PodTemplate", "podtemplates", true),
  r("core.k8s.io", "", "v1", "ReplicationController", "replicationcontrollers", true, STATUS_SCALE),
  r("discovery.k8s.io", "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
  r("networking.k8s.io", "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true),
  r("policy", "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, STATUS),
  r("storage.k8s.io", "storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities", true),
  r(
    "apiregistration.k8s.io",
    "apiregistration.k8s.io",
    "v1",
    "APIService",
    "apiservices",
    false,
    STATUS,
  ),
  r("cluster-core.k8s.io", "", "v1", "PersistentVolume", "persistentvolumes", false, STATUS),
  r(
    "flowcontrol.apiserver.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "v1beta2",
    "FlowSchema",
    "flowschemas",
    false,
    STATUS,
  ),
  r(
    "flowcontrol.apiserver.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "v1beta2",
    "PriorityLevelConfiguration",
    "prioritylevelconfigurations",
    false,
    STATUS,
  ),
  r(
    "cluster-networking.k8s.io",
    "networking.k8s.io",
    "v1",
    "IngressClass",
    "ingressclasses",
    false,
  ),
  r("node.k8s.io", "node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false),
  r("scheduling.k8s.io", "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false),
  r("cluster-storage.k8s.io", "storage.k8s.io", "v1", "CSIDriver", "csidrivers", false),
  r("cluster-storage.k8s.io", "storage.k8s.io", "v1", "CSINode", "csinodes", false),
  r("cluster-storage.k8s.io", "storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
  r(
    "cluster-storage.k8s.io",
    "storage.k8s.io",
    "v1",
    "VolumeAttachment",
    "volumeattachments",
    false,
    STATUS,
  ),
];

/** The prefix of the schema names (kcp's apigen style). */
export const COMPUTE_SCHEMA_PREFIX = "v230615-d48020c8";

function schemaName(res: KubeResource): string {
  return `${COMPUTE_SCHEMA_PREFIX}.${res.plural}.${res.group || "core"}`;
}

/**
 * The served-resource description of an exported kind: kcp-lite's built-in catalog entry
 * (short names, categories, schema) where kube mode serves the kind, otherwise one made
 * from the kind's Kubernetes schema (those kinds have no short names or categories).
 */
function resourceDefOf(res: KubeResource, catalog: ResourceDef[]): ResourceDef {
  const known = catalog.find((d) =>
    d.group === res.group && d.version === res.version && d.resource === res.plural
  );
  return known ?? builtin({
    group: res.group,
    version: res.version,
    resource: res.plural,
    kind: res.kind,
    namespaced: res.namespaced,
    status: res.status,
    scale: res.scale,
  });
}

function apiResourceSchema(res: KubeResource, catalog: ResourceDef[]): KubeObject {
  const schema = resourceDefToApiResourceSchema(resourceDefOf(res, catalog), COMPUTE_SCHEMA_PREFIX);
  const version = schema.spec.versions[0];
  // the subresources this export has always declared (scale without a label selector path)
  delete version.subresources;
  const subresources: Record<string, unknown> = {};
  if (res.status) subresources.status = {};
  if (res.scale) {
    subresources.scale = {
      specReplicasPath: ".spec.replicas",
      statusReplicasPath: ".status.replicas",
    };
  }
  if (res.status || res.scale) version.subresources = subresources;
  return schema;
}

/** The names of the exports init creates, in a stable order. */
export function computeExportNames(): string[] {
  return [...new Set(COMPUTE_RESOURCES.map((res) => res.exportName))];
}

/** APIResourceSchemas and APIExports for `root:compute`. */
export function computeApiObjects(): { schemas: KubeObject[]; exports: KubeObject[] } {
  const catalog = kubeModeBuiltins();
  const schemas = COMPUTE_RESOURCES.map((res) => apiResourceSchema(res, catalog));
  const exports = computeExportNames().map((name) => ({
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIExport",
    metadata: { name },
    spec: {
      latestResourceSchemas: COMPUTE_RESOURCES.filter((res) => res.exportName === name).map(
        schemaName,
      ),
    },
  }));
  return { schemas, exports };
}

const BINDING_GROUP = "apis.kcp.io:binding:system:authenticated";
const BIND_ROLE = "compute:apiexport:kubernetes-extended:bind";
const MPP_ROLE = "compute:apiexport:kubernetes:maximal-permission-policy-extended";

/** The ClusterRoles and ClusterRoleBindings init ensures in `root:compute`. */
export function computeRbacObjects(): KubeObject[] {
  const namespacedExports = [
    ...new Set(COMPUTE_RESOURCES.filter((x) => x.namespaced).map((x) => x.exportName)),
  ];
  const workloadResources = [
    "services",
    "pods",
    "ingresses",
    "deployments",
    ...COMPUTE_RESOURCES.filter((x) => x.namespaced).map((x) => x.plural),
  ];
  const groups = ["", "apps", "networking.k8s.io", "autoscaling", "batch", "discovery.k8s.io"]
    .concat(["policy", "storage.k8s.io"]);
  const statusAndScale = workloadResources.map((x) => `${x}/status`).concat(
    ["deployments", "replicasets", "replicationcontrollers", "statefulsets"].map((x) =>
      `${x}/scale`
    ),
  );
  const rbac = "rbac.authorization.k8s.io/v1";
  const subjects = [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: BINDING_GROUP }];
  return [
    {
      apiVersion: rbac,
      kind: "ClusterRole",
      metadata: { name: BIND_ROLE },
      rules: [{
        apiGroups: ["apis.kcp.io"],
        resources: ["apiexports"],
        resourceNames: namespacedExports,
        verbs: ["bind"],
      }],
    },
    {
      apiVersion: rbac,
      kind: "ClusterRole",
      metadata: { name: MPP_ROLE },
      rules: [
        { apiGroups: groups, resources: workloadResources, verbs: ["*"] },
        {
          apiGroups: groups,
          resources: statusAndScale,
          verbs: ["get", "list", "watch", "update", "patch"],
        },
      ],
    },
    {
      apiVersion: rbac,
      kind: "ClusterRoleBinding",
      metadata: { name: BIND_ROLE },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: BIND_ROLE },
      subjects,
    },
    {
      apiVersion: rbac,
      kind: "ClusterRoleBinding",
      metadata: {
        name: `compute:authenticated:apiexport:kubernetes:maximal-permission-policy-extended`,
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: MPP_ROLE },
      subjects,
    },
  ];
}
