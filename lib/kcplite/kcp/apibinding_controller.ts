/**
 * The APIBinding controller (kcp-spec §3.3–§3.5): resolves the referenced export, checks
 * its identity and schemas, detects naming conflicts with other bindings and local CRDs,
 * and moves the binding to `Bound` with `status.boundResources` (group, resource, schema
 * name/UID/identity, `storageVersions`) and `apiExportClusterName`; copies the export's
 * `extra.apis.kcp.io/` annotations. A deleted binding has the objects of its resources
 * in that workspace removed before its finalizer goes.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import {
  annotationsOf,
  F,
  getCondition,
  isDeleting,
  R,
  refText,
  setCondition,
} from "./kcp_kinds.ts";
import { exportReferenceOf } from "./apibinding_admission.ts";
import { BindingInputs } from "./apibinding_inputs.ts";
import { OwnWrites } from "./own_writes.ts";
import {
  type BoundResource,
  type BoundResourceIndex,
  boundResourcesOf,
} from "./bound_resources.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import { keyOf, type SystemWriter } from "./system_writer.ts";
import {
  extendController,
  joinKey,
  splitKey,
  startStoreController,
  type StoreController,
} from "./store_controller.ts";

/** What the controller needs. */
export interface ApiBindingControllerOptions {
  store: ObjectStore;
  dir: LogicalClusterDirectory;
  writer: SystemWriter;
  /** The Bound bindings per cluster (conflicts are checked against it, not by reading). */
  bound?: BoundResourceIndex;
  onError?(key: string, error: unknown): void;
}

/** The options plus what the controller keeps of its inputs. */
interface ReconcileContext extends ApiBindingControllerOptions {
  inputs: BindingInputs;
}

type Failure = { condition: string; reason: string; message: string };

/** The running controller, which can also reconcile one binding at once. */
export interface ApiBindingController extends StoreController {
  /**
   * Reconciles binding `name` of `cluster` now, inside the caller's store batch: the
   * workspace controller binds a new workspace's default bindings in the batch that
   * creates them (the writes and their events are the same as from the queue). True
   * when the binding has completed its initial binding.
   */
  bind(cluster: string, name: string): boolean;
}

/** Starts the controller. */
export function startApiBindingController(opts: ApiBindingControllerOptions): ApiBindingController {
  const { store } = opts;
  const inputs = new BindingInputs(store);
  const context: ReconcileContext = { ...opts, inputs };
  // The events of a binding's own status write do not reconcile it again.
  const own = new OwnWrites(store);
  const reconcileNow = (cluster: string, name: string) =>
    own.reconciled(joinKey(cluster, name), () => reconcile(context, cluster, name));
  const controller = startStoreController("apibindings", store, [
    {
      scope: { resource: R.bindings },
      keys: (k, change) => {
        const key = joinKey(k.cluster, k.name);
        inputs.bindingChanged(key, change);
        return own.isEcho(key, change) ? [] : [key];
      },
    },
    {
      scope: { resource: R.exports },
      keys: (k) => {
        inputs.exportChanged(k.cluster, k.name);
        return inputs.bindingsOf(k.name);
      },
    },
    {
      scope: { resource: R.crds },
      keys: (k, { type }) => {
        inputs.crdChanged(k.cluster, k.name, type === "DELETED");
        return [];
      },
    },
    {
      // A schema is used by the exports of its workspace that list it.
      scope: { resource: R.schemas },
      keys: (k) => {
        inputs.schemaChanged(k.cluster, k.name);
        return store.list({ cluster: k.cluster, resource: R.exports }).items
          .filter((e) =>
            ((e.spec as { latestResourceSchemas?: string[] } | undefined)?.latestResourceSchemas ??
              []).includes(k.name)
          )
          .flatMap((e) => inputs.bindingsOf(e.metadata!.name!));
      },
    },
  ], (key) => {
    const { cluster, name } = splitKey(key);
    reconcileNow(cluster, name);
    return Promise.resolve();
  }, { onError: opts.onError });
  return extendController(controller, { bind: reconcileNow });
}

