/**
 * The workspace lifecycle (kcp-spec §2.4–§2.6, §2.9): a new Workspace is scheduled (a
 * logical cluster id, `spec.cluster`, `spec.URL`, the LogicalCluster `cluster` in the new
 * cluster), initialized (namespace `default`, the `workspace-admin` binding for its
 * creator, the type's default APIBindings until they are bound) and made Ready. A
 * deleted Workspace goes through kcp's deletion: phase `Deleting`, its LogicalCluster
 * deleted and emptied ({@link ./logical_cluster_deletion.ts}), then the Workspace itself.
 *
 * kcp takes a new workspace through these steps in several controllers, each reacting to
 * the previous one's write. kcp-lite makes the same writes, in the same order, in one
 * reconcile when nothing has to wait (the default bindings are bound there too, through
 * the APIBinding controller's own reconcile): one store batch, so one commit, and the
 * objects just written are not read back through the store's events. The initializers
 * still leave the LogicalCluster in writes of their own, `system:apibindings` last, as in
 * kcp.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import {
  A,
  annotationsOf,
  F,
  finalizersOf,
  getCondition,
  isDeleting,
  labelsOf,
  R,
  setCondition,
} from "./kcp_kinds.ts";
import { base36Sha224, newLogicalClusterId } from "./hashes.ts";
import type { BoundResourceIndex } from "./bound_resources.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import { keyOf, logicalClusterKey as lcKey, type SystemWriter } from "./system_writer.ts";
import {
  joinKey,
  splitKey,
  startStoreController,
  type StoreController,
  type WatchedChange,
} from "./store_controller.ts";
import { OwnWrites } from "./own_writes.ts";
import { initialize } from "./workspace_initialization.ts";
import { type TypeRef, typeText, type WorkspaceTypes } from "./workspace_types.ts";

/** What the controller needs. */
export interface WorkspaceControllerOptions {
  store: ObjectStore;
  dir: LogicalClusterDirectory;
  types: WorkspaceTypes;
  writer: SystemWriter;
  /** The Bound bindings per cluster (initialization checks them without reading). */
  bound?: BoundResourceIndex;
  /**
   * Reconciles an APIBinding at once (the APIBinding controller's reconcile); whether it
   * has completed its initial binding.
   */
  bind?(cluster: string, name: string): boolean;
  /** The server's external URL (`https://127.0.0.1:6443`). */
  serverUrl(): string;
  onError?(key: string, error: unknown): void;
}

interface WorkspaceSpec {
  type?: TypeRef;
  cluster?: string;
  URL?: string;
}

function wsSpec(ws: KubeObject): WorkspaceSpec {
  return (ws.spec ?? {}) as WorkspaceSpec;
}

/** Starts the workspace controller. */
export function startWorkspaceController(opts: WorkspaceControllerOptions): StoreController {
  const { store } = opts;
  // The owning Workspace of each logical cluster, from the LogicalCluster events (listed
  // first), so that a binding event does not read its LogicalCluster.
  const owners = new Map<string, string>();
  const ownerOf = (lc: KubeObject): string[] => {
    const owner = (lc.spec as { owner?: { cluster?: string; name?: string } } | undefined)
      ?.owner;
    return owner?.cluster && owner.name ? [joinKey(owner.cluster, owner.name)] : [];
  };
  const ownerKey = (cluster: string): string[] => {
    const known = owners.get(cluster);
    if (known !== undefined) return [known];
    const lc = store.get(lcKey(cluster));
    return lc ? ownerOf(lc) : [];
  };
  // Binding events matter to a workspace only while its cluster initializes (its default
  // bindings); later ones (say, a mailbox's edge binding) do not reconcile it.
  const initializing = new Set<string>();
  // The events of a reconcile's own batch (its workspace, LogicalCluster and bindings) do
  // not reconcile the workspace again.
  const own = new OwnWrites(store);
  const notOwn = (keys: string[], change: WatchedChange) =>
    keys.filter((key) => !own.isEcho(key, change));
  return startStoreController("workspaces", store, [
    {
      scope: { resource: R.workspaces },
      keys: (k, change) => notOwn([joinKey(k.cluster, k.name)], change),
    },
    {
      scope: { resource: R.logicalClusters },
      keys: (k, change) => {
        const { object: obj, type } = change;
        const keys = ownerOf(obj);
        if (type === "DELETED" || keys.length === 0) owners.delete(k.cluster);
        else owners.set(k.cluster, keys[0]);
        const phase = (obj.status as { phase?: string } | undefined)?.phase;
        if (type !== "DELETED" && phase === "Initializing") initializing.add(k.cluster);
        else initializing.delete(k.cluster);
        return notOwn(keys, change);
      },
    },
    {
      scope: { resource: R.bindings },
      keys: (k, change) => initializing.has(k.cluster) ? notOwn(ownerKey(k.cluster), change) : [],
    },
  ], (key) => {
    const { cluster, name } = splitKey(key);
    own.reconciled(key, () => reconcile(opts, cluster, name));
    return Promise.resolve();
  }, { onError: opts.onError });
}

