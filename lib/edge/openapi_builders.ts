/**
 * Small builders for OpenAPI v3 schema fragments, so CRD schemas read like the types
 * they describe.
 *
 * @example
 * ```ts
 * const s = obj({ name: str(), replicas: int() }, ["name"]);
 * ```
 *
 * @module
 */

/** An OpenAPI v3 schema fragment. */
export type Schema = Record<string, unknown>;

/** A string. */
export function str(extra: Schema = {}): Schema {
  return { type: "string", ...extra };
}

/** A string restricted to the given values. */
export function oneOf(...values: string[]): Schema {
  return { type: "string", enum: values };
}

/** A 32-bit integer. */
export function int(extra: Schema = {}): Schema {
  return { type: "integer", format: "int32", ...extra };
}

/** A boolean. */
export function bool(): Schema {
  return { type: "boolean" };
}

/** An RFC 3339 timestamp. */
export function time(): Schema {
  return { type: "string", format: "date-time" };
}

/** A list. */
export function list(items: Schema, extra: Schema = {}): Schema {
  return { type: "array", items, ...extra };
}

/** A list whose items are unique values of a set. */
export function setOf(items: Schema): Schema {
  return list(items, { "x-kubernetes-list-type": "set" });
}

/** A string-to-string map. */
export function stringMap(): Schema {
  return { type: "object", additionalProperties: { type: "string" } };
}

/** An object with the given properties. */
export function obj(properties: Record<string, Schema>, required: string[] = []): Schema {
  const s: Schema = { type: "object", properties };
  if (required.length > 0) s.required = required;
  return s;
}

/** An object whose content is not described. */
export function anyObject(): Schema {
  return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
}

/** A `metav1.LabelSelector`. */
export function labelSelector(): Schema {
  return obj({
    matchLabels: stringMap(),
    matchExpressions: list(
      obj({ key: str(), operator: str(), values: list(str()) }, ["key", "operator"]),
    ),
  });
}

/** The schema of a whole object: apiVersion, kind, metadata and the given top-level fields. */
export function topLevel(fields: Record<string, Schema>, required: string[] = []): Schema {
  return obj({ apiVersion: str(), kind: str(), metadata: { type: "object" }, ...fields }, required);
}
