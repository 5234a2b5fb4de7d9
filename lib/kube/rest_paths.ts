/**
 * Addressing: resource coordinates to API paths, and kcp logical-cluster server URLs.
 *
 * @example
 * ```ts
 * resourcePath({ group: "apps", version: "v1", resource: "deployments", namespace: "ns", name: "d" });
 * // "/apis/apps/v1/namespaces/ns/deployments/d"
 * serverForCluster("https://h:6443/clusters/root", "root:espw");
 * // "https://h:6443/clusters/root:espw"
 * ```
 *
 * @module
 */

/** Where a resource (or one object of it) lives in the API. */
export interface ResourceRef {
  /** API group; "" or absent for the core group. */
  group?: string;
  version: string;
  /** Plural resource name (`deployments`). */
  resource: string;
  /** Namespace for namespaced resources; absent for cluster-scoped (or all namespaces). */
  namespace?: string;
  /** Object name; absent for collection requests. */
  name?: string;
  /** Subresource (`status`, `scale`). */
  subresource?: string;
}

/** The API path of `ref` (no server prefix). */
export function resourcePath(ref: ResourceRef): string {
  const parts = ref.group ? ["apis", ref.group, ref.version] : ["api", ref.version];
  if (ref.namespace) parts.push("namespaces", ref.namespace);
  parts.push(ref.resource);
  if (ref.name !== undefined) parts.push(ref.name);
  if (ref.subresource) {
    if (ref.name === undefined) throw new Error("a subresource needs an object name");
    parts.push(ref.subresource);
  }
  return "/" + parts.map((p) => encodeURIComponent(p)).join("/");
}

/** Joins the server URL (with its path prefix) and an API path. */
export function joinServerPath(server: string, path: string): string {
  const base = server.replace(/\/+$/, "");
  return base + (path.startsWith("/") ? path : "/" + path);
}

/**
 * The server URL that addresses kcp logical cluster `cluster` (a path such as
 * `root:espw`, an id, or `*`) on the same server: the URL's `/clusters/<x>` suffix is
 * replaced, or appended when there is none.
 */
export function serverForCluster(server: string, cluster: string): string {
  const url = new URL(server);
  const path = url.pathname.replace(/\/+$/, "");
  const i = path.lastIndexOf("/clusters/");
  const prefix = i >= 0 && !path.slice(i + "/clusters/".length).includes("/")
    ? path.slice(0, i)
    : path;
  url.pathname = `${prefix}/clusters/${cluster}`;
  return url.toString();
}
