/**
 * Writes a kind's schema into an OpenAPI document: the shared Kubernetes definitions a
 * built-in schema is made of (`builtin_schemas.ts`) become `$ref`s to named definitions,
 * collected once per document, as kube-apiserver's documents have them; CRD-style schemas
 * stay inline. For OpenAPI v2 (`/openapi/v2`) what Swagger 2.0 cannot say is left out, as
 * kube-apiserver does for CRDs: `anyOf`/`oneOf`/`not`/`nullable`, and int-or-string
 * values become `type: string, format: int-or-string`.
 *
 * @example
 * ```ts
 * const out = new SchemaExport("v3");
 * const deployment = out.schema(def.schema); // {…, properties: {spec: {$ref: …DeploymentSpec}}}
 * out.definitions; // {"io.k8s.api.apps.v1.DeploymentSpec": {…}, …}
 * ```
 *
 * @module
 */
import { definitionNameOf, isSharedDefinition } from "./builtin_schemas.ts";
import type { Schema } from "./schema_builders.ts";

const V2_DROPPED = new Set(["anyOf", "oneOf", "not", "nullable"]);

/** Schemas for one document and the named definitions they reference. */
export class SchemaExport {
  /** Named definitions referenced so far, by name. */
  readonly definitions: Record<string, Schema> = {};
  readonly #prefix: string;

  constructor(readonly version: "v2" | "v3") {
    this.#prefix = version === "v2" ? "#/definitions/" : "#/components/schemas/";
  }

  /** A `$ref` to a named definition of this document. */
  ref(name: string): Schema {
    return { $ref: `${this.#prefix}${name}` };
  }

  /** `schema` as this document writes it; named shared definitions become `$ref`s. */
  schema(schema: Schema): Schema {
    return this.#node(schema, true);
  }

  #node(schema: Schema, top: boolean): Schema {
    if (!top && isSharedDefinition(schema)) {
      const name = definitionNameOf(schema)!;
      if (!(name in this.definitions)) {
        this.definitions[name] = {}; // placeholder: breaks cycles
        this.definitions[name] = this.#node(schema, true);
      }
      return this.ref(name);
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(schema)) {
      if (this.version === "v2" && V2_DROPPED.has(k)) continue;
      if (k === "properties" && v && typeof v === "object") {
        out[k] = Object.fromEntries(
          Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, this.#node(s, false)]),
        );
      } else if ((k === "items" || k === "additionalProperties") && isSchema(v)) {
        out[k] = this.#node(v, false);
      } else if ((k === "allOf" || k === "anyOf" || k === "oneOf") && Array.isArray(v)) {
        out[k] = v.map((s) => (isSchema(s) ? this.#node(s, false) : s));
      } else if (k === "not" && isSchema(v)) {
        out[k] = this.#node(v, false);
      } else out[k] = v;
    }
    if (this.version === "v2" && out["x-kubernetes-int-or-string"] && !out.type) {
      out.type = "string";
      out.format ??= "int-or-string";
    }
    return out;
  }
}

function isSchema(v: unknown): v is Schema {
  return Boolean(v) && typeof v === "object" && !Array.isArray(v);
}
