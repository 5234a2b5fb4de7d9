/**
 * Kubernetes RBAC evaluation (kcp-spec §5.3–§5.7): does some binding visible to the request
 * grant a rule that covers it?
 *
 * - ClusterRoleBindings grant everywhere; RoleBindings grant only in their own namespace and
 *   may reference a Role (same namespace) or a ClusterRole.
 * - Rules: `*` for verbs, API groups and resources; `resource/subresource` and `*\/sub`;
 *   `resourceNames` restrict by object name; `nonResourceURLs` match exactly or by a prefix
 *   ending in `*`.
 * - Subjects: `User` by name, `Group` by membership, `ServiceAccount` as the user
 *   `system:serviceaccount:<ns>:<name>` (a RoleBinding's namespace is the default).
 * - ClusterRoles with an `aggregationRule` also hold the rules of the ClusterRoles their
 *   selectors pick (as the aggregation controller would have written them).
 *
 * @example
 * ```ts
 * const decision = authorize(
 *   { user: { name: "alice", groups: [] }, verb: "get", resourceRequest: true,
 *     apiGroup: "", resource: "pods", namespace: "default" },
 *   rbac,
 * );
 * if (!decision.allowed) throw forbiddenMessage(attrs, decision.reason);
 * ```
 *
 * @module
 */
import {
  type LabelSelector,
  labelSelectorFromObject,
  SelectorError,
} from "../../kube/label_selector.ts";

/** The authenticated user. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What a request wants to do. */
export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  path?: string;
}

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A binding subject. */
export interface Subject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** A ClusterRole as far as evaluation needs it. */
export interface ClusterRoleLike {
  rules?: PolicyRule[];
  aggregationRule?: unknown;
  metadata?: { labels?: Record<string, string> };
}

/** The RBAC objects visible for one request (gathered by the caller). */
export interface RbacObjects {
  clusterRoles: Map<string, ClusterRoleLike>;
  /** Keyed `namespace/name`. */
  roles: Map<string, { rules?: PolicyRule[] }>;
  clusterRoleBindings: {
    roleRef: { kind: string; name: string };
    subjects?: Subject[];
    metadata?: { name?: string };
  }[];
  roleBindings: {
    namespace: string;
    roleRef: { kind: string; name: string };
    subjects?: Subject[];
    metadata?: { name?: string };
  }[];
}

/** The outcome. */
export interface Decision {
  allowed: boolean;
  reason?: string;
}

/** The user name of a service account. */
export function serviceAccountUserName(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** True when the subject names the user (`bindingNamespace` defaults ServiceAccount subjects). */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace = ""): boolean {
  switch (subject.kind) {
    case "User":
      return subject.name === user.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace || bindingNamespace;
      return ns !== "" && serviceAccountUserName(ns, subject.name) === user.name;
    }
    default:
      return false;
  }
}

function listMatches(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((x) => x === "*" || x === value);
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) =>
    r === "*" || r === combined || (subresource !== "" && r === `*/${subresource}`)
  );
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) =>
    u === "*" || u === path || (u.endsWith("*") && path.startsWith(u.slice(0, -1)))
  );
}

/** True when the rule covers the request. */
export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (!listMatches(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceUrlMatches(rule, attrs.path ?? "");
  if (!listMatches(rule.apiGroups, attrs.apiGroup ?? "")) return false;
  if (!resourceMatches(rule, attrs.resource ?? "", attrs.subresource ?? "")) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attrs.name ?? "");
}

/** Selectors of an `aggregationRule`, ignoring anything malformed. */
function aggregationSelectors(rule: unknown): LabelSelector[] {
  if (typeof rule !== "object" || rule === null) return [];
  const sels = (rule as { clusterRoleSelectors?: unknown }).clusterRoleSelectors;
  return Array.isArray(sels) ? sels as LabelSelector[] : [];
}

