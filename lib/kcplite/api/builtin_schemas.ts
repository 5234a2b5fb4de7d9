/**
 * The OpenAPI v3 schemas of the built-in kinds, built once from the compact definitions of
 * `builtin_openapi_data.ts` (generated from Kubernetes' types): the one schema source for
 * validation, pruning, `/openapi/v2`, `/openapi/v3` and the APIResourceSchemas kcp mode
 * serves the built-in kinds through.
 *
 * A schema is a graph: a definition used in many places (ObjectMeta, PodSpec, Container)
 * is one shared object, so nothing is copied per kind and a kind's schema is built at most
 * once. {@link definitionNameOf} tells which definition a schema object is, which the
 * OpenAPI documents use to write `$ref`s and the typed decoder to name Go types.
 *
 * @example
 * ```ts
 * const deploy = builtinKindSchema("apps", "v1", "Deployment")!;
 * deploy.properties.spec.properties.replicas; // {type: "integer", format: "int32", description: …}
 * ```
 *
 * @module
 */
import { BUILTIN_DEFINITIONS, type CompactDefinition } from "./builtin_openapi_data.ts";
import type { Schema } from "./schema_builders.ts";

/** The OpenAPI name of `resource.Quantity`. */
export const QUANTITY_DEFINITION = "io.k8s.apimachinery.pkg.api.resource.Quantity";
/** The OpenAPI name of `intstr.IntOrString`. */
export const INT_OR_STRING_DEFINITION = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/** The OpenAPI name of `metav1.Time`. */
export const TIME_DEFINITION = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
/** The OpenAPI name of `metav1.MicroTime`. */
export const MICRO_TIME_DEFINITION = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";

/** What `resource.Quantity` accepts as a string (apimachinery's quantity grammar). */
export const QUANTITY_PATTERN =
  "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

const names = new WeakMap<Schema, string>();
const built = new Map<string, Schema>();
const byGvk = new Map<string, string>();
for (const [name, def] of Object.entries(BUILTIN_DEFINITIONS)) {
  if (def.k) byGvk.set(def.k.join("/"), name);
}

/**
 * The definition a schema object stands for (`io.k8s.api.core.v1.Container`, or for
 * leaves `…resource.Quantity`, `…intstr.IntOrString`, `…meta.v1.Time`), if any.
 */
export function definitionNameOf(schema: Schema): string | undefined {
  return names.get(schema);
}

/** True when `schema` is the shared object of its definition (not a described use of it). */
export function isSharedDefinition(schema: Schema): boolean {
  const name = names.get(schema);
  return name !== undefined && built.get(name) === schema;
}

function tag(name: string, schema: Schema): Schema {
  names.set(schema, name);
  return schema;
}

function leaf(code: string): Schema {
  switch (code) {
    case "string":
      return { type: "string" };
    case "byte":
      return { type: "string", format: "byte" };
    case "int32":
      return { type: "integer", format: "int32" };
    case "int64":
      return { type: "integer", format: "int64" };
    case "double":
      return { type: "number", format: "double" };
    case "bool":
      return { type: "boolean" };
    case "time":
      return tag(TIME_DEFINITION, { type: "string", format: "date-time" });
    case "microtime":
      return tag(MICRO_TIME_DEFINITION, { type: "string", format: "date-time" });
    case "any":
      return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    case "intstr":
      return tag(INT_OR_STRING_DEFINITION, {
        "x-kubernetes-int-or-string": true,
        anyOf: [{ type: "integer" }, { type: "string" }],
      });
    case "quantity":
      return tag(QUANTITY_DEFINITION, {
        "x-kubernetes-int-or-string": true,
        anyOf: [{ type: "integer" }, { type: "string" }],
        pattern: QUANTITY_PATTERN,
      });
  }
  throw new Error(`unknown type code ${code}`);
}

/** The schema of a type code, with `description` when given. */
function fromCode(code: string, description?: string): Schema {
  let s: Schema;
  if (code.startsWith("[]")) s = { type: "array", items: fromCode(code.slice(2)) };
  else if (code.startsWith("{}")) {
    s = { type: "object", additionalProperties: fromCode(code.slice(2)) };
  } else if (code.startsWith("#")) {
    // client-node keeps no descriptions for references: the shared definition itself
    return definitionSchema(code.slice(1));
  } else s = leaf(code);
  if (description) s.description = description;
  return s;
}

/** The (shared) schema of a definition by its OpenAPI name. */
export function definitionSchema(name: string): Schema {
  const existing = built.get(name);
  if (existing) return existing;
  const def: CompactDefinition | undefined = BUILTIN_DEFINITIONS[name];
  if (!def) throw new Error(`no built-in definition ${name}`);
  const properties: Record<string, Schema> = {};
  const schema: Schema = { type: "object", properties };
  names.set(schema, name);
  built.set(name, schema);
  if (def.d) schema.description = def.d;
  if (def.r) schema.required = [...def.r];
  if (def.k) {
    schema["x-kubernetes-group-version-kind"] = [{
      group: def.k[0],
      version: def.k[1],
      kind: def.k[2],
    }];
  }
  for (const [prop, code, description] of def.p) properties[prop] = fromCode(code, description);
  return schema;
}

/** The schema of a built-in kind, or undefined when kcp-lite has no definition for it. */
export function builtinKindSchema(
  group: string,
  version: string,
  kind: string,
): Schema | undefined {
  const name = byGvk.get(`${group}/${version}/${kind}`);
  return name ? definitionSchema(name) : undefined;
}

/** The definition name of a built-in kind. */
export function builtinDefinitionName(
  group: string,
  version: string,
  kind: string,
): string | undefined {
  return byGvk.get(`${group}/${version}/${kind}`);
}
