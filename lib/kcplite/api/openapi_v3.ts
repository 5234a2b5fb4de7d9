/**
 * `/openapi/v3` for kcp-lite (kcp-spec §8.8, toolchain.md §3): the index of
 * group-version documents, each addressed with a `hash` of its content, and the
 * documents themselves (paths with every operation of each served resource, and
 * `components.schemas` with each kind's schema tagged `x-kubernetes-group-version-kind`).
 * That is what kubectl `create`/`apply` with validation on and `kubectl explain` read.
 *
 * @example
 * ```ts
 * openApiV3Index(registry).paths["apis/apps/v1"];
 * // {serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=4F1C…"}
 * const doc = openApiV3Document(registry, "apis/apps/v1");
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { servedGroups } from "./discovery.ts";
import {
  type Json,
  kindSchemaName,
  listSchema,
  metaSchemas,
  resourcePaths,
  schemaName,
} from "./openapi_paths.ts";
import { SchemaExport } from "./openapi_schema_export.ts";
import type { ResourceDef, ResourceRegistry } from "./resource_def.ts";
import { kindSchema, obj, str } from "./schema_builders.ts";

/** The `/openapi/v3` index. */
export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** `api/v1` for the core group, `apis/<g>/<v>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

/** The group/version of an index path; undefined for paths that are not one. */
export function parseGroupVersionPath(
  path: string,
): { group: string; version: string } | undefined {
  const parts = path.replace(/^\/+|\/+$/g, "").split("/");
  if (parts.length === 2 && parts[0] === "api") return { group: "", version: parts[1] };
  if (parts.length === 3 && parts[0] === "apis") return { group: parts[1], version: parts[2] };
  return undefined;
}

function defsOf(registry: ResourceRegistry, group: string, version: string): ResourceDef[] {
  return registry.all().filter((d) => d.group === group && d.version === version);
}

/**
 * The whole-object schema of a def as `out` writes it (shared Kubernetes definitions as
 * `$ref`s), with the GVK extension and envelope fields ensured.
 */
export function componentSchema(def: ResourceDef, out: SchemaExport): Json {
  const gvk = [{ group: def.group, version: def.version, kind: def.kind }];
  if (!def.schema) {
    return kindSchema(def.group, def.version, def.kind, undefined, true);
  }
  const s = out.schema(def.schema) as Json;
  const props = { ...((s.properties ?? {}) as Json) };
  for (const f of ["apiVersion", "kind"]) if (!props[f]) props[f] = { type: "string" };
  if (!props.metadata) props.metadata = { type: "object" };
  s.properties = props;
  if (!s.type) s.type = "object";
  s["x-kubernetes-group-version-kind"] = gvk;
  return s;
}

/** The `autoscaling/v1` Scale schema of the scale subresource. */
export function scaleSchema(): Json {
  return {
    ...obj({
      apiVersion: str(),
      kind: str(),
      metadata: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      spec: obj({ replicas: { type: "integer" } }),
      status: obj({ replicas: { type: "integer" }, selector: str() }, ["replicas"]),
    }),
    "x-kubernetes-group-version-kind": [{ group: "autoscaling", version: "v1", kind: "Scale" }],
  };
}

/** Documents already built, keyed by the identity of the defs they describe. */
const documentCache = new Map<string, { doc: Json; hash: string }>();
const DOCUMENT_CACHE_LIMIT = 512;
const defIds = new WeakMap<ResourceDef, number>();
let nextDefId = 1;

/** A key naming exactly this list of (shared, read-only) definitions, for document caches. */
export function defsFingerprint(defs: ResourceDef[]): string {
  return defs.map((d) => {
    let id = defIds.get(d);
    if (id === undefined) defIds.set(d, id = nextDefId++);
    return id;
  }).join(",");
}

function cachedDocument(defs: ResourceDef[]): { doc: Json; hash: string } {
  const key = defsFingerprint(defs);
  let entry = documentCache.get(key);
  if (!entry) {
    const doc = buildDocument(defs);
    entry = { doc, hash: openApiDocumentHash(doc) };
    if (documentCache.size >= DOCUMENT_CACHE_LIMIT) {
      documentCache.delete(documentCache.keys().next().value!);
    }
    documentCache.set(key, entry);
  }
  return entry;
}

/**
 * The document of one group version (`api/v1`, `apis/apps/v1`), or undefined when the
 * registry serves nothing there. Documents are cached per set of definitions and
 * shared: treat them as read-only.
 */
export function openApiV3Document(
  registry: ResourceRegistry,
  groupVersion: string,
): Json | undefined {
  const gv = parseGroupVersionPath(groupVersion);
  if (!gv) return undefined;
  const defs = defsOf(registry, gv.group, gv.version);
  if (defs.length === 0) return undefined;
  return cachedDocument(defs).doc;
}

function buildDocument(defs: ResourceDef[]): Json {
  const paths: Record<string, Json> = {};
  const schemas: Json = metaSchemas();
  const out = new SchemaExport("v3");
  for (const def of defs) {
    Object.assign(paths, resourcePaths(def));
    schemas[kindSchemaName(def)] = componentSchema(def, out);
    schemas[schemaName(def.group, def.version, def.listKind)] = listSchema(def);
    if (def.subresources.scale) schemas[schemaName("autoscaling", "v1", "Scale")] = scaleSchema();
  }
  for (const [name, schema] of Object.entries(out.definitions)) schemas[name] ??= schema;
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.24.0" },
    paths,
    components: { schemas },
  };
}

/** A stable digest of a document (upper-case hex SHA-512 of its JSON, as Kubernetes uses). */
export function openApiDocumentHash(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}

/** The `/openapi/v3` index: one entry per served group version. */
export function openApiV3Index(registry: ResourceRegistry): OpenApiV3Index {
  const paths: OpenApiV3Index["paths"] = {};
  for (const [group, versions] of servedGroups(registry)) {
    for (const version of versions) {
      const defs = defsOf(registry, group, version);
      if (defs.length === 0) continue;
      const path = groupVersionPath(group, version);
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${cachedDocument(defs).hash}` };
    }
  }
  return { paths };
}
