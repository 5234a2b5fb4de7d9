/**
 * kcp mode behind kcp-lite's generic server: the {@link ClusterBackend} of logical
 * clusters and workspaces (kcp-spec §1–§3, §5.5). It starts the workspace, APIExport,
 * APIBinding and service-account controllers on the store, bootstraps `root`,
 * `system:admin` and `root:compute`, and answers the server's questions: cluster
 * resolution, per-cluster resources (kcp built-ins + bound resources + CRDs), the wildcard
 * registry, admission and APIExport virtual workspaces.
 *
 * @example
 * ```ts
 * const backend = await startKcpBackend(store, { serverUrl: () => url, serviceAccountKey });
 * backend.resolveCluster("root:compute"); // "k3x…"
 * backend.stop();
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef, ResourceRegistry } from "../api/resource_def.ts";
import { StaticRegistry } from "../api/static_registry.ts";
import { CrdBackedRegistry } from "../api/crd_backed_registry.ts";
import { kcpModeBuiltins, kubeModeBuiltins } from "../api/builtin_catalogs.ts";
import { kcpDefaultRootExports, kcpShardKinds } from "../api/kcp_catalog.ts";
import type { RequestAttributes } from "../auth/rbac.ts";
import type { Decision } from "../auth/rbac.ts";
import type {
  AdmissionRequest,
  ClusterBackend,
  VirtualWorkspace,
} from "../server/cluster_backend.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { ApiBindingAdmission } from "./apibinding_admission.ts";
import { startApiBindingController } from "./apibinding_controller.ts";
import { startApiExportController } from "./apiexport_controller.ts";
import { bootstrapCompute, bootstrapRoot } from "./bootstrap.ts";
import { BoundResourceIndex } from "./bound_resources.ts";
import { startEndpointSliceController } from "./endpoint_slice_controller.ts";
import { KcpAdmission } from "./kcp_admission.ts";
import { authorizeKcpRequest } from "./kcp_authorizer.ts";
import { RbacCache } from "./kcp_rbac.ts";
import { R, ROOT } from "./kcp_kinds.ts";
import { LogicalClusterDirectory } from "./logical_clusters.ts";
import { startLogicalClusterDeletion } from "./logical_cluster_deletion.ts";
import {
  type AuthenticatedServiceAccount,
  authenticateServiceAccountToken,
  createTokenRequest,
  type TokenRequestSpec,
} from "./service_account_auth.ts";
import { startServiceAccountController } from "./service_account_controller.ts";
import type { StoreController } from "./store_controller.ts";
import { SystemWriter } from "./system_writer.ts";
import { startWorkspaceController } from "./workspace_controller.ts";
import { WorkspaceAdmission } from "./workspace_admission.ts";
import { WorkspaceTypes } from "./workspace_types.ts";

/** Options of {@link startKcpBackend}. */
export interface KcpBackendOptions {
  /** The server's external URL, e.g. `https://127.0.0.1:6443` (no trailing slash). */
  serverUrl: () => string;
  /** Signs service-account tokens (its public key verifies them). */
  serviceAccountKey: CryptoKeyPair;
  /** PEM of the serving CA, for `ca.crt` in token Secrets and `kube-root-ca.crt`. */
  caCertPem?: () => string | undefined;
  /** Reports controller failures (they are retried). */
  onError?: (controller: string, key: string, error: unknown) => void;
  /** Abort to give up waiting for bootstrap (the promise rejects). */
  signal?: AbortSignal;
}

/** The kcp backend plus what the server may use beyond {@link ClusterBackend}. */
export interface KcpBackend extends ClusterBackend {
  /** Stops controllers and watches. */
  stop(): void;
  /** Reconciles run so far by each controller, by name (tests count work with it). */
  reconciles(): Record<string, number>;
  /**
   * Authenticates a legacy service-account token: signature, then the ServiceAccount and
   * its Secret must still exist (kcp-spec §5.5). Undefined when not valid.
   */
  authenticateServiceAccountToken(token: string): Promise<AuthenticatedServiceAccount | undefined>;
  /**
   * `POST …/serviceaccounts/<name>/token`: a TokenRequest with a bound token (kcp-spec
   * §5.5); throws a 404 `StatusError` when the ServiceAccount does not exist.
   */
  createTokenRequest(
    cluster: string,
    namespace: string,
    name: string,
    spec?: TokenRequestSpec,
  ): Promise<KubeObject>;
  /**
   * kcp's authorizer chain for a request in a logical cluster (kcp-spec §5.3): content
   * access, foreign service accounts, maximal permission policies, then RBAC with
   * `system:admin`'s roles. `system:masters` always passes.
   */
  authorize(cluster: string, attrs: RequestAttributes): Decision;
}

class WildcardRegistry implements ResourceRegistry {
  constructor(readonly builtins: StaticRegistry, readonly bound: ResourceDef[]) {}
  all(): ResourceDef[] {
    return [...this.builtins.all(), ...this.bound];
  }
  /** Built-ins first; otherwise the first bound definition (check its `identity`). */
  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.builtins.lookup(group, version, resource) ??
      this.bound.find((d) => d.group === group && d.version === version && d.resource === resource);
  }
  lookupKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.builtins.lookupKind(group, version, kind) ??
      this.bound.find((d) => d.group === group && d.version === version && d.kind === kind);
  }
}

