/**
 * Structural-schema defaulting, as the API server applies it to custom resources after
 * pruning: an absent (or, for non-nullable fields, null) property whose schema has a
 * `default` gets a copy of it; defaulting then continues inside objects and array
 * items, including freshly defaulted ones. `metadata` is left alone.
 *
 * @example
 * ```ts
 * applySchemaDefaults(def, body); // {spec: {}} → {spec: {replicas: 1}} for default: 1
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef } from "./resource_def.ts";
import type { Schema } from "./schema_builders.ts";
import { META_SCHEMA, propertySchema } from "./schema_validation.ts";

function walk(schema: Schema, v: unknown, path: string): void {
  if (v === null || typeof v !== "object" || schema === META_SCHEMA) return;
  if (Array.isArray(v)) {
    const items = schema.items as Schema | undefined;
    if (items) v.forEach((item) => walk(items, item, `${path}[]`));
    return;
  }
  const o = v as Record<string, unknown>;
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [k, s] of Object.entries(props)) {
    const missing = o[k] === undefined || (o[k] === null && !s.nullable);
    if (missing && s.default !== undefined) o[k] = structuredClone(s.default);
  }
  for (const [k, child] of Object.entries(o)) {
    const s = propertySchema(schema, k, path);
    if (s) walk(s, child, path ? `${path}.${k}` : k);
  }
}

/** Fills in schema defaults in `object` (in place) and returns it. */
export function applySchemaDefaults<T extends KubeObject>(def: ResourceDef, object: T): T {
  if (def.schema) walk(def.schema, object, "");
  return object;
}