function reconcile(opts: WorkspaceControllerOptions, parent: string, name: string): void {
  const key = keyOf(parent, R.workspaces, name);
  let ws = opts.store.get(key);
  if (!ws) return;
  if (isDeleting(ws)) return deleteWorkspace(opts, parent, ws);
  let id = wsSpec(ws).cluster;
  let lc = id ? opts.store.get(lcKey(id)) : undefined;
  if (!id || !lc) {
    id = schedule(opts, parent, ws);
    // Scheduled: initialization goes on from what was just written.
    ws = id === undefined ? undefined : opts.store.get(key);
    lc = id === undefined ? undefined : opts.store.get(lcKey(id));
    if (!id || !ws || !lc) return;
  }
  let phase = (lc.status as { phase?: string } | undefined)?.phase;
  if (phase === "Initializing") phase = initialize(opts, id, lc);
  if (phase === "Ready" && !isMarkedReady(ws)) markReady(opts, parent, name);
  refreshUrls(opts, parent, ws, lc);
}

/** Schedules the workspace; the id of its logical cluster, undefined when it cannot be. */
function schedule(
  opts: WorkspaceControllerOptions,
  parent: string,
  ws: KubeObject,
): string | undefined {
  const { writer, types, dir } = opts;
  const name = ws.metadata!.name!;
  const spec = wsSpec(ws);
  const id = spec.cluster ?? ws.metadata?.annotations?.[A.wsCluster] ?? newLogicalClusterId();
  const type = spec.type ? types.resolve(spec.type, parent) : undefined;
  if (!type) {
    writer.mutate(keyOf(parent, R.workspaces, name), (o) => {
      setCondition(o, {
        type: "WorkspaceScheduled",
        status: "False",
        reason: "WorkspaceTypeNotFound",
        message: `workspace type "${spec.type ? typeText(spec.type) : ""}" cannot be resolved`,
      });
    });
    return undefined;
  }
  const url = `${opts.serverUrl()}/clusters/${id}`;
  const initializers = types.initializers(type);
  const owner = ws.metadata?.annotations?.[A.owner];
  // A LogicalCluster left by an earlier attempt stays as it is.
  writer.ensure(lcKey(id), {
    metadata: {
      annotations: {
        [A.path]: dir.childPath(parent, name),
        [A.type]: typeText(type),
        ...(owner ? { [A.owner]: owner } : {}),
      },
      labels: { [A.phaseLabel]: "Initializing" },
      finalizers: [F.logicalCluster],
    },
    spec: {
      owner: {
        apiVersion: "tenancy.kcp.io/v1alpha1",
        resource: "workspaces",
        name,
        cluster: parent,
        uid: ws.metadata?.uid,
      },
      initializers,
    },
    status: { phase: "Initializing", URL: url, initializers },
  });
  writer.mutate(keyOf(parent, R.workspaces, name), (o) => {
    const ann = annotationsOf(o);
    ann[A.wsCluster] = id;
    ann[A.wsShard] = base36Sha224("root").slice(0, 8);
    if (!finalizersOf(o).includes(F.workspace)) {
      o.metadata!.finalizers = [...finalizersOf(o), F.workspace];
    }
    o.spec = { ...(o.spec as object ?? {}), cluster: id, URL: url };
    const status = (o.status ??= {}) as Record<string, unknown>;
    status.phase = "Initializing";
    status.initializers = initializers;
    labelsOf(o)[A.phaseLabel] = "Initializing";
    setCondition(o, { type: "WorkspaceScheduled", status: "True" });
  });
  return id;
}