/** The rules of a ClusterRole, including those it aggregates (transitively). */
export function clusterRoleRules(
  name: string,
  clusterRoles: Map<string, ClusterRoleLike>,
  seen: Set<string> = new Set(),
): PolicyRule[] {
  const role = clusterRoles.get(name);
  if (!role || seen.has(name)) return [];
  seen.add(name);
  const rules = [...(role.rules ?? [])];
  for (const sel of aggregationSelectors(role.aggregationRule)) {
    let selector;
    try {
      selector = labelSelectorFromObject(sel);
    } catch (e) {
      if (e instanceof SelectorError) continue;
      throw e;
    }
    for (const [other, r] of clusterRoles) {
      if (other !== name && selector.matches(r.metadata?.labels)) {
        rules.push(...clusterRoleRules(other, clusterRoles, seen));
      }
    }
  }
  return rules;
}

function describeSubject(s: Subject): string {
  return s.kind === "ServiceAccount"
    ? `ServiceAccount "${s.name}/${s.namespace ?? ""}"`
    : `${s.kind} "${s.name}"`;
}

/** Decides a request against the RBAC objects. Denials carry no reason (RBAC has no opinion). */
export function authorize(attrs: RequestAttributes, rbac: RbacObjects): Decision {
  for (const b of rbac.clusterRoleBindings) {
    if (b.roleRef.kind !== "ClusterRole") continue;
    const subject = (b.subjects ?? []).find((s) => subjectMatches(s, attrs.user));
    if (!subject) continue;
    if (clusterRoleRules(b.roleRef.name, rbac.clusterRoles).some((r) => ruleAllows(attrs, r))) {
      return {
        allowed: true,
        reason: `RBAC: allowed by ClusterRoleBinding "${
          b.metadata?.name ?? ""
        }" of ClusterRole "${b.roleRef.name}" to ${describeSubject(subject)}`,
      };
    }
  }
  const ns = attrs.namespace ?? "";
  if (ns === "") return { allowed: false };
  for (const b of rbac.roleBindings) {
    if (b.namespace !== ns) continue;
    const subject = (b.subjects ?? []).find((s) => subjectMatches(s, attrs.user, b.namespace));
    if (!subject) continue;
    let rules: PolicyRule[];
    if (b.roleRef.kind === "ClusterRole") {
      rules = clusterRoleRules(b.roleRef.name, rbac.clusterRoles);
    } else if (b.roleRef.kind === "Role") {
      rules = rbac.roles.get(`${b.namespace}/${b.roleRef.name}`)?.rules ?? [];
    } else {
      continue;
    }
    if (rules.some((r) => ruleAllows(attrs, r))) {
      return {
        allowed: true,
        reason: `RBAC: allowed by RoleBinding "${
          b.metadata?.name ?? ""
        }/${ns}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject)}`,
      };
    }
  }
  return { allowed: false };
}

/**
 * The Kubernetes 403 message for a denied request, e.g.
 * `pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the
 * namespace "default"`, or `forbidden: User "alice" cannot get path "/metrics"`;
 * `: <reason>` is appended when a reason is given.
 */
export function forbiddenMessage(attrs: RequestAttributes, reason?: string): string {
  const user = attrs.user.name;
  let err: string;
  let prefix: string;
  if (!attrs.resourceRequest) {
    err = `User "${user}" cannot ${attrs.verb} path "${attrs.path ?? ""}"`;
    prefix = "forbidden";
  } else {
    const resource = attrs.resource ?? "";
    const group = attrs.apiGroup ?? "";
    const full = attrs.subresource ? `${resource}/${attrs.subresource}` : resource;
    err = `User "${user}" cannot ${attrs.verb} resource "${full}" in API group "${group}" ` +
      (attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope");
    const qualified = group ? `${resource}.${group}` : resource;
    if (qualified === "") prefix = "forbidden";
    else if (attrs.name) prefix = `${qualified} "${attrs.name}" is forbidden`;
    else prefix = `${qualified} is forbidden`;
  }
  return `${prefix}: ${err}${reason ? `: ${reason}` : ""}`;
}