/** Starts kcp mode on the store; resolves once controllers run and `root` is bootstrapped. */
export async function startKcpBackend(
  store: ObjectStore,
  options: KcpBackendOptions,
): Promise<KcpBackend> {
  let stopped = false;
  const dir = new LogicalClusterDirectory(store);
  const writer = new SystemWriter(store);
  const types = new WorkspaceTypes(store, dir);
  const bound = new BoundResourceIndex(store);
  const rbac = new RbacCache(store);
  const rootBuiltins = kcpModeBuiltins({ shards: true });
  const otherBuiltins = kcpModeBuiltins({ shards: false });
  const registries = new Map<string, CrdBackedRegistry>();
  let wildcard: ResourceRegistry | undefined;
  bound.onChange = (cluster) => {
    if (cluster === undefined) wildcard = undefined;
  };
  const resources = (cluster: string): ResourceRegistry => {
    let reg = registries.get(cluster);
    if (!reg) {
      reg = new CrdBackedRegistry(
        store,
        cluster,
        cluster === ROOT ? rootBuiltins : otherBuiltins,
        () => bound.defsFor(cluster),
      );
      registries.set(cluster, reg);
    }
    return reg;
  };
  // A deleted logical cluster's registry stops watching.
  const lcWatch = store.watch({ resource: R.logicalClusters }, undefined, (ev) => {
    if (ev.type !== "DELETED") return;
    registries.get(ev.key.cluster)?.close();
    registries.delete(ev.key.cluster);
  });
  const admission = new KcpAdmission(
    store,
    dir,
    new WorkspaceAdmission(store, types),
    new ApiBindingAdmission(store, dir),
  );
  // A reconcile still running when the backend stops fails on the closed store: not news.
  const onError = (name: string) => (key: string, e: unknown) => {
    if (!stopped) options.onError?.(name, key, e);
  };
  const apiBindings = startApiBindingController({
    store,
    dir,
    writer,
    bound,
    onError: onError("apibindings"),
  });
  const controllers: StoreController[] = [
    startWorkspaceController({
      store,
      dir,
      types,
      writer,
      serverUrl: options.serverUrl,
      bound,
      bind: apiBindings.bind,
      onError: onError("workspaces"),
    }),
    startLogicalClusterDeletion({
      store,
      writer,
      resources,
      onError: onError("logicalclusterdeletion"),
    }),
    startApiExportController({
      store,
      dir,
      writer,
      serverUrl: options.serverUrl,
      onError: onError("apiexports"),
    }),
    apiBindings,
    startEndpointSliceController({
      store,
      dir,
      writer,
      serverUrl: options.serverUrl,
      onError: onError("apiexportendpointslices"),
    }),
    startServiceAccountController({
      store,
      writer,
      signingKey: options.serviceAccountKey.privateKey,
      caCertPem: options.caCertPem,
      onError: onError("serviceaccounts"),
    }),
  ];
  const bootstrapOptions = {
    store,
    writer,
    dir,
    serverUrl: options.serverUrl,
    rootExports: [
      ...kcpDefaultRootExports(),
      { exportName: "shards.core.kcp.io", resources: kcpShardKinds() },
    ],
    kubeDefs: kubeModeBuiltins(),
  };
  let isReady = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const c of controllers) c.stop();
    lcWatch.stop();
    for (const r of registries.values()) r.close();
    registries.clear();
    bound.stop();
    types.stop();
    rbac.stop();
    dir.stop();
  };
  try {
    bootstrapRoot(bootstrapOptions);
    await bootstrapCompute(bootstrapOptions, options.signal);
  } catch (e) {
    stop();
    throw e;
  }
  isReady = true;
  return {
    mode: "kcp",
    resolveCluster: (segment) => dir.resolve(segment),
    clusterPath: (id) => dir.pathOf(id) ?? (id.startsWith("system:") ? id : undefined),
    defaultCluster: () => ROOT,
    resources,
    wildcardResources(): ResourceRegistry {
      return wildcard ??= new WildcardRegistry(new StaticRegistry(rootBuiltins), bound.allDefs());
    },
    admit: (req: AdmissionRequest) => admission.admit(req),
    virtualWorkspace(exportClusterPath: string, exportName: string): VirtualWorkspace | undefined {
      const id = dir.resolve(exportClusterPath);
      return id === undefined ? undefined : bound.virtualWorkspace(id, exportName);
    },
    ready: () => isReady && !stopped,
    stop,
    reconciles: () => Object.fromEntries(controllers.map((c) => [c.name, c.reconciles])),
    authenticateServiceAccountToken: (token) =>
      authenticateServiceAccountToken(store, options.serviceAccountKey.publicKey, token),
    createTokenRequest: (cluster, namespace, name, spec) =>
      createTokenRequest(
        store,
        options.serviceAccountKey.privateKey,
        cluster,
        namespace,
        name,
        spec,
      ),
    authorize: (cluster, attrs) => authorizeKcpRequest(store, rbac, bound, cluster, attrs),
  };
}
