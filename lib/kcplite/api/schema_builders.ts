/**
 * Small constructors for OpenAPI v3 schema fragments, used to write the built-in
 * catalogs' schemas compactly, plus the shared `ObjectMeta` schema and the whole-object
 * wrapper every served kind gets (`apiVersion`, `kind`, `metadata` and the kind's own
 * top-level fields, tagged with `x-kubernetes-group-version-kind`).
 *
 * @example
 * ```ts
 * const schema = kindSchema("", "v1", "ConfigMap", {
 *   data: mapOf(str()),
 *   immutable: bool(),
 * });
 * ```
 *
 * @module
 */

/** A JSON schema object. */
export type Schema = Record<string, unknown>;

/** `{type: string}` (with an optional enum or format). */
export function str(extra: Schema = {}): Schema {
  return { type: "string", ...extra };
}

/** `{type: integer}`. */
export function int(extra: Schema = {}): Schema {
  return { type: "integer", ...extra };
}

/** `{type: boolean}`. */
export function bool(): Schema {
  return { type: "boolean" };
}

/** An RFC 3339 timestamp. */
export function time(): Schema {
  return { type: "string", format: "date-time" };
}

/** An int-or-string (ports, percentages). */
export function intOrString(): Schema {
  return { "x-kubernetes-int-or-string": true };
}

/** An object with the given properties (`required` optional). */
export function obj(properties: Record<string, Schema>, required?: string[]): Schema {
  const s: Schema = { type: "object", properties };
  if (required?.length) s.required = required;
  return s;
}

/** An object with the given properties that keeps (and does not check) any others. */
export function openObj(properties: Record<string, Schema>, required?: string[]): Schema {
  return { ...obj(properties, required), "x-kubernetes-preserve-unknown-fields": true };
}

/** A map with values of one schema. */
export function mapOf(values: Schema): Schema {
  return { type: "object", additionalProperties: values };
}

/** An array of one schema. */
export function arrayOf(items: Schema): Schema {
  return { type: "array", items };
}

/** An object whose content is not described (kept as is, never pruned). */
export function anyObject(): Schema {
  return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
}

/** Any JSON value. */
export function anyValue(): Schema {
  return { "x-kubernetes-preserve-unknown-fields": true };
}

/** A label selector (`matchLabels`, `matchExpressions`). */
export function labelSelector(): Schema {
  return obj({
    matchLabels: mapOf(str()),
    matchExpressions: arrayOf(obj({
      key: str(),
      operator: str(),
      values: arrayOf(str()),
    }, ["key", "operator"])),
  });
}

/** A metav1.Condition or kcp condition list. */
export function conditions(): Schema {
  return arrayOf(obj({
    type: str(),
    status: str(),
    severity: str(),
    reason: str(),
    message: str(),
    lastTransitionTime: time(),
    observedGeneration: int(),
  }, ["type", "status"]));
}

/** `metav1.ObjectMeta`. */
export function objectMetaSchema(): Schema {
  return obj({
    name: str(),
    generateName: str(),
    namespace: str(),
    selfLink: str(),
    uid: str(),
    resourceVersion: str(),
    generation: int(),
    creationTimestamp: time(),
    deletionTimestamp: time(),
    deletionGracePeriodSeconds: int(),
    labels: mapOf(str()),
    annotations: mapOf(str()),
    finalizers: arrayOf(str()),
    ownerReferences: arrayOf(obj({
      apiVersion: str(),
      kind: str(),
      name: str(),
      uid: str(),
      controller: bool(),
      blockOwnerDeletion: bool(),
    }, ["apiVersion", "kind", "name", "uid"])),
    managedFields: arrayOf(anyObject()),
  });
}

/**
 * The whole-object schema of a kind: `apiVersion`, `kind`, `metadata`, plus `fields`
 * (default: free-form `spec` and `status`). `open` keeps unknown top-level fields
 * (used where the catalog does not list every field of a kind).
 */
export function kindSchema(
  group: string,
  version: string,
  kind: string,
  fields: Record<string, Schema> = { spec: anyObject(), status: anyObject() },
  open = false,
): Schema {
  const s: Schema = {
    type: "object",
    properties: {
      apiVersion: str(),
      kind: str(),
      metadata: objectMetaSchema(),
      ...fields,
    },
    "x-kubernetes-group-version-kind": [{ group, version, kind }],
  };
  if (open) s["x-kubernetes-preserve-unknown-fields"] = true;
  return s;
}
