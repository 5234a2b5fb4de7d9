/**
 * kcp's logical cluster deletion (`pkg/reconciler/core/logicalclusterdeletion` in v0.11):
 * once a LogicalCluster is marked for deletion, the content of its cluster is deleted the
 * way the API deletes it — every cluster-scoped object except LogicalClusters,
 * ClusterRoles and ClusterRoleBindings: namespaces turn Terminating and are emptied, child
 * workspaces go through their own deletion, objects with finalizers are marked and waited
 * for. While anything remains, the LogicalCluster's `WorkspaceContentDeleted` condition is
 * False with reason `SomeResourcesRemain` and kcp's message; the pass is retried. Once the
 * cluster is empty its ClusterRoles and ClusterRoleBindings go, the owning Workspace loses
 * its `core.kcp.io/logicalcluster` finalizer, and the LogicalCluster loses
 * `core.kcp.io/logicalcluster-deletion` — and with it, itself.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceRegistry } from "../api/resource_def.ts";
import { emptyNamespace } from "../server/namespace_lifecycle.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { F, finalizersOf, isDeleting, nowTimestamp, R, setCondition } from "./kcp_kinds.ts";
import { keyOf, logicalClusterKey as lcKey, type SystemWriter } from "./system_writer.ts";
import {
  extendController,
  startStoreController,
  type StoreController,
} from "./store_controller.ts";

/** What the controller needs. */
export interface LogicalClusterDeletionOptions {
  store: ObjectStore;
  writer: SystemWriter;
  /** The resources served in a cluster. */
  resources(cluster: string): ResourceRegistry;
  /**
   * Delay before a pass is retried while content remains (default 250 ms); it doubles, up to
   * 5 s, while a pass makes no progress (kcp waits 8.5 s for finalizers).
   */
  retryMs?: number;
  onError?(key: string, error: unknown): void;
}

/** Cluster-scoped resources the content deletion leaves alone (kcp's filter). */
const KEPT = new Set<string>([R.logicalClusters, R.clusterRoles, R.clusterRoleBindings]);
const CRDS = R.crds;

/** `<plural>.<group>` as kcp's messages name a resource. */
function resourceName(storageResource: string): string {
  const [group, plural] = storageResource.split("/");
  return `${plural}.${group}`;
}

/** Starts the controller. */
export function startLogicalClusterDeletion(
  opts: LogicalClusterDeletionOptions,
): StoreController {
  const deleting = new Set<string>();
  const retries = new Map<string, ReturnType<typeof setTimeout>>();
  const backoff = new Map<string, { delay: number; remaining: number }>();
  const base = opts.retryMs ?? 250;
  const ifDeleting = (k: { cluster: string }) => deleting.has(k.cluster) ? [k.cluster] : [];
  const started: { controller?: StoreController } = {};
  const retry = (cluster: string, remaining: number) => {
    const last = backoff.get(cluster);
    const delay = !last || remaining < last.remaining ? base : Math.min(last.delay * 2, 5_000);
    backoff.set(cluster, { delay, remaining });
    if (retries.has(cluster)) return;
    retries.set(
      cluster,
      setTimeout(() => {
        retries.delete(cluster);
        started.controller?.enqueue(cluster);
      }, delay),
    );
  };
  const controller = startStoreController("logicalclusterdeletion", opts.store, [
    {
      scope: { resource: R.logicalClusters },
      keys: (k, change) => {
        if (change.type !== "DELETED" && isDeleting(change.object)) deleting.add(k.cluster);
        return deleting.has(k.cluster) ? [k.cluster] : [];
      },
    },
    // Content going away lets a waiting pass go on at once.
    { scope: { resource: R.namespaces }, keys: ifDeleting },
    { scope: { resource: R.workspaces }, keys: ifDeleting },
    { scope: { resource: R.bindings }, keys: ifDeleting },
  ], (cluster) => {
    const lc = opts.store.get(lcKey(cluster));
    if (!lc || !isDeleting(lc)) {
      deleting.delete(cluster);
      backoff.delete(cluster);
      return Promise.resolve();
    }
    if (!finalizersOf(lc).includes(F.logicalCluster)) return Promise.resolve();
    const remaining = deleteContent(opts, cluster);
    if (remaining > 0) {
      retry(cluster, remaining);
      return Promise.resolve();
    }
    backoff.delete(cluster);
    finalize(opts, cluster, lc);
    return Promise.resolve();
  }, { onError: opts.onError });
  started.controller = controller;
  return extendController(controller, {
    stop() {
      for (const t of retries.values()) clearTimeout(t);
      retries.clear();
      controller.stop();
    },
  });
}

