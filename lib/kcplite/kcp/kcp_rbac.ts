/**
 * RBAC evaluation inside one logical cluster the kcp way (kcp-spec §5.3–§5.4): the
 * workspace's own Roles/ClusterRoles/bindings, plus the ClusterRoles and
 * ClusterRoleBindings of `system:admin` (standard and `system:kcp:*` roles, usable by
 * name from any workspace; its bindings apply everywhere).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore, StoreWatch } from "../store/object_store.ts";
import {
  authorize,
  type ClusterRoleLike,
  type Decision,
  type PolicyRule,
  type RbacObjects,
  type RequestAttributes,
  type Subject,
  type UserInfo,
} from "../auth/rbac.ts";
import { R, SYSTEM_ADMIN } from "./kcp_kinds.ts";

/** Groups that pass every kcp RBAC check (shard admin, and kcp-admin via `cluster-admin`). */
export const PRIVILEGED_GROUPS = ["system:masters", "system:kcp:admin"];

/** True for users in `system:masters` (kcp's shard admin). */
export function isSystemMaster(user: UserInfo): boolean {
  return user.groups.includes("system:masters");
}

/** True for users every kcp RBAC check lets through. */
export function isPrivileged(user: UserInfo): boolean {
  return user.groups.some((g) => PRIVILEGED_GROUPS.includes(g));
}

type Binding = {
  roleRef: { kind: string; name: string };
  subjects?: Subject[];
  metadata?: { name?: string };
};

/**
 * The RBAC objects of one cluster: its ClusterRoles and ClusterRoleBindings, and (unless
 * `clusterScopedOnly`) its Roles and RoleBindings.
 */
function ownRbacObjects(
  store: ObjectStore,
  cluster: string,
  clusterScopedOnly = false,
): RbacObjects {
  const list = (resource: string) => store.list({ cluster, resource }).items;
  const clusterRoles = new Map<string, ClusterRoleLike>();
  for (const r of list(R.clusterRoles)) {
    clusterRoles.set(r.metadata!.name!, r as unknown as ClusterRoleLike);
  }
  const clusterRoleBindings = list(R.clusterRoleBindings) as Binding[];
  const roles = new Map<string, { rules?: PolicyRule[] }>();
  if (clusterScopedOnly) return { clusterRoles, roles, clusterRoleBindings, roleBindings: [] };
  for (const r of list(R.roles)) {
    roles.set(`${r.metadata!.namespace}/${r.metadata!.name}`, r as { rules?: PolicyRule[] });
  }
  const roleBindings = list(R.roleBindings).map((b: KubeObject) => ({
    ...(b as Binding),
    namespace: b.metadata!.namespace ?? "",
  }));
  return { clusterRoles, roles, clusterRoleBindings, roleBindings };
}

/** `system:admin`'s cluster-wide RBAC objects with a cluster's own on top (sharing both). */
function withAdmin(admin: RbacObjects, own: RbacObjects): RbacObjects {
  return {
    clusterRoles: new Map([...admin.clusterRoles, ...own.clusterRoles]),
    roles: own.roles,
    clusterRoleBindings: [...admin.clusterRoleBindings, ...own.clusterRoleBindings],
    roleBindings: own.roleBindings,
  };
}

/** The RBAC objects visible in a cluster (its own plus `system:admin`'s cluster-wide ones). */
export function rbacObjectsFor(store: ObjectStore, cluster: string): RbacObjects {
  const own = ownRbacObjects(store, cluster);
  if (cluster === SYSTEM_ADMIN) return own;
  return withAdmin(ownRbacObjects(store, SYSTEM_ADMIN, true), own);
}

/** Decides a request against the cluster's RBAC; privileged groups always pass. */
export function authorizeInCluster(
  store: ObjectStore,
  cluster: string,
  attrs: RequestAttributes,
): Decision {
  if (isPrivileged(attrs.user)) return { allowed: true, reason: "privileged group" };
  return authorize(attrs, rbacObjectsFor(store, cluster));
}

/**
 * {@link rbacObjectsFor} per cluster, cached and dropped when an RBAC object of that
 * cluster (or of `system:admin`, which every cluster sees) changes. `system:admin`'s part
 * is read once and shared by every cluster's entry.
 */
export class RbacCache {
  readonly #store: ObjectStore;
  readonly #cache = new Map<string, RbacObjects>();
  #admin: RbacObjects | undefined;
  readonly #watches: StoreWatch[];

  constructor(store: ObjectStore) {
    this.#store = store;
    const drop = (cluster: string) => {
      if (cluster !== SYSTEM_ADMIN) return this.#cache.delete(cluster);
      this.#cache.clear();
      this.#admin = undefined;
    };
    this.#watches = [R.clusterRoles, R.clusterRoleBindings, R.roles, R.roleBindings].map((
      resource,
    ) => store.watch({ resource }, undefined, (ev) => drop(ev.key.cluster)));
  }

  /** The RBAC objects visible in the cluster. */
  objectsFor(cluster: string): RbacObjects {
    let objects = this.#cache.get(cluster);
    if (!objects) {
      const own = ownRbacObjects(this.#store, cluster);
      if (cluster === SYSTEM_ADMIN) objects = own;
      else {
        this.#admin ??= ownRbacObjects(this.#store, SYSTEM_ADMIN, true);
        objects = withAdmin(this.#admin, own);
      }
      this.#cache.set(cluster, objects);
    }
    return objects;
  }

  /** Stops following the store. */
  stop(): void {
    for (const w of this.#watches) w.stop();
    this.#cache.clear();
  }
}
