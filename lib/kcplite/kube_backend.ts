/**
 * kube mode of kcp-lite: the {@link ClusterBackend} of a plain Kubernetes API server with
 * one cluster (`kube`) serving the built-in kinds plus the CRDs stored in it, and the
 * namespaces every Kubernetes cluster starts with (`default`, `kube-system`,
 * `kube-public`, `kube-node-lease`). Its only admission is the API server's defaulting of
 * built-in kinds (`api/builtin_defaults.ts`), with cluster IPs and node ports of Services.
 *
 * @example
 * ```ts
 * const store = openMemoryStore();
 * const backend = createKubeBackend(store);
 * backend.resources(backend.defaultCluster()).lookup("apps", "v1", "deployments");
 * ```
 *
 * @module
 */
import { kubeModeBuiltins } from "./api/builtin_catalogs.ts";
import { admitBuiltinDefaults } from "./api/builtin_defaults.ts";
import { CrdBackedRegistry } from "./api/crd_backed_registry.ts";
import type { ObjectStore } from "./store/object_store.ts";
import type { ClusterBackend } from "./server/cluster_backend.ts";
import { nowTimestamp } from "./server/object_lifecycle.ts";

/** The logical cluster id of the kube-mode server. */
export const KUBE_CLUSTER = "kube";

/** The namespaces a new kube-mode server creates. */
export const DEFAULT_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Creates the default namespaces that are missing. */
export function ensureDefaultNamespaces(store: ObjectStore, cluster: string): void {
  for (const name of DEFAULT_NAMESPACES) {
    const key = { cluster, resource: "/namespaces", namespace: "", name };
    if (store.get(key)) continue;
    store.create(key, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        uid: crypto.randomUUID(),
        creationTimestamp: nowTimestamp(),
        labels: { "kubernetes.io/metadata.name": name },
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  }
}

/** The kube-mode backend over a store (creates the default namespaces). */
export function createKubeBackend(store: ObjectStore): ClusterBackend & { close(): void } {
  ensureDefaultNamespaces(store, KUBE_CLUSTER);
  const registry = new CrdBackedRegistry(store, KUBE_CLUSTER, kubeModeBuiltins());
  return {
    mode: "kube",
    resolveCluster: (segment) => segment === KUBE_CLUSTER ? KUBE_CLUSTER : undefined,
    clusterPath: (id) => id === KUBE_CLUSTER ? KUBE_CLUSTER : undefined,
    defaultCluster: () => KUBE_CLUSTER,
    resources: () => registry,
    wildcardResources: () => registry,
    admit: (req) =>
      admitBuiltinDefaults(
        req,
        () => store.list({ cluster: KUBE_CLUSTER, resource: "/services" }).items,
      ),
    virtualWorkspace: () => undefined,
    ready: () => true,
    close: () => registry.close(),
  };
}
