/**
 * Strategic merge patch metadata for the built-in kinds: for a list field, whether it merges
 * by a key (`patchMergeKey`), merges as a set of primitives, or is replaced whole.
 *
 * The table covers the fields kubectl users patch: object metadata, pod specs (directly in
 * Pods, in pod templates of workload kinds, in CronJob job templates), Service ports and the
 * `status.conditions` lists. Every other list is replaced atomically, which is also what the
 * Kubernetes types declare for RBAC `rules`/`subjects`, tolerations and most others.
 *
 * Extend it by adding fields to a type node or a kind to `KIND_ROOTS`.
 *
 * @example
 * ```ts
 * listStrategy({ group: "apps", kind: "Deployment" }, ["spec", "template", "spec", "containers"]);
 * // { strategy: "merge", key: "name" }
 * listStrategy({ group: "apps", kind: "Deployment" }, ["metadata", "finalizers"]);
 * // { strategy: "set" }
 * ```
 *
 * @module
 */

/** A group and kind (`""` is the core group). */
export interface GroupKind {
  group: string;
  kind: string;
}

/** How a list field is patched. */
export type ListStrategy =
  | { strategy: "merge"; key: string }
  | { strategy: "set" }
  | { strategy: "replace" };

/** A field of a type: its list strategy (when a list) and the type of its values/elements. */
interface FieldNode {
  list?: ListStrategy;
  type?: TypeNode;
}

/** The fields of a type that carry metadata (directly or below them). */
type TypeNode = Record<string, FieldNode>;

const REPLACE: ListStrategy = { strategy: "replace" };
const SET: ListStrategy = { strategy: "set" };
const by = (key: string): ListStrategy => ({ strategy: "merge", key });

const OBJECT_META: TypeNode = {
  ownerReferences: { list: by("uid") },
  finalizers: { list: SET },
};

const CONTAINER: TypeNode = {
  ports: { list: by("containerPort") },
  env: { list: by("name") },
  envFrom: { list: REPLACE },
  volumeMounts: { list: by("mountPath") },
  volumeDevices: { list: by("devicePath") },
  resizePolicy: { list: REPLACE },
};

const POD_SPEC: TypeNode = {
  volumes: { list: by("name") },
  initContainers: { list: by("name"), type: CONTAINER },
  containers: { list: by("name"), type: CONTAINER },
  ephemeralContainers: { list: by("name"), type: CONTAINER },
  imagePullSecrets: { list: by("name") },
  hostAliases: { list: by("ip") },
  topologySpreadConstraints: { list: by("topologyKey") },
  resourceClaims: { list: by("name") },
  schedulingGates: { list: by("name") },
  tolerations: { list: REPLACE },
  readinessGates: { list: REPLACE },
};

const CONDITIONS: FieldNode = { list: by("type") };

const POD_TEMPLATE_SPEC: TypeNode = { metadata: { type: OBJECT_META }, spec: { type: POD_SPEC } };

/** The common root: every kind has `metadata` and `status.conditions` keyed by `type`. */
function root(spec?: TypeNode, status: TypeNode = {}): TypeNode {
  const node: TypeNode = {
    metadata: { type: OBJECT_META },
    status: { type: { conditions: CONDITIONS, ...status } },
  };
  if (spec) node.spec = { type: spec };
  return node;
}

const WORKLOAD = root({ template: { type: POD_TEMPLATE_SPEC } });

const JOB_TEMPLATE_SPEC: TypeNode = {
  metadata: { type: OBJECT_META },
  spec: { type: { template: { type: POD_TEMPLATE_SPEC } } },
};

const KIND_ROOTS: Record<string, TypeNode> = {
  "/Pod": root(POD_SPEC, { podIPs: { list: by("ip") }, hostIPs: { list: by("ip") } }),
  "/PodTemplate": {
    metadata: { type: OBJECT_META },
    template: { type: POD_TEMPLATE_SPEC },
  },
  "/ReplicationController": WORKLOAD,
  "/Service": root({ ports: { list: by("port") } }),
  "/Node": root({ podCIDRs: { list: SET } }, { addresses: { list: by("type") } }),
  "apps/Deployment": WORKLOAD,
  "apps/ReplicaSet": WORKLOAD,
  "apps/StatefulSet": WORKLOAD,
  "apps/DaemonSet": WORKLOAD,
  "batch/Job": WORKLOAD,
  "batch/CronJob": root({ jobTemplate: { type: JOB_TEMPLATE_SPEC } }),
};

const GENERIC_ROOT = root();

/** API groups whose kinds are compiled into the Kubernetes API server. */
const BUILT_IN_GROUPS = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

/**
 * True for the built-in kinds kubectl sends strategic merge patches for (any kind of a
 * built-in API group); false for custom resources.
 */
export function supportsStrategicMerge(gk: GroupKind): boolean {
  return BUILT_IN_GROUPS.has(gk.group);
}

/** The type node for a path of field names (list elements are transparent). */
function nodeAt(gk: GroupKind, path: readonly string[]): FieldNode | undefined {
  let type: TypeNode | undefined = KIND_ROOTS[`${gk.group}/${gk.kind}`] ?? GENERIC_ROOT;
  let field: FieldNode | undefined;
  for (const name of path) {
    if (!type || !Object.hasOwn(type, name)) return undefined;
    field = type[name];
    type = field.type;
  }
  return field;
}

/**
 * The list strategy of the field at `path` (field names from the object root, e.g.
 * `["spec", "template", "spec", "containers", "env"]`). Unknown fields are replaced.
 */
export function listStrategy(gk: GroupKind, path: readonly string[]): ListStrategy {
  return nodeAt(gk, path)?.list ?? REPLACE;
}
