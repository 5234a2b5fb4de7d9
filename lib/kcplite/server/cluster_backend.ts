/**
 * The seam between kcp-lite's generic Kubernetes API server (HTTP, REST handlers,
 * watch, auth) and what makes it kcp or a plain Kubernetes server: which logical
 * clusters exist, which resources each serves, admission of kcp kinds, and the
 * APIExport virtual workspaces.
 *
 * The server (`lib/kcplite/server/`) calls only this interface; kube mode implements
 * it with one cluster, kcp mode (`lib/kcplite/kcp/`) with workspaces.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { UserInfo } from "../auth/rbac.ts";
import type { ResourceDef, ResourceRegistry } from "../api/resource_def.ts";

/** One write about to happen, for admission. */
export interface AdmissionRequest {
  operation: "CREATE" | "UPDATE" | "DELETE";
  /** Logical cluster id. */
  cluster: string;
  def: ResourceDef;
  /** The new object (CREATE, UPDATE); admission may change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  /** The status subresource is being written. */
  subresource?: string;
}

/** What an APIExport virtual workspace serves. */
export interface VirtualWorkspace {
  /** The export's resources (identity set). */
  resources: ResourceRegistry;
  /** Logical cluster ids that bind the export now. */
  boundClusters(): string[];
  /** Whether cluster `id` binds the export now (without listing them all). */
  bindsCluster?(id: string): boolean;
}

/** kcp or kube semantics behind the generic server. */
export interface ClusterBackend {
  readonly mode: "kcp" | "kube";
  /**
   * The logical cluster id for a `/clusters/<segment>` (a path like `root:espw` or an
   * id); undefined when there is none. Never called with `*`.
   */
  resolveCluster(segment: string): string | undefined;
  /** The path of a logical cluster id (`root:espw`), for annotations and messages. */
  clusterPath(id: string): string | undefined;
  /** The cluster for URLs without `/clusters/` (kube mode: the only one; kcp: `root`). */
  defaultCluster(): string;
  /** Resources served in a cluster (built-ins + CRDs + bound resources). */
  resources(cluster: string): ResourceRegistry;
  /**
   * The resources served for `/clusters/*` requests: the union over clusters, each
   * bound resource only with its identity.
   */
  wildcardResources(): ResourceRegistry;
  /**
   * Mutating and validating admission for a write; throws a `StatusError` to refuse.
   * Called after the generic defaulting (uid, timestamps) and before the store write.
   */
  admit(request: AdmissionRequest): void;
  /** `/services/apiexport/<path>/<export>`; undefined when there is no such export. */
  virtualWorkspace(exportClusterPath: string, exportName: string): VirtualWorkspace | undefined;
  /** True once bootstrap is done (`/readyz`). */
  ready(): boolean;
}
