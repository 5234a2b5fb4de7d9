/**
 * Idempotent bootstrap of kcp mode (kcp-spec §2.7, §2.8, §5.4): the `root` logical cluster
 * (LogicalCluster, namespaces, WorkspaceTypes, Shard, default exports and their schemas,
 * root's own bindings, RBAC), the standard ClusterRoles of `system:admin`, then the
 * `root:compute` workspace with the `kubernetes` export (deployments, services, pods,
 * ingresses) once the workspace controller made it Ready. Existing objects are left alone,
 * so a restart on a durable store changes nothing.
 *
 * @module
 */
import type { ResourceDef } from "../api/resource_def.ts";
import type { ListScope, ObjectStore } from "../store/object_store.ts";
import { A, LOGICAL_CLUSTER_NAME, R, ROOT, SYSTEM_ADMIN } from "./kcp_kinds.ts";
import {
  computeRbac,
  ROOT_EXPORTS_WITH_POLICY,
  rootRbac,
  rootWorkspaceTypes,
  type SeedObject,
  systemAdminRbac,
} from "./bootstrap_content.ts";
import { resourceDefToApiResourceSchema } from "../api/api_resource_schema.ts";
import { keyOf, type SystemWriter } from "./system_writer.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";

/** One export of `root` and the resources it serves. */
export interface RootExport {
  exportName: string;
  resources: ResourceDef[];
}

/** What bootstrap needs. */
export interface BootstrapOptions {
  store: ObjectStore;
  writer: SystemWriter;
  dir: LogicalClusterDirectory;
  serverUrl(): string;
  /** `root`'s default exports (tenancy, scheduling, workload, apiresource, topology, shards). */
  rootExports: RootExport[];
  /** The kube-mode catalog; compute's schemas are made from it. */
  kubeDefs: ResourceDef[];
}

/** Schema name prefix of root's own exports and of compute's exports. */
export const ROOT_SCHEMA_PREFIX = "v0110";
export const COMPUTE_SCHEMA_PREFIX = "v124";

/** The resources of the `kubernetes` export in `root:compute`. */
export const COMPUTE_RESOURCES = [
  { group: "apps", resource: "deployments" },
  { group: "", resource: "services" },
  { group: "", resource: "pods" },
  { group: "networking.k8s.io", resource: "ingresses" },
];

function seed(writer: SystemWriter, cluster: string, objects: SeedObject[]): void {
  for (const o of objects) writer.ensure(keyOf(cluster, o.resource, o.name, o.namespace), o.object);
}

