/**
 * The forcibly-denatured kinds (controllers-spec §4.9; upstream's `clusterrolebindingss`
 * typo fixed): kinds that would act in the center — grant, call or limit — if stored
 * natured in a workload management workspace or a mailbox. Each is stored there as an
 * inert object of the same kind in the group `denatured.kubestellar.io` (version `v1`),
 * exported by the `edge.kubestellar.io` APIExport; the edge view maps users' natured
 * requests to it and the syncer renatures it on the edge cluster.
 *
 * @example
 * ```ts
 * naturedOf("denatured.kubestellar.io", "rolebindings")?.group; // "rbac.authorization.k8s.io"
 * denaturedOf("rbac.authorization.k8s.io", "rolebindings")?.kind; // "RoleBinding"
 * ```
 *
 * @module
 */

/** The group of every denatured kind. */
export const DENATURED_GROUP = "denatured.kubestellar.io";
/** Its one version. */
export const DENATURED_VERSION = "v1";
/** `apiVersion` of denatured objects. */
export const DENATURED_API_VERSION = `${DENATURED_GROUP}/${DENATURED_VERSION}`;

/** One forcibly-denatured kind: its natured coordinates (the denatured share kind/plural). */
export interface DenaturedKind {
  kind: string;
  /** Plural resource name, the same in both groups. */
  resource: string;
  /** Natured group ("" for core). */
  group: string;
  /** Natured version written on edge clusters. */
  version: string;
  namespaced: boolean;
  /** The natured kind has a `/status` subresource. */
  hasStatus: boolean;
}

const rbac = "rbac.authorization.k8s.io";
const admission = "admissionregistration.k8s.io";
const flow = "flowcontrol.apiserver.k8s.io";

function k(
  kind: string,
  resource: string,
  group: string,
  namespaced: boolean,
  hasStatus = false,
): DenaturedKind {
  return { kind, resource, group, version: "v1", namespaced, hasStatus };
}

/** Every forcibly-denatured kind, in a stable order. */
export const DENATURED_KINDS: readonly DenaturedKind[] = [
  k("Role", "roles", rbac, true),
  k("RoleBinding", "rolebindings", rbac, true),
  k("ClusterRole", "clusterroles", rbac, false),
  k("ClusterRoleBinding", "clusterrolebindings", rbac, false),
  k("ServiceAccount", "serviceaccounts", "", true),
  k("LimitRange", "limitranges", "", true),
  k("ResourceQuota", "resourcequotas", "", true, true),
  k("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", admission, false),
  k("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", admission, false),
  k("APIService", "apiservices", "apiregistration.k8s.io", false, true),
  k("FlowSchema", "flowschemas", flow, false, true),
  k("PriorityLevelConfiguration", "prioritylevelconfigurations", flow, false, true),
];

const byNatured = new Map(DENATURED_KINDS.map((d) => [`${d.group}/${d.resource}`, d]));
const byResource = new Map(DENATURED_KINDS.map((d) => [d.resource, d]));
const byKind = new Map(DENATURED_KINDS.map((d) => [d.kind, d]));

/** The entry whose natured form is `group/resource`, if that is forcibly denatured. */
export function denaturedOf(group: string, resource: string): DenaturedKind | undefined {
  return byNatured.get(`${group}/${resource}`);
}

/** The entry of denatured resource `group/resource` (undefined unless `group` is ours). */
export function naturedOf(group: string, resource: string): DenaturedKind | undefined {
  return group === DENATURED_GROUP ? byResource.get(resource) : undefined;
}

/** The entry of a denatured kind name (`RoleBinding`). */
export function denaturedKindNamed(kind: string): DenaturedKind | undefined {
  return byKind.get(kind);
}

/** `apiVersion` of the natured form of `d` at `version` (default its edge version). */
export function naturedApiVersion(d: DenaturedKind, version = d.version): string {
  return d.group ? `${d.group}/${version}` : version;
}

/** The group/version/resource of the natured form (for REST paths). */
export function naturedResource(
  d: DenaturedKind,
): { group: string; version: string; resource: string } {
  return { group: d.group, version: d.version, resource: d.resource };
}

/** The group/version/resource of the denatured form. */
export function denaturedResource(
  d: DenaturedKind,
): { group: string; version: string; resource: string } {
  return { group: DENATURED_GROUP, version: DENATURED_VERSION, resource: d.resource };
}
