/**
 * kcp's authorizer chain for one request in one logical cluster (kcp-spec §5.3, §5.6):
 *
 * 1. `system:masters` → allow; `/healthz`, `/readyz`, `/livez` → allow;
 * 2. required groups of the LogicalCluster (`authorization.kcp.io/required-groups`);
 * 3. workspace content access: the LogicalCluster must exist and be Initializing/Ready;
 *    service accounts only in their own cluster; users need `access` on `/`;
 * 4. maximal permission policy of the APIExport behind a bound resource, evaluated in the
 *    export's workspace for the user and groups prefixed `apis.kcp.io:binding:`;
 * 5. RBAC of the workspace plus `system:admin`'s roles and bindings.
 *
 * @module
 */
import type { ObjectStore } from "../store/object_store.ts";
import { authorize, type Decision, type RequestAttributes, type UserInfo } from "../auth/rbac.ts";
import { CLUSTER_NAME_EXTRA } from "../auth/service_account_token.ts";
import { LOGICAL_CLUSTER_NAME, R } from "./kcp_kinds.ts";
import type { RbacCache } from "./kcp_rbac.ts";
import type { BoundResourceIndex } from "./bound_resources.ts";

const ALWAYS_ALLOWED = ["/healthz", "/readyz", "/livez"];
const REQUIRED_GROUPS = "authorization.kcp.io/required-groups";
const BINDING_PREFIX = "apis.kcp.io:binding:";

function isServiceAccount(user: UserInfo): boolean {
  return user.name.startsWith("system:serviceaccount:");
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}

/** Decides the request the way kcp's authorizer chain would. */
export function authorizeKcpRequest(
  store: ObjectStore,
  rbac: RbacCache,
  bound: BoundResourceIndex,
  cluster: string,
  attrs: RequestAttributes,
): Decision {
  const user = attrs.user;
  if (user.groups.includes("system:masters")) return { allowed: true, reason: "system:masters" };
  if (!attrs.resourceRequest && ALWAYS_ALLOWED.includes(attrs.path ?? "")) {
    return { allowed: true };
  }
  if (cluster === "" || cluster === "*") return deny("");
  const lc = store.get({
    cluster,
    resource: R.logicalClusters,
    namespace: "",
    name: LOGICAL_CLUSTER_NAME,
  });
  const sa = isServiceAccount(user);
  const required = lc?.metadata?.annotations?.[REQUIRED_GROUPS];
  if (required && !sa && !user.groups.includes("system:kcp:admin")) {
    const ok = required.split(";").some((clause) =>
      clause.split(",").every((g) => g === "" || user.groups.includes(g))
    );
    if (!ok) return deny("user is not a member of the required groups");
  }
  if (!cluster.startsWith("system:") && !user.groups.includes("system:kcp:logical-cluster-admin")) {
    if (!lc) return deny("LogicalCluster not found");
    const phase = (lc.status as { phase?: string } | undefined)?.phase;
    if (phase !== "Initializing" && phase !== "Ready") return deny("LogicalCluster not ready");
    if (sa) {
      const home = user.extra?.[CLUSTER_NAME_EXTRA]?.[0];
      if (home !== cluster) return deny("foreign service account");
    } else {
      const access = authorize(
        { user, verb: "access", resourceRequest: false, path: "/" },
        rbac.objectsFor(cluster),
      );
      if (!access.allowed) return deny("no verb=access permission on /");
    }
  }
  if (attrs.resourceRequest) {
    const policy = maximalPermissionPolicy(store, rbac, bound, cluster, attrs);
    if (policy && !policy.allowed) return policy;
  }
  return authorize(attrs, rbac.objectsFor(cluster));
}

/** The policy decision for a bound resource, or undefined when no policy applies. */
function maximalPermissionPolicy(
  store: ObjectStore,
  rbac: RbacCache,
  bound: BoundResourceIndex,
  cluster: string,
  attrs: RequestAttributes,
): Decision | undefined {
  const group = attrs.apiGroup ?? "";
  const source = bound.exportsFor(cluster).find((e) =>
    e.group === group && e.resource === attrs.resource
  );
  if (!source) return undefined;
  const exp = store.get({
    cluster: source.exportCluster,
    resource: R.exports,
    namespace: "",
    name: source.exportName,
  });
  const local = (exp?.spec as { maximalPermissionPolicy?: { local?: unknown } } | undefined)
    ?.maximalPermissionPolicy?.local;
  if (!exp || local === undefined) return undefined;
  const prefixed: UserInfo = {
    name: BINDING_PREFIX + attrs.user.name,
    groups: attrs.user.groups.map((g) => BINDING_PREFIX + g),
  };
  const decision = authorize({ ...attrs, user: prefixed }, rbac.objectsFor(source.exportCluster));
  return decision.allowed
    ? decision
    : deny(`access denied by the maximal permission policy of APIExport ${source.exportName}`);
}
