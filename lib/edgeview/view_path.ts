/**
 * Which requests the edge view maps: a Kubernetes REST path (optionally under kcp's
 * `/clusters/<name>` prefix) that names a forcibly-denatured kind in its natured group,
 * and the same path on the denatured resource.
 *
 * `/clusters/root:wmw1/apis/rbac.authorization.k8s.io/v1/namespaces/ns1/rolebindings/rb`
 * becomes `/clusters/root:wmw1/apis/denatured.kubestellar.io/v1/namespaces/ns1/rolebindings/rb`;
 * the legacy `/watch/` form is kept. Every other path passes through unchanged.
 *
 * @example
 * ```ts
 * const m = mapViewPath("/clusters/root:wmw1/api/v1/namespaces/ns/serviceaccounts");
 * m?.upstreamPath; // "/clusters/root:wmw1/apis/denatured.kubestellar.io/v1/namespaces/ns/serviceaccounts"
 * m?.version;      // "v1" (the natured version the client asked for)
 * ```
 *
 * @module
 */
import {
  DENATURED_GROUP,
  DENATURED_VERSION,
  type DenaturedKind,
  denaturedOf,
} from "../denature/denatured_kinds.ts";

/** A request path the view maps to a denatured resource. */
export interface MappedPath {
  kind: DenaturedKind;
  /** The natured version in the client's path (responses are written in it). */
  version: string;
  /** The path to send to kcp. */
  upstreamPath: string;
  /** Object name, when the path names one. */
  name?: string;
  /** Subresource (`status`), when named. */
  subresource?: string;
  /** The legacy `/watch/` path form. */
  legacyWatch: boolean;
}

/** Thrown for a path the view refuses (a 400). */
export class BadPathError extends Error {}

const SEGMENT = /^[A-Za-z0-9._:~-]+$/;

/**
 * The mapping of `path` (no query), or undefined when it passes through. Throws
 * `BadPathError` for empty, dot or escaped-slash segments.
 */
export function mapViewPath(path: string): MappedPath | undefined {
  if (!path.startsWith("/")) throw new BadPathError("the request path must start with /");
  const segs = path.split("/").slice(1);
  if (path.length > 1 && path.endsWith("/")) segs.pop();
  for (const s of segs) {
    if (s === "" || s === "." || s === ".." || /%2f|%5c/i.test(s)) {
      throw new BadPathError(`the request path ${JSON.stringify(path)} is not a plain REST path`);
    }
  }
  let i = 0;
  if (segs[0] === "clusters") i = 2;
  const prefix = segs.slice(0, i);
  let group: string;
  let version: string;
  if (segs[i] === "api") {
    group = "";
    version = segs[i + 1];
    i += 2;
  } else if (segs[i] === "apis") {
    group = segs[i + 1];
    version = segs[i + 2];
    i += 3;
    if (!group) return undefined;
  } else return undefined;
  if (!version) return undefined;
  let rest = segs.slice(i);
  const legacyWatch = rest[0] === "watch";
  if (legacyWatch) rest = rest.slice(1);
  let nsPart: string[] = [];
  if (rest[0] === "namespaces" && rest.length >= 3) {
    nsPart = rest.slice(0, 2);
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...more] = rest;
  if (!resource || more.length > 0) return undefined;
  const kind = denaturedOf(group, resource);
  if (!kind) return undefined;
  for (const s of [...nsPart, resource, name, subresource]) {
    if (s !== undefined && !SEGMENT.test(s)) {
      throw new BadPathError(`the request path ${JSON.stringify(path)} has a bad segment`);
    }
  }
  const upstream = [
    ...prefix,
    "apis",
    DENATURED_GROUP,
    DENATURED_VERSION,
    ...(legacyWatch ? ["watch"] : []),
    ...nsPart,
    resource,
    ...(name !== undefined ? [name] : []),
    ...(subresource !== undefined ? [subresource] : []),
  ];
  return {
    kind,
    version,
    upstreamPath: "/" + upstream.join("/"),
    name,
    subresource,
    legacyWatch,
  };
}
