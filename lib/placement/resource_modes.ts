/**
 * Which resources the placement translator watches in a workload management
 * workspace and where their objects may go (controllers-spec §4.9).
 *
 * @module
 */

/** Where objects of a resource may be propagated. */
export type PropagationMode =
  /** Projected into mailboxes and synced to the edge. */
  | "goes-to-edge"
  /** Projected into mailboxes only (APIBindings), never listed in SyncerConfig. */
  | "goes-to-mailbox"
  /** Never watched: not supported, or meaningless at the edge. */
  | "not-for-edge";

const NOT_FOR_EDGE_GROUPS = new Set([
  "edge.kubestellar.io",
  "scheduling.kcp.io",
  "tenancy.kcp.io",
  "topology.kcp.io",
  "workload.kcp.io",
  "apiresource.kcp.io",
]);

const NOT_FOR_EDGE: Set<string> = new Set([
  "apis.kcp.io/apiexports",
  "apis.kcp.io/apiexportendpointslices",
  "apis.kcp.io/apiresourceschemas",
  "apis.kcp.io/apiconversions",
  "apps/controllerrevisions",
  "authentication.k8s.io/tokenreviews",
  "authorization.k8s.io/localsubjectaccessreviews",
  "authorization.k8s.io/selfsubjectaccessreviews",
  "authorization.k8s.io/selfsubjectrulesreviews",
  "authorization.k8s.io/subjectaccessreviews",
  "certificates.k8s.io/certificatesigningrequests",
  "core.kcp.io/logicalclusters",
  "core.kcp.io/shards",
  "events.k8s.io/events",
  "/bindings",
  "/componentstatuses",
  "/events",
  "/nodes",
]);

/**
 * Forcibly-denatured kinds that kcp serves natively and gives behaviour (they grant, call
 * or limit in the workspace): natured, they are the workspace's own and stay in the
 * center; their denatured form (`denatured.kubestellar.io`) goes to the edge. APIService,
 * FlowSchema and PriorityLevelConfiguration are CRD-backed (inert) in kcp workspaces, so
 * their natured form still goes to the edge as well (docs/denaturing.md).
 */
const CENTER_ONLY: Set<string> = new Set([
  "rbac.authorization.k8s.io/roles",
  "rbac.authorization.k8s.io/rolebindings",
  "rbac.authorization.k8s.io/clusterroles",
  "rbac.authorization.k8s.io/clusterrolebindings",
  "/serviceaccounts",
  "/limitranges",
  "/resourcequotas",
  "admissionregistration.k8s.io/mutatingwebhookconfigurations",
  "admissionregistration.k8s.io/validatingwebhookconfigurations",
]);

/**
 * True for the natured kinds that kcp gives behaviour and that therefore stay in the
 * center; their workload objects live as `denatured.kubestellar.io` objects.
 */
export function isCenterOnly(group: string, resource: string): boolean {
  return CENTER_ONLY.has(`${group}/${resource}`);
}

/** The propagation mode of `group/resource`. */
export function propagationMode(group: string, resource: string): PropagationMode {
  const gr = `${group}/${resource}`;
  if (NOT_FOR_EDGE_GROUPS.has(group) || NOT_FOR_EDGE.has(gr) || CENTER_ONLY.has(gr)) {
    return "not-for-edge";
  }
  if (group === "apis.kcp.io" && resource === "apibindings") return "goes-to-mailbox";
  return "goes-to-edge";
}

/**
 * Objects that are never selected even when a test matches them: the per-namespace
 * objects every cluster makes for itself.
 */
export function isSystemObject(
  group: string,
  resource: string,
  obj: { metadata?: { name?: string }; type?: unknown },
): boolean {
  if (group !== "") return false;
  const name = obj.metadata?.name;
  if (resource === "secrets") {
    return obj.type === "kubernetes.io/service-account-token" ||
      obj.type === "bootstrap.kubernetes.io/token";
  }
  if (resource === "configmaps") return name === "kube-root-ca.crt";
  if (resource === "serviceaccounts") return name === "default";
  return false;
}
