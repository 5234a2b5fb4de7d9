/**
 * Parses a request path into what kcp-lite needs to route it (kcp-spec §1.2, §1.6, §8):
 * the `/clusters/<segment>` prefix, and for API paths the group, version, namespace,
 * resource, name, subresource and Kubernetes verb, the way apiserver's RequestInfo does.
 *
 * @example
 * ```ts
 * const info = parseRequestInfo("GET", "/clusters/root:a/api/v1/namespaces/ns/configmaps", new URLSearchParams());
 * // info.cluster = { kind: "segment", segment: "root:a" }, info.resource = "configmaps", info.verb = "list"
 * ```
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";

/** Where a request points: a named cluster, the wildcard, or no `/clusters/` prefix. */
export type ClusterTarget =
  | { kind: "segment"; segment: string }
  | { kind: "wildcard" }
  | { kind: "bare" };

/** A parsed request. */
export interface RequestInfo {
  cluster: ClusterTarget;
  /** The path after the cluster prefix (always starts with `/`). */
  path: string;
  /** True for `/api/v1/...` and `/apis/<g>/<v>/...` paths that name a resource. */
  resourceRequest: boolean;
  /** Kubernetes verb (`get`, `list`, `watch`, `create`, ...) or the lower-case HTTP method. */
  verb: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  /** The `:identity` suffix of the resource segment, if any. */
  identity?: string;
  name: string;
  subresource: string;
}

const SEGMENT_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Namespace subresources that keep `namespaces/<name>/<sub>` a namespace request. */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/** Targets whose path the URL parser would leave as it is: no dot segments, nothing to escape. */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-_~!$&'()*+,;=:@/]*(\?[^#\s"<>`{}|\\^]*)?$/;

/**
 * The path and query of a request target, as `new URL(target, base)` gives them; a plain
 * target (the usual case) is split without the URL parser.
 */
export function splitRequestTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  if (PLAIN_TARGET.test(target) && !rawPath.includes("/.")) {
    return { path: rawPath, query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)) };
  }
  const url = new URL(target, "https://kcp-lite.invalid");
  return { path: url.pathname, query: url.searchParams };
}

/** True when the value of a watch query parameter turns watching on. */
export function isWatchParam(value: string | null): boolean {
  return value === "true" || value === "1";
}

/** Validates a `/clusters/<x>` segment; throws a 400 StatusError when it is malformed. */
export function validateClusterSegment(segment: string): void {
  if (segment === "*") return;
  if (segment.startsWith("system:")) return;
  if (!segment.split(":").every((part) => SEGMENT_RE.test(part))) {
    throw StatusError.badRequest(`invalid cluster: "${segment}" does not match the regex`);
  }
}

function splitCluster(path: string): { cluster: ClusterTarget; rest: string } {
  if (!path.startsWith("/clusters/")) return { cluster: { kind: "bare" }, rest: path };
  const after = path.slice("/clusters/".length);
  const slash = after.indexOf("/");
  const segment = slash < 0 ? after : after.slice(0, slash);
  const rest = slash < 0 ? "/" : after.slice(slash);
  if (segment === "") throw StatusError.badRequest(`invalid cluster: "" does not match the regex`);
  validateClusterSegment(segment);
  return {
    cluster: segment === "*" ? { kind: "wildcard" } : { kind: "segment", segment },
    rest,
  };
}

/** Parses method, decoded path and query into a RequestInfo. Throws StatusError on bad input. */
export function parseRequestInfo(
  method: string,
  rawPath: string,
  query: URLSearchParams,
): RequestInfo {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw StatusError.badRequest(`malformed request path: ${rawPath}`);
  }
  const { cluster, rest } = splitCluster(decoded);
  const info: RequestInfo = {
    cluster,
    path: rest,
    resourceRequest: false,
    verb: method.toLowerCase(),
    group: "",
    version: "",
    namespace: "",
    resource: "",
    name: "",
    subresource: "",
  };
  const parts = rest.split("/").filter((p) => p !== "");
  let idx: number;
  if (parts[0] === "api") {
    if (parts.length < 3) return info;
    info.version = parts[1];
    idx = 2;
  } else if (parts[0] === "apis") {
    if (parts.length < 4) return info;
    info.group = parts[1];
    info.version = parts[2];
    idx = 3;
  } else {
    return info;
  }
  let current = parts.slice(idx);
  let watchPrefix = false;
  if (current[0] === "watch") {
    watchPrefix = true;
    current = current.slice(1);
    if (current.length === 0) return info;
  }
  if (current[0] === "namespaces" && current.length > 1) {
    info.namespace = current[1];
    if (current.length > 2 && !NAMESPACE_SUBRESOURCES.has(current[2])) current = current.slice(2);
  }
  info.resourceRequest = true;
  const resourceSegment = current[0];
  const colon = resourceSegment.indexOf(":");
  if (colon >= 0) {
    info.resource = resourceSegment.slice(0, colon);
    info.identity = resourceSegment.slice(colon + 1);
    if (info.identity === "") {
      throw StatusError.internal(`invalid resource "${resourceSegment}": missing identity`);
    }
  } else {
    info.resource = resourceSegment;
  }
  if (current.length > 1) info.name = current[1];
  if (current.length > 2) info.subresource = current.slice(2).join("/");
  info.verb = verbFor(method, info.name !== "", watchPrefix || isWatchParam(query.get("watch")));
  return info;
}

function verbFor(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      if (watch) return "watch";
      return named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}
