/**
 * `/openapi/v2` for kcp-lite: one Swagger 2.0 document of everything a workspace (or a
 * kube-mode server) serves, built from the same schemas and path items as `/openapi/v3`
 * (`openapi_v3.ts`, `openapi_paths.ts`), bound APIExport kinds and CRDs included. kubectl
 * reads it (as protobuf, `openapi_v2_protobuf.ts`) when `/openapi/v3` does not know a kind:
 * for `apply` of an unknown kind, `--validate=strict` on servers without field validation,
 * and `explain --output plaintext-openapiv2`; helm the same through kubectl's code.
 *
 * @example
 * ```ts
 * const doc = openApiV2Document(registry);
 * doc.definitions["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"];
 * ```
 *
 * @module
 */
import {
  type Json,
  kindSchemaName,
  listSchema,
  metaSchemas,
  resourcePaths,
  schemaName,
} from "./openapi_paths.ts";
import { SchemaExport } from "./openapi_schema_export.ts";
import { componentSchema, scaleSchema } from "./openapi_v3.ts";
import type { ResourceDef, ResourceRegistry } from "./resource_def.ts";

const V3_REF = "#/components/schemas/";
const V2_REF = "#/definitions/";
const OPERATIONS = ["get", "put", "post", "delete", "patch"];

/** `$ref`s of a v3 fragment rewritten for v2, and what v2 cannot say dropped. */
function toV2Schema(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toV2Schema);
  if (!v || typeof v !== "object") return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) {
    if (k === "$ref" && typeof x === "string") out[k] = x.replace(V3_REF, V2_REF);
    else if (k === "anyOf" || k === "oneOf" || k === "nullable" || k === "not") continue;
    else out[k] = toV2Schema(x);
  }
  return out;
}

/** A v3 parameter as a v2 non-body parameter (`type` instead of `schema`). */
function parameter(p: Json): Json {
  const { schema, ...rest } = p;
  return { ...rest, type: (schema as Json | undefined)?.type ?? "string" };
}

function contentSchema(content: unknown): Json | undefined {
  const c = content as Record<string, { schema?: Json }> | undefined;
  const schema = c?.["application/json"]?.schema ?? Object.values(c ?? {})[0]?.schema;
  return schema ? toV2Schema(schema) as Json : undefined;
}

function operation(op: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(op)) {
    if (k === "parameters") continue;
    if (k === "requestBody" || k === "responses") continue;
    out[k] = v;
  }
  const params = ((op.parameters as Json[] | undefined) ?? []).map(parameter);
  const body = op.requestBody as Json | undefined;
  if (body) {
    const content = body.content as Json;
    params.unshift({
      name: "body",
      in: "body",
      required: body.required === true,
      schema: contentSchema(content),
    });
    out.consumes = Object.keys(content);
  } else out.consumes = ["*/*"];
  out.produces = ["application/json", "application/yaml"];
  out.schemes = ["https"];
  if (params.length) out.parameters = params;
  const responses: Json = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
    const resp: Json = { description: r.description ?? "" };
    const schema = contentSchema(r.content);
    if (schema) resp.schema = schema;
    responses[code] = resp;
  }
  out.responses = responses;
  return out;
}

function pathItem(item: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === "parameters") out.parameters = (v as Json[]).map(parameter);
    else if (OPERATIONS.includes(k)) out[k] = operation(v as Json);
    else out[k] = v;
  }
  return out;
}

function buildDocument(defs: ResourceDef[]): Json {
  const paths: Record<string, Json> = {};
  const definitions: Json = toV2Schema(metaSchemas()) as Json;
  const out = new SchemaExport("v2");
  for (const def of defs) {
    for (const [p, item] of Object.entries(resourcePaths(def))) paths[p] = pathItem(item);
    definitions[kindSchemaName(def)] = toV2Schema(componentSchema(def, out));
    definitions[schemaName(def.group, def.version, def.listKind)] = toV2Schema(listSchema(def));
    if (def.subresources.scale) {
      definitions[schemaName("autoscaling", "v1", "Scale")] = toV2Schema(scaleSchema());
    }
  }
  for (const [name, schema] of Object.entries(out.definitions)) definitions[name] ??= schema;
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a < b ? -1 : 1));
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: "v1.24.0" },
    paths: sortedPaths,
    definitions,
  };
}

/** The Swagger 2.0 document of everything `registry` serves. */
export function openApiV2Document(registry: ResourceRegistry): Json {
  return buildDocument(registry.all());
}