function namespace(writer: SystemWriter, cluster: string, name: string): void {
  writer.ensure(keyOf(cluster, R.namespaces, name), {
    metadata: { annotations: { [A.createOnly]: "true" } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  });
}

/** Creates what `root` and `system:admin` hold; synchronous and idempotent. */
export function bootstrapRoot(opts: BootstrapOptions): void {
  const { writer } = opts;
  const url = opts.serverUrl();
  // The server URL may differ from the last start (another port): keep root's URLs current.
  writer.mutate(keyOf(ROOT, R.logicalClusters, LOGICAL_CLUSTER_NAME), (o) => {
    const status = (o.status ??= {}) as { URL?: string };
    if (status.URL === `${url}/clusters/root`) return false;
    status.URL = `${url}/clusters/root`;
  });
  writer.mutate(keyOf(ROOT, R.shards, "root"), (o) => {
    const spec = (o.spec ??= {}) as Record<string, string>;
    if (spec.baseURL === url && spec.externalURL === url) return false;
    spec.baseURL = spec.externalURL = spec.virtualWorkspaceURL = url;
  });
  writer.ensure(keyOf(ROOT, R.logicalClusters, LOGICAL_CLUSTER_NAME), {
    metadata: {
      annotations: { [A.path]: ROOT, [A.type]: "root:root" },
      labels: { [A.phaseLabel]: "Ready" },
    },
    spec: {},
    status: { phase: "Ready", URL: `${url}/clusters/root`, initializers: [] },
  });
  namespace(writer, ROOT, "default");
  namespace(writer, ROOT, "kcp-system");
  seed(writer, SYSTEM_ADMIN, systemAdminRbac());
  seed(writer, ROOT, rootWorkspaceTypes());
  seed(writer, ROOT, rootRbac());
  writer.ensure(keyOf(ROOT, R.shards, "root"), {
    metadata: { labels: { name: "root" } },
    spec: { baseURL: url, externalURL: url, virtualWorkspaceURL: url },
  });
  for (const e of opts.rootExports) {
    const names: string[] = [];
    for (const def of e.resources) {
      const schema = resourceDefToApiResourceSchema(def, ROOT_SCHEMA_PREFIX);
      names.push(schema.metadata!.name!);
      writer.ensure(keyOf(ROOT, R.schemas, schema.metadata!.name!), schema);
    }
    writer.ensure(keyOf(ROOT, R.exports, e.exportName), {
      metadata: { annotations: { [A.path]: ROOT } },
      spec: {
        latestResourceSchemas: names,
        ...(ROOT_EXPORTS_WITH_POLICY.includes(e.exportName)
          ? { maximalPermissionPolicy: { local: {} } }
          : {}),
      },
    });
    writer.ensure(keyOf(ROOT, R.bindings, e.exportName), {
      spec: { reference: { export: { path: ROOT, name: e.exportName } } },
    });
  }
}

/** Resolves once `check()` is true, re-checking after every change in the scopes. */
export function waitForStore(
  store: ObjectStore,
  scopes: ListScope[],
  check: () => boolean,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const watches = scopes.map((s) =>
      store.watch(s, undefined, () => {
        if (check()) finish();
      })
    );
    const onAbort = () => {
      for (const w of watches) w.stop();
      reject(signal?.reason ?? new Error("aborted"));
    };
    function finish() {
      for (const w of watches) w.stop();
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function computeReady(opts: BootstrapOptions): string | undefined {
  const id = opts.dir.resolve("root:compute");
  if (!id) return undefined;
  const lc = opts.store.get(keyOf(id, R.logicalClusters, LOGICAL_CLUSTER_NAME));
  return (lc?.status as { phase?: string } | undefined)?.phase === "Ready" ? id : undefined;
}

/**
 * Creates `root:compute` and, once Ready, its schemas, `kubernetes` export and RBAC;
 * resolves when the export has its identity.
 */
export async function bootstrapCompute(
  opts: BootstrapOptions,
  signal?: AbortSignal,
): Promise<void> {
  const { store, writer } = opts;
  writer.ensure(keyOf(ROOT, R.workspaces, "compute"), {
    metadata: {
      annotations: {
        [A.createOnly]: "true",
        [A.battery]: "root-compute-workspace",
      },
      labels: { [A.phaseLabel]: "Scheduling" },
    },
    spec: { type: { name: "universal", path: ROOT } },
    status: { phase: "Scheduling" },
  });
  await waitForStore(
    store,
    [{ resource: R.logicalClusters }, { cluster: ROOT, resource: R.workspaces }],
    () => computeReady(opts) !== undefined,
    signal,
  );
  const id = computeReady(opts)!;
  const names: string[] = [];
  for (const want of COMPUTE_RESOURCES) {
    const def = opts.kubeDefs.find((d) => d.group === want.group && d.resource === want.resource);
    if (!def) continue;
    const schema = resourceDefToApiResourceSchema(def, COMPUTE_SCHEMA_PREFIX);
    names.push(schema.metadata!.name!);
    writer.ensure(keyOf(id, R.schemas, schema.metadata!.name!), schema);
  }
  writer.ensure(keyOf(id, R.exports, "kubernetes"), {
    metadata: {
      annotations: {
        [A.path]: "root:compute",
        "extra.apis.kcp.io/compute.workload.kcp.io": "true",
      },
    },
    spec: { latestResourceSchemas: names, maximalPermissionPolicy: { local: {} } },
  });
  seed(writer, id, computeRbac());
  const exportKey = keyOf(id, R.exports, "kubernetes");
  await waitForStore(
    store,
    [{ cluster: id, resource: R.exports }],
    () => !!(store.get(exportKey)?.status as { identityHash?: string } | undefined)?.identityHash,
    signal,
  );
}