/** One deletion pass over the cluster's content; how many objects are left. */
function deleteContent(opts: LogicalClusterDeletionOptions, cluster: string): number {
  const { store, writer } = opts;
  const registry = opts.resources(cluster);
  const remaining = new Map<string, number>();
  const byFinalizer = new Map<string, number>();
  const seen = new Set<string>();
  for (const def of registry.all()) {
    const resource = def.storageResource;
    if (def.namespaced || KEPT.has(resource) || seen.has(resource)) continue;
    seen.add(resource);
    for (const obj of store.list({ cluster, resource }).items) {
      const key = keyOf(cluster, resource, obj.metadata!.name!);
      if (resource === R.namespaces) {
        terminateNamespace(store, key, obj);
        emptyNamespace(store, registry, cluster, key.name);
      } else {
        if (resource === CRDS) removeCustomResources(opts, cluster, obj);
        writer.remove(key);
      }
    }
    const left = store.list({ cluster, resource }).items;
    if (left.length === 0) continue;
    remaining.set(resource, left.length);
    for (const o of left) {
      for (const f of finalizersOf(o)) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
    }
  }
  if (remaining.size === 0) return 0;
  const parts = [
    `Some resources are remaining: ${
      [...remaining].map(([r, n]) => `${resourceName(r)} has ${n} resource instances`).sort()
        .join(", ")
    }`,
  ];
  if (byFinalizer.size > 0) {
    parts.push(
      "Some content in the logical cluster has finalizers remaining: " +
        [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort().join(", "),
    );
  }
  writer.mutate(lcKey(cluster), (o) => {
    setCondition(o, {
      type: "WorkspaceContentDeleted",
      status: "False",
      reason: "SomeResourcesRemain",
      severity: "Info",
      message: parts.join("; "),
    });
  });
  return [...remaining.values()].reduce((a, b) => a + b, 0);
}

/**
 * Marks a namespace Terminating, as a DELETE of it does (written directly: the namespace
 * has no finalizers in its metadata, and a system write would remove it at once).
 */
function terminateNamespace(
  store: ObjectStore,
  key: ReturnType<typeof keyOf>,
  ns: KubeObject,
): void {
  if (isDeleting(ns)) return;
  const marked = structuredClone(ns);
  marked.metadata!.deletionTimestamp = nowTimestamp();
  marked.metadata!.deletionGracePeriodSeconds = 0;
  marked.status = { ...(marked.status as object | undefined), phase: "Terminating" };
  store.update(key, marked, { expectedResourceVersion: ns.metadata?.resourceVersion });
}

/** The objects of a CRD's resource in the cluster go with it (its cleanup finalizer). */
function removeCustomResources(
  opts: LogicalClusterDeletionOptions,
  cluster: string,
  crd: KubeObject,
): void {
  const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
  if (!spec?.group || !spec.names?.plural) return;
  const resource = `${spec.group}/${spec.names.plural}`;
  for (const o of opts.store.list({ cluster, resource }).items) {
    opts.writer.purge(keyOf(cluster, resource, o.metadata!.name!, o.metadata?.namespace ?? ""));
  }
}

/** The cluster is empty: RBAC goes, then the owner's finalizer, then the LogicalCluster. */
function finalize(opts: LogicalClusterDeletionOptions, cluster: string, lc: KubeObject): void {
  const { store, writer } = opts;
  // ClusterRoles and bindings, and anything a controller left behind in a namespace that
  // is gone (so no row of the cluster outlives it).
  const resources = new Set(opts.resources(cluster).all().map((d) => d.storageResource));
  for (const r of Object.values(R)) resources.add(r);
  resources.delete(R.logicalClusters);
  for (const resource of resources) {
    for (const o of store.list({ cluster, resource }).items) {
      writer.purge(keyOf(cluster, resource, o.metadata!.name!, o.metadata?.namespace ?? ""));
    }
  }
  const owner = (lc.spec as { owner?: { cluster?: string; name?: string; uid?: string } })
    ?.owner;
  if (owner?.cluster && owner.name) {
    const ownerKey = keyOf(owner.cluster, R.workspaces, owner.name);
    const ws = store.get(ownerKey);
    if (ws && (!owner.uid || ws.metadata?.uid === owner.uid)) {
      writer.removeFinalizer(ownerKey, F.workspace);
    }
  }
  writer.removeFinalizer(lcKey(cluster), F.logicalCluster);
}
