/**
 * Pruning of fields a structural schema does not declare, as the API server does for
 * custom resources before storing them: unknown fields disappear unless an enclosing
 * schema has `x-kubernetes-preserve-unknown-fields: true` (or `additionalProperties`),
 * `null` values of non-nullable fields are dropped, `apiVersion`, `kind` and `metadata`
 * are always kept (the REST layer owns metadata).
 *
 * @example
 * ```ts
 * const stored = pruneUnknownFields(def, body); // {spec: {size: 1}} without spec.typo
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef } from "./resource_def.ts";
import type { Schema } from "./schema_builders.ts";
import { META_SCHEMA, propertySchema } from "./schema_validation.ts";

function prune(schema: Schema, v: unknown, path: string): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const items = schema.items as Schema | undefined;
    return items ? v.map((item, i) => prune(items, item, `${path}[${i}]`)) : v;
  }
  if (schema === META_SCHEMA) return v;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true ||
    schema.additionalProperties === true;
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    const s = propertySchema(schema, k, path);
    const childPath = path ? `${path}.${k}` : k;
    if (s) {
      if (child === null && !s.nullable && !s["x-kubernetes-preserve-unknown-fields"]) continue;
      out[k] = prune(s, child, childPath);
    } else if (preserve) out[k] = child;
  }
  return out;
}

/**
 * A copy of `object` without the fields `def.schema` does not declare; the object
 * itself when the resource has no schema.
 */
export function pruneUnknownFields<T extends KubeObject>(def: ResourceDef, object: T): T {
  if (!def.schema) return object;
  return prune(def.schema, structuredClone(object), "") as T;
}
