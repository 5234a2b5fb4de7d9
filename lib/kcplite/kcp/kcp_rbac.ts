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

/** The RBAC objects visible in a cluster (its own plus `system:admin`'s cluster-wide ones). */
export function rbacObjectsFor(store: ObjectStore, cluster: string): RbacObjects {
  const clusterRoles = new Map<string, ClusterRoleLike>();
  const list = (c: string, resource: string) => store.list({ cluster: c, resource }).items;
  const clusters = cluster === SYSTEM_ADMIN ? [SYSTEM_ADMIN] : [SYSTEM_ADMIN, cluster];
  const clusterRoleBindings: Binding[] = [];
  for (const c of clusters) {
    for (const r of list(c, R.clusterRoles)) {
      clusterRoles.set(r.metadata!.name!, r as unknown as ClusterRoleLike);
    }
    for (const b of list(c, R.clusterRoleBindings)) clusterRoleBindings.push(b as Binding);
  }
  const roles = new Map<string, { rules?: PolicyRule[] }>();
  for (const r of list(cluster, R.roles)) {
    roles.set(`${r.metadata!.namespace}/${r.metadata!.name}`, r as { rules?: PolicyRule[] });
  }
  const roleBindings = list(cluster, R.roleBindings).map((b: KubeObject) => ({
    ...(b as Binding),
    namespace: b.metadata!.namespace ?? "",
  }));
  return { clusterRoles, roles, clusterRoleBindings, roleBindings };
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
 * cluster (or of `system:admin`, which every cluster sees) changes.
 */
export class RbacCache {
  readonly #store: ObjectStore;
  readonly #cache = new Map<string, RbacObjects>();
  readonly #watches: StoreWatch[];

  constructor(store: ObjectStore) {
    this.#store = store;
    const drop = (cluster: string) => {
      if (cluster === SYSTEM_ADMIN) this.#cache.clear();
      else this.#cache.delete(cluster);
    };
    this.#watches = [R.clusterRoles, R.clusterRoleBindings, R.roles, R.roleBindings].map((
      resource,
    ) => store.watch({ resource }, undefined, (ev) => drop(ev.key.cluster)));
  }

  /** The RBAC objects visible in the cluster. */
  objectsFor(cluster: string): RbacObjects {
    let objects = this.#cache.get(cluster);
    if (!objects) {
      objects = rbacObjectsFor(this.#store, cluster);
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
