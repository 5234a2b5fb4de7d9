/**
 * May this user do this (kcp-spec §5.3–§5.4)? `system:masters` may do anything; in kcp mode
 * `system:kcp:admin` may do anything inside a logical cluster (not under `/clusters/*`);
 * everyone else is checked against RBAC: the Roles, ClusterRoles and bindings stored in the
 * target logical cluster, plus (kcp mode) those of `system:admin`, whose ClusterRoles and
 * ClusterRoleBindings apply in every workspace.
 *
 * The RBAC objects of a cluster are gathered from the store once per store resourceVersion.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import {
  authorize,
  type ClusterRoleLike,
  type Decision,
  type PolicyRule,
  type RbacObjects,
  type RequestAttributes,
  type Subject,
} from "../auth/rbac.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The cluster whose RBAC applies in every workspace in kcp mode. */
export const SYSTEM_ADMIN_CLUSTER = "system:admin";

/** Groups that bypass RBAC. */
const MASTERS = "system:masters";
const KCP_ADMINS = "system:kcp:admin";

/** The server's authorizer. */
export class Authorizer {
  #cache = new Map<string, { rv: number; rbac: RbacObjects }>();

  constructor(private readonly store: ObjectStore, private readonly mode: "kcp" | "kube") {}

  /**
   * Decides a request in `cluster` (undefined: the `/clusters/*` wildcard or a bare URL
   * without cluster, which only `system:masters` may use).
   */
  decide(cluster: string | undefined, attrs: RequestAttributes): Decision {
    const groups = attrs.user.groups;
    if (groups.includes(MASTERS)) return { allowed: true };
    if (cluster === undefined) return { allowed: false };
    if (this.mode === "kcp" && groups.includes(KCP_ADMINS)) return { allowed: true };
    const local = this.#rbacOf(cluster);
    if (authorize(attrs, local).allowed) return { allowed: true };
    if (this.mode === "kcp" && cluster !== SYSTEM_ADMIN_CLUSTER) {
      const sys = this.#rbacOf(SYSTEM_ADMIN_CLUSTER);
      const merged: RbacObjects = {
        clusterRoles: new Map([...sys.clusterRoles, ...local.clusterRoles]),
        roles: local.roles,
        clusterRoleBindings: [...sys.clusterRoleBindings, ...local.clusterRoleBindings],
        roleBindings: local.roleBindings,
      };
      return authorize(attrs, merged);
    }
    return { allowed: false };
  }

  #rbacOf(cluster: string): RbacObjects {
    const rv = this.store.currentResourceVersion();
    const cached = this.#cache.get(cluster);
    if (cached && cached.rv === rv) return cached.rbac;
    const list = (resource: string) =>
      this.store.list({ cluster, resource: `${RBAC_GROUP}/${resource}` }).items;
    const clusterRoles = new Map<string, ClusterRoleLike>();
    for (const o of list("clusterroles")) {
      clusterRoles.set(o.metadata?.name ?? "", o as ClusterRoleLike);
    }
    const roles = new Map<string, { rules?: PolicyRule[] }>();
    for (const o of list("roles")) {
      roles.set(`${o.metadata?.namespace}/${o.metadata?.name}`, o as { rules?: PolicyRule[] });
    }
    const binding = (o: KubeObject) => ({
      roleRef: (o.roleRef ?? { kind: "", name: "" }) as { kind: string; name: string },
      subjects: o.subjects as Subject[] | undefined,
      metadata: { name: o.metadata?.name },
      namespace: o.metadata?.namespace ?? "",
    });
    const rbac: RbacObjects = {
      clusterRoles,
      roles,
      clusterRoleBindings: list("clusterrolebindings").map(binding),
      roleBindings: list("rolebindings").map(binding),
    };
    this.#cache.set(cluster, { rv, rbac });
    return rbac;
  }
}
