/**
 * kcp logical-cluster paths (`root:espw:imw1`) and the server URLs that address them
 * (`https://host:6443/clusters/root:espw`), with the rules kcp's `kubectl ws` applies.
 *
 * A path is one or more `:`-separated segments, each a workspace name
 * (`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`). The current workspace of a kubeconfig is
 * the segment that follows the first `/clusters/` of its server URL.
 *
 * @example
 * ```ts
 * parseClusterUrl("https://h:6443/clusters/root:espw");
 * // { base: "https://h:6443", path: "root:espw" }
 * workspaceServer("https://h:6443", "root:imw1"); // "https://h:6443/clusters/root:imw1"
 * parentPath("root:espw"); // "root"
 * ```
 *
 * @module
 */

const SEGMENT = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The root workspace's path. */
export const ROOT_PATH = "root";

/** True for a valid workspace name (one path segment). */
export function isValidWorkspaceName(name: string): boolean {
  return SEGMENT.test(name);
}

/** True for a valid logical-cluster path (`root`, `root:a:b`, `system:admin`, an id). */
export function isValidWorkspacePath(path: string): boolean {
  return path !== "" && path.split(":").every((s) => SEGMENT.test(s));
}

/** The parent of `path`, or undefined for a one-segment path. */
export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf(":");
  return i < 0 ? undefined : path.slice(0, i);
}

/** The last segment of `path` (the workspace's own name). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf(":") + 1);
}

/** `parent` joined with a child name. */
export function joinPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}:${name}`;
}

/** True when `path` is `prefix` or lies below it. */
export function hasPathPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + ":");
}

/** A server URL split into its base and its logical cluster. */
export interface ClusterUrl {
  /** The URL without the `/clusters/<path>` part (and anything after it). */
  base: string;
  /** The logical cluster the URL addresses. */
  path: string;
}

/**
 * Splits a server URL at its first `/clusters/` path element; undefined when the URL
 * does not address a logical cluster (no `/clusters/`, or not a valid path after it).
 */
export function parseClusterUrl(server: string): ClusterUrl | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/.exec(server);
  if (!m) return undefined;
  const [, origin, urlPath] = m;
  const i = urlPath.indexOf("/clusters/");
  if (i < 0) return undefined;
  const path = urlPath.slice(i + "/clusters/".length).split("/")[0];
  if (!isValidWorkspacePath(path)) return undefined;
  return { base: origin + urlPath.slice(0, i), path };
}

/** The server URL for logical cluster `path` under `base` (see `parseClusterUrl`). */
export function workspaceServer(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/clusters/${path}`;
}

/**
 * The base URL of any server URL: `parseClusterUrl(server).base` when it addresses a
 * logical cluster, else the URL without a trailing slash.
 */
export function serverBase(server: string): string {
  return parseClusterUrl(server)?.base ?? server.replace(/[?#].*$/, "").replace(/\/+$/, "");
}
