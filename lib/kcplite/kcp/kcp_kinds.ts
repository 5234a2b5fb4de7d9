/**
 * Names kcp-lite's kcp mode shares between its controllers and admission: store resource
 * keys of the kinds it manages, well-known annotations, labels, finalizers and
 * condition helpers (kcp-spec §2, §3).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";

/** Store resource keys (`<group>/<plural>`). */
export const R = {
  logicalClusters: "core.kcp.io/logicalclusters",
  shards: "core.kcp.io/shards",
  workspaces: "tenancy.kcp.io/workspaces",
  workspaceTypes: "tenancy.kcp.io/workspacetypes",
  schemas: "apis.kcp.io/apiresourceschemas",
  exports: "apis.kcp.io/apiexports",
  bindings: "apis.kcp.io/apibindings",
  namespaces: "/namespaces",
  serviceAccounts: "/serviceaccounts",
  secrets: "/secrets",
  configMaps: "/configmaps",
  crds: "apiextensions.k8s.io/customresourcedefinitions",
  clusterRoles: "rbac.authorization.k8s.io/clusterroles",
  clusterRoleBindings: "rbac.authorization.k8s.io/clusterrolebindings",
  roles: "rbac.authorization.k8s.io/roles",
  roleBindings: "rbac.authorization.k8s.io/rolebindings",
} as const;

/** apiVersion + kind of each managed kind. */
export const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  [R.logicalClusters]: { apiVersion: "core.kcp.io/v1alpha1", kind: "LogicalCluster" },
  [R.shards]: { apiVersion: "core.kcp.io/v1alpha1", kind: "Shard" },
  [R.workspaces]: { apiVersion: "tenancy.kcp.io/v1alpha1", kind: "Workspace" },
  [R.workspaceTypes]: { apiVersion: "tenancy.kcp.io/v1alpha1", kind: "WorkspaceType" },
  [R.schemas]: { apiVersion: "apis.kcp.io/v1alpha1", kind: "APIResourceSchema" },
  [R.exports]: { apiVersion: "apis.kcp.io/v1alpha1", kind: "APIExport" },
  [R.bindings]: { apiVersion: "apis.kcp.io/v1alpha1", kind: "APIBinding" },
  [R.namespaces]: { apiVersion: "v1", kind: "Namespace" },
  [R.serviceAccounts]: { apiVersion: "v1", kind: "ServiceAccount" },
  [R.secrets]: { apiVersion: "v1", kind: "Secret" },
  [R.configMaps]: { apiVersion: "v1", kind: "ConfigMap" },
  [R.clusterRoles]: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" },
  [R.clusterRoleBindings]: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
  },
};

/** The root logical cluster's id and path. */
export const ROOT = "root";
/** Where the standard and `system:kcp:*` ClusterRoles live (kcp-spec §5.4). */
export const SYSTEM_ADMIN = "system:admin";
/** The LogicalCluster singleton's name. */
export const LOGICAL_CLUSTER_NAME = "cluster";

/** Annotations and labels. */
export const A = {
  cluster: "kcp.io/cluster",
  path: "kcp.io/path",
  type: "internal.tenancy.kcp.io/type",
  wsCluster: "internal.tenancy.kcp.io/cluster",
  wsShard: "internal.tenancy.kcp.io/shard",
  owner: "experimental.tenancy.kcp.io/owner",
  phaseLabel: "tenancy.kcp.io/phase",
  createOnly: "bootstrap.kcp.io/create-only",
  battery: "bootstrap.kcp.io/battery",
  exportLabel: "internal.apis.kcp.io/export",
  extraPrefix: "extra.apis.kcp.io/",
  saName: "kubernetes.io/service-account.name",
  saUid: "kubernetes.io/service-account.uid",
} as const;

/** Finalizers. */
export const F = {
  workspace: "core.kcp.io/logicalcluster",
  logicalCluster: "core.kcp.io/logicalcluster-deletion",
  binding: "apis.kcp.io/apibinding-finalizer",
} as const;

/** The Secret type of service-account tokens. */
export const SA_TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token";

/** A kcp status condition. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  severity?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Sets (or replaces) a condition, keeping `lastTransitionTime` when the status is unchanged. */
export function setCondition(obj: KubeObject, condition: Condition): void {
  const status = (obj.status ??= {}) as { conditions?: Condition[] };
  const list = status.conditions ??= [];
  const i = list.findIndex((c) => c.type === condition.type);
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const next: Condition = { ...condition };
  if (next.status === "False" && next.severity === undefined) next.severity = "Error";
  if (i >= 0) {
    next.lastTransitionTime = list[i].status === next.status
      ? list[i].lastTransitionTime ?? now
      : now;
    list[i] = next;
  } else {
    next.lastTransitionTime = now;
    list.push(next);
  }
}

/** The condition of that type, if any. */
export function getCondition(obj: KubeObject, type: string): Condition | undefined {
  const list = (obj.status as { conditions?: Condition[] } | undefined)?.conditions;
  return list?.find((c) => c.type === type);
}

/** Annotations of an object, created when missing. */
export function annotationsOf(obj: KubeObject): Record<string, string> {
  const md = obj.metadata ??= {};
  return md.annotations ??= {};
}

/** Labels of an object, created when missing. */
export function labelsOf(obj: KubeObject): Record<string, string> {
  const md = obj.metadata ??= {};
  return md.labels ??= {};
}

/** `metadata.finalizers` as a list. */
export function finalizersOf(obj: KubeObject): string[] {
  const f = obj.metadata?.finalizers;
  return Array.isArray(f) ? f as string[] : [];
}

/** True when `metadata.deletionTimestamp` is set. */
export function isDeleting(obj: KubeObject): boolean {
  return typeof obj.metadata?.deletionTimestamp === "string";
}

/** A Kubernetes timestamp for now (`2024-01-02T03:04:05Z`). */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** A `<path>:<name>` workspace-type or export reference as text. */
export function refText(path: string | undefined, name: string): string {
  return path ? `${path}:${name}` : name;
}