/** Keeps `spec.URL` and the LogicalCluster's `status.URL` on the current server URL. */
function refreshUrls(
  opts: WorkspaceControllerOptions,
  parent: string,
  ws: KubeObject,
  lc: KubeObject,
): void {
  const id = wsSpec(ws).cluster!;
  const url = `${opts.serverUrl()}/clusters/${id}`;
  if (wsSpec(ws).URL !== url) {
    opts.writer.mutate(keyOf(parent, R.workspaces, ws.metadata!.name!), (o) => {
      const spec = o.spec as WorkspaceSpec | undefined;
      if (!spec?.cluster || spec.URL === url) return false;
      spec.URL = url;
    });
  }
  if ((lc.status as { URL?: string } | undefined)?.URL !== url) {
    opts.writer.mutate(lcKey(id), (o) => {
      const status = (o.status ??= {}) as { URL?: string };
      if (status.URL === url) return false;
      status.URL = url;
    });
  }
}

/** True when the Workspace already shows everything {@link markReady} writes. */
function isMarkedReady(ws: KubeObject): boolean {
  const status = ws.status as { phase?: string; initializers?: unknown[] } | undefined;
  const owner = ws.metadata?.annotations?.[A.owner];
  return status?.phase === "Ready" && (status.initializers ?? []).length === 0 &&
    ws.metadata?.labels?.[A.phaseLabel] === "Ready" &&
    getCondition(ws, "WorkspaceScheduled")?.status === "True" &&
    getCondition(ws, "WorkspaceInitialized")?.status === "True" &&
    (owner === undefined || /^\{"username":[^,]*\}$/.test(owner));
}

function markReady(opts: WorkspaceControllerOptions, parent: string, name: string): void {
  opts.writer.mutate(keyOf(parent, R.workspaces, name), (o) => {
    const status = (o.status ??= {}) as Record<string, unknown>;
    status.phase = "Ready";
    status.initializers = [];
    labelsOf(o)[A.phaseLabel] = "Ready";
    setCondition(o, { type: "WorkspaceScheduled", status: "True" });
    setCondition(o, { type: "WorkspaceInitialized", status: "True" });
    const owner = o.metadata?.annotations?.[A.owner];
    if (owner) {
      try {
        const u = JSON.parse(owner) as { username?: string };
        annotationsOf(o)[A.owner] = JSON.stringify({ username: u.username });
      } catch { /* leave it */ }
    }
  });
}

/**
 * A deleted Workspace (kcp's deletion, phase and metadata reconcilers): its phase label
 * becomes `Deleting`; once `core.kcp.io/logicalcluster` is its only finalizer, its
 * LogicalCluster is deleted (the logical cluster deletion controller empties the cluster)
 * and the LogicalCluster's `WorkspaceContentDeleted` condition is shown on the Workspace;
 * when the LogicalCluster is gone, the finalizer goes and the Workspace with it.
 */
function deleteWorkspace(opts: WorkspaceControllerOptions, parent: string, ws: KubeObject): void {
  const key = keyOf(parent, R.workspaces, ws.metadata!.name!);
  opts.writer.mutate(key, (o) => {
    labelsOf(o)[A.phaseLabel] = "Deleting";
  });
  const finalizers = finalizersOf(ws);
  if (!finalizers.includes(F.workspace) || finalizers.length > 1) return;
  const id = wsSpec(ws).cluster ?? ws.metadata?.annotations?.[A.wsCluster];
  const lc = id ? opts.store.get(lcKey(id)) : undefined;
  if (!id || !lc) {
    opts.writer.mutate(key, (o) => {
      if (id) setCondition(o, { type: "WorkspaceContentDeleted", status: "True" });
    });
    opts.writer.removeFinalizer(key, F.workspace);
    return;
  }
  if (!isDeleting(lc)) opts.writer.remove(lcKey(id));
  const content = getCondition(lc, "WorkspaceContentDeleted");
  if (content) opts.writer.mutate(key, (o) => setCondition(o, content));
}
