/**
 * Serving `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version>` as kube-openapi's
 * handlers do: Accept negotiation (v2 as JSON or gnostic protobuf, 406 for anything else),
 * a quoted upper-case SHA-512 `ETag` of the bytes served, `304 Not Modified` for a matching
 * `If-None-Match`, and for v3 documents asked for with `?hash=`: a 301 to the current hash
 * when it is stale, `Cache-Control: public, immutable` when it is current.
 *
 * @example
 * ```ts
 * const reply = serveOpenApi({ path: "/openapi/v2", query, accept, ifNoneMatch }, registry);
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  defsFingerprint,
  openApiDocumentHash,
  openApiV3Document,
  openApiV3Index,
} from "./openapi_v3.ts";
import { openApiV2Document } from "./openapi_v2.ts";
import { encodeOpenApiV2 } from "./openapi_v2_protobuf.ts";
import type { ResourceRegistry } from "./resource_def.ts";

/** What the handler needs from an OpenAPI request. */
export interface OpenApiRequest {
  path: string;
  query: URLSearchParams;
  accept: string;
  ifNoneMatch?: string;
}

/** An OpenAPI reply: body (JSON value or bytes), status and headers. */
export interface OpenApiReply {
  status: number;
  body?: unknown;
  contentType?: string;
  headers: Record<string, string>;
}

const JSON_TYPE = "application/json";
const PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
const PROTOBUF_V2_DEPRECATED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

interface Clause {
  type: string;
  subType: string;
  q: number;
}

/** Accept clauses, best first (goautoneg's order: quality, then specificity). */
function parseAccept(accept: string): Clause[] {
  const clauses = (accept || "*/*").split(",").map((part, i) => {
    const [media, ...params] = part.trim().split(";");
    const [type = "", subType = ""] = media.trim().toLowerCase().split("/");
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k === "q") q = Number(v);
    }
    return { type, subType, q: Number.isNaN(q) ? 0 : q, i };
  }).filter((c) => c.q > 0);
  const specificity = (c: Clause) => (c.type === "*" ? 0 : c.subType === "*" ? 1 : 2);
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.i - b.i);
}

/** The first of `offered` (full media types) the client accepts, in the client's order. */
function negotiate(accept: string, offered: string[]): string | undefined {
  for (const c of parseAccept(accept)) {
    for (const o of offered) {
      const [type, subType] = o.split("/");
      if ((c.type === type || c.type === "*") && (c.subType === subType || c.subType === "*")) {
        return o;
      }
    }
  }
  return undefined;
}

function etagOf(bytes: Uint8Array | string): string {
  return createHash("sha512").update(bytes).digest("hex").toUpperCase();
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === `"${etag}"`;
  });
}

/** The reply for bytes with an ETag: 304 when the client has them. */
function withEtag(
  req: OpenApiRequest,
  body: Uint8Array | string,
  contentType: string,
  etag: string,
  extra: Record<string, string> = {},
): OpenApiReply {
  const headers = { ...extra, ETag: `"${etag}"`, Vary: "Accept" };
  if (matches(req.ifNoneMatch, etag)) return { status: 304, headers };
  return { status: 200, body, contentType, headers };
}

interface V2Cache {
  json: string;
  jsonEtag: string;
  proto?: { bytes: Uint8Array; etag: string };
}

const v2Cache = new Map<string, V2Cache>();
const V2_CACHE_LIMIT = 64;

function v2Of(registry: ResourceRegistry): V2Cache {
  const key = defsFingerprint(registry.all());
  let entry = v2Cache.get(key);
  if (!entry) {
    const json = JSON.stringify(openApiV2Document(registry));
    entry = { json, jsonEtag: etagOf(json) };
    if (v2Cache.size >= V2_CACHE_LIMIT) v2Cache.delete(v2Cache.keys().next().value!);
    v2Cache.set(key, entry);
  }
  return entry;
}

function serveV2(req: OpenApiRequest, registry: ResourceRegistry): OpenApiReply {
  const type = negotiate(req.accept, [JSON_TYPE, PROTOBUF_V2_DEPRECATED, PROTOBUF_V2]);
  if (!type) return { status: 406, headers: { Vary: "Accept" } };
  const doc = v2Of(registry);
  if (type === JSON_TYPE) return withEtag(req, doc.json, JSON_TYPE, doc.jsonEtag);
  if (!doc.proto) {
    const bytes = encodeOpenApiV2(JSON.parse(doc.json));
    doc.proto = { bytes, etag: etagOf(bytes) };
  }
  return withEtag(req, doc.proto.bytes, PROTOBUF_V2, doc.proto.etag);
}

function serveV3(req: OpenApiRequest, registry: ResourceRegistry): OpenApiReply | undefined {
  if (req.path === "/openapi/v3") {
    const json = JSON.stringify(openApiV3Index(registry));
    return withEtag(req, json, JSON_TYPE, etagOf(json));
  }
  const gv = req.path.slice("/openapi/v3/".length);
  const doc = openApiV3Document(registry, gv);
  if (!doc) return undefined;
  if (!negotiate(req.accept, [JSON_TYPE])) return { status: 406, headers: { Vary: "Accept" } };
  const json = JSON.stringify(doc);
  const etag = openApiDocumentHash(doc);
  const hash = req.query.get("hash");
  if (hash && hash !== etag) {
    return {
      status: 301,
      headers: { Location: `/openapi/v3/${gv}?hash=${etag}`, ETag: `"${etag}"` },
    };
  }
  const extra: Record<string, string> = hash
    ? {
      "Cache-Control": "public, immutable",
      Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString(),
    }
    : {};
  return withEtag(req, json, JSON_TYPE, etag, extra);
}

/** The reply to an OpenAPI request; undefined when the path names nothing served. */
export function serveOpenApi(
  req: OpenApiRequest,
  registry: ResourceRegistry,
): OpenApiReply | undefined {
  if (req.path === "/openapi/v2") return serveV2(req, registry);
  if (req.path === "/openapi/v3" || req.path.startsWith("/openapi/v3/")) {
    return serveV3(req, registry);
  }
  return undefined;
}