/** Reconciles one binding; whether it has completed its initial binding. */
function reconcile(opts: ReconcileContext, cluster: string, name: string): boolean {
  const { store, dir, writer } = opts;
  const key = keyOf(cluster, R.bindings, name);
  const text = store.getJson(key);
  if (text === undefined) return false;
  // The status write below starts from this parse (and changes it).
  const b = JSON.parse(text) as KubeObject;
  const read = { text, object: b };
  if (isDeleting(b)) {
    for (const br of boundResourcesOf(b)) {
      // Bound objects are stored per export identity (`<group>/<plural>:<identity>`).
      const resource = `${br.group}/${br.resource}:${br.schema.identityHash}`;
      for (const o of store.list({ cluster, resource }).items) {
        writer.purge(keyOf(cluster, resource, o.metadata!.name!, o.metadata?.namespace ?? ""));
      }
    }
    writer.removeFinalizer(key, F.binding);
    return false;
  }
  const ref = exportReferenceOf(b);
  if (!ref) return false;
  const path = ref.path || dir.pathOf(cluster) || cluster;
  const exportCluster = dir.resolve(path);
  const exp = exportCluster === undefined
    ? undefined
    : opts.inputs.exportSummary(exportCluster, ref.name);
  if (!exp || exportCluster === undefined) {
    return fail(opts, key, read, {
      condition: "APIExportValid",
      reason: "APIExportNotFound",
      message: `APIExport ${path}|${ref.name} not found`,
    });
  }
  const identity = exp.identityHash;
  if (!identity) {
    return fail(opts, key, read, {
      condition: "APIExportValid",
      reason: "MissingIdentityHash",
      message: `APIExport ${path}|${ref.name} is missing status.identityHash`,
    });
  }
  const bound: BoundResource[] = [];
  for (const schemaName of exp.latestResourceSchemas) {
    const schema = opts.inputs.schemaSummary(exportCluster, schemaName);
    if (!schema) {
      return fail(opts, key, read, {
        condition: "InitialBindingCompleted",
        reason: "APIResourceSchemaInvalid",
        message: `APIResourceSchema ${refText(path, schemaName)} is missing or invalid`,
      });
    }
    bound.push({
      group: schema.group,
      resource: schema.plural,
      schema: { name: schemaName, UID: schema.uid, identityHash: identity },
      storageVersions: [schema.storage],
    });
  }
  const conflict = findConflict(opts, cluster, name, bound, identity);
  if (conflict) {
    return fail(opts, key, read, {
      condition: "InitialBindingCompleted",
      reason: "NamingConflicts",
      message: conflict,
    });
  }
  writer.mutate(key, (o) => {
    const ann = annotationsOf(o);
    for (const [k, v] of exp.extraAnnotations) ann[k] = v;
    const status = (o.status ??= {}) as Record<string, unknown>;
    status.apiExportClusterName = exportCluster;
    status.boundResources = bound;
    status.phase = "Bound";
    setCondition(o, { type: "APIExportValid", status: "True" });
    setCondition(o, { type: "InitialBindingCompleted", status: "True" });
    setCondition(o, { type: "BindingUpToDate", status: "True" });
    setCondition(o, { type: "PermissionClaimsValid", status: "True" });
    setCondition(o, { type: "PermissionClaimsApplied", status: "True" });
    setCondition(o, { type: "Ready", status: "True" });
  }, read);
  return true;
}

function findConflict(
  opts: ReconcileContext,
  cluster: string,
  name: string,
  bound: BoundResource[],
  identity: string,
): string | undefined {
  const { store, dir } = opts;
  const others: [string, { group: string; resource: string; identity: string }[]][] = opts.bound
    ? [...opts.bound.bindingsIn(cluster)].map(([n, use]) => [n, use.resources])
    : store.list({ cluster, resource: R.bindings }).items.map((b) => [
      b.metadata!.name!,
      boundResourcesOf(b).map((br) => ({ ...br, identity: br.schema.identityHash })),
    ]);
  for (const [otherName, resources] of others) {
    if (otherName === name) continue;
    for (const br of resources) {
      if (br.identity === identity) continue;
      const clash = bound.find((x) => x.group === br.group && x.resource === br.resource);
      if (!clash) continue;
      const other = store.get(keyOf(cluster, R.bindings, otherName));
      const ref = exportReferenceOf(other ?? {});
      const where = ref?.path
        ? `APIExport ${ref.path}:${ref.name}`
        : `local APIExport "${ref?.name}"`;
      return `Unable to bind APIs: naming conflict with APIBinding "${otherName}" bound to ${where}, spec.names.plural=${br.resource} is forbidden`;
    }
  }
  if (!opts.inputs.hasCrds(cluster)) return undefined;
  for (const crd of store.list({ cluster, resource: R.crds }).items) {
    const spec = (crd.spec ?? {}) as { group?: string; names?: { plural?: string } };
    const clash = bound.find((x) => x.group === spec.group && x.resource === spec.names?.plural);
    if (clash) {
      return `cannot create CustomResourceDefinition with "${clash.group}" group and "${clash.resource}" resource because it overlaps with "${crd.metadata?.name}" CustomResourceDefinition in "${
        dir.pathOf(cluster) ?? cluster
      }" logical cluster`;
    }
  }
  return undefined;
}

/** Records why the binding cannot bind; whether it had completed its initial binding. */
function fail(
  opts: ApiBindingControllerOptions,
  key: ReturnType<typeof keyOf>,
  read: { text: string; object: KubeObject },
  f: Failure,
): boolean {
  let bound = false;
  opts.writer.mutate(key, (o) => {
    const status = (o.status ??= {}) as Record<string, unknown>;
    const wasBound = getCondition(o, "InitialBindingCompleted")?.status === "True";
    bound = wasBound;
    if (!wasBound) status.phase = "Binding";
    if (f.condition === "APIExportValid") {
      setCondition(o, {
        type: "APIExportValid",
        status: "False",
        reason: f.reason,
        message: f.message,
      });
      if (!wasBound) {
        setCondition(o, {
          type: "InitialBindingCompleted",
          status: "False",
          reason: "WaitingForEstablished",
          message: "Waiting for API(s) to be established",
        });
      }
    } else {
      setCondition(o, { type: "APIExportValid", status: "True" });
      if (!wasBound) {
        setCondition(o, {
          type: "InitialBindingCompleted",
          status: "False",
          reason: f.reason,
          message: f.message,
        });
      }
      setCondition(o, {
        type: "BindingUpToDate",
        status: "False",
        reason: f.reason,
        message: f.message,
      });
    }
    setCondition(o, {
      type: "Ready",
      status: getCondition(o, "InitialBindingCompleted")?.status === "True" ? "True" : "False",
      reason: f.reason,
      message: f.message,
    });
  }, read);
  return bound;
}
