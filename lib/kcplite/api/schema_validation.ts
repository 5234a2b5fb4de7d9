/**
 * Checks an object against its resource's OpenAPI v3 schema the way the API server
 * does for custom resources: declared field types, `required`, `enum`, simple bounds
 * and patterns (`validateAgainstSchema`), and — for `fieldValidation=Strict` — the
 * fields the schema does not declare (`unknownFieldCauses`). Unknown fields under
 * `x-kubernetes-preserve-unknown-fields` are neither checked nor reported; `null`
 * counts as absent (the server prunes nulls, as Kubernetes does for non-nullable
 * fields). `metadata` is checked for types only; the REST layer owns its content.
 *
 * @example
 * ```ts
 * const causes = validateAgainstSchema(def, body);
 * if (causes.length) throw StatusError.invalid(def.kind, def.group, name, causes);
 * ```
 *
 * @module
 */
import type { ResourceDef } from "./resource_def.ts";
import { objectMetaSchema, type Schema } from "./schema_builders.ts";
import type { StatusCause } from "./status_error.ts";

/** The ObjectMeta schema every object root (and embedded resource) gets. */
export const META_SCHEMA: Schema = objectMetaSchema();

/** Child field path: `spec.replicas`, `spec.containers[0]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(schema: Schema, v: unknown): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof v === "string" || Number.isInteger(v);
  const t = schema.type as string | undefined;
  if (!t) return true;
  const actual = typeOf(v);
  if (t === "number") return actual === "number" || actual === "integer";
  return actual === t;
}

function shown(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/**
 * The schema of a field; at the root and in `x-kubernetes-embedded-resource` objects
 * `apiVersion`/`kind` are strings and `metadata` has the standard ObjectMeta schema.
 */
export function propertySchema(schema: Schema, key: string, path: string): Schema | undefined {
  const objectRoot = path === "" || schema["x-kubernetes-embedded-resource"] === true;
  if (objectRoot && key === "metadata") return META_SCHEMA;
  const props = schema.properties as Record<string, Schema> | undefined;
  if (props && props[key]) return props[key];
  if (objectRoot && (key === "apiVersion" || key === "kind")) return { type: "string" };
  const extra = schema.additionalProperties;
  if (extra && typeof extra === "object") return extra as Schema;
  return undefined;
}

function check(schema: Schema, v: unknown, path: string, causes: StatusCause[]): void {
  if (v === null || v === undefined) return;
  if (!typeMatches(schema, v)) {
    const expected = schema["x-kubernetes-int-or-string"] ? "integer or string" : schema.type;
    causes.push({
      reason: "FieldValueTypeInvalid",
      field: path,
      message: `Invalid value: ${shown(typeOf(v))}: ${
        path || "body"
      } in body must be of type ${expected}: ${shown(typeOf(v))}`,
    });
    return;
  }
  const enumValues = schema.enum as unknown[] | undefined;
  if (enumValues && !enumValues.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    causes.push({
      reason: "FieldValueNotSupported",
      field: path,
      message: `Unsupported value: ${shown(v)}: supported values: ${
        enumValues.map(shown).join(", ")
      }`,
    });
  }
  if (typeof v === "string") checkString(schema, v, path, causes);
  if (typeof v === "number") checkNumber(schema, v, path, causes);
  if (Array.isArray(v)) {
    if (typeof schema.minItems === "number" && v.length < schema.minItems) {
      causes.push(invalid(path, v, `should have at least ${schema.minItems} items`));
    }
    if (typeof schema.maxItems === "number" && v.length > schema.maxItems) {
      causes.push({
        reason: "FieldValueTooMany",
        field: path,
        message: `Too many: ${v.length}: must have at most ${schema.maxItems} items`,
      });
    }
    const items = schema.items as Schema | undefined;
    if (items) v.forEach((item, i) => check(items, item, childPath(path, i), causes));
    return;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const req of (schema.required as string[] | undefined) ?? []) {
      if (o[req] === undefined || o[req] === null) {
        causes.push({
          reason: "FieldValueRequired",
          field: childPath(path, req),
          message: "Required value",
        });
      }
    }
    for (const [k, child] of Object.entries(o)) {
      const s = propertySchema(schema, k, path);
      if (s) check(s, child, childPath(path, k), causes);
    }
  }
}

function invalid(path: string, v: unknown, why: string): StatusCause {
  return {
    reason: "FieldValueInvalid",
    field: path,
    message: `Invalid value: ${shown(v)}: ${why}`,
  };
}

function checkString(schema: Schema, v: string, path: string, causes: StatusCause[]) {
  if (typeof schema.minLength === "number" && v.length < schema.minLength) {
    causes.push(
      invalid(path, v, `${path} in body should be at least ${schema.minLength} chars long`),
    );
  }
  if (typeof schema.maxLength === "number" && v.length > schema.maxLength) {
    causes.push({
      reason: "FieldValueTooLong",
      field: path,
      message: `Too long: may not be longer than ${schema.maxLength}`,
    });
  }
  if (typeof schema.pattern === "string") {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, "u");
    } catch {
      re = undefined;
    }
    if (re && !re.test(v)) {
      causes.push(invalid(path, v, `${path} in body should match '${schema.pattern}'`));
    }
  }
}

function checkNumber(schema: Schema, v: number, path: string, causes: StatusCause[]) {
  if (typeof schema.minimum === "number") {
    const bad = schema.exclusiveMinimum ? v <= schema.minimum : v < schema.minimum;
    if (bad) {
      const op = schema.exclusiveMinimum ? "greater than" : "greater than or equal to";
      causes.push(invalid(path, v, `${path} in body should be ${op} ${schema.minimum}`));
    }
  }
  if (typeof schema.maximum === "number") {
    const bad = schema.exclusiveMaximum ? v >= schema.maximum : v > schema.maximum;
    if (bad) {
      const op = schema.exclusiveMaximum ? "less than" : "less than or equal to";
      causes.push(invalid(path, v, `${path} in body should be ${op} ${schema.maximum}`));
    }
  }
}

/** Type, required, enum and bound violations of `object` against `def.schema`. */
export function validateAgainstSchema(def: ResourceDef, object: unknown): StatusCause[] {
  if (!def.schema) return [];
  const causes: StatusCause[] = [];
  check(def.schema, object, "", causes);
  return causes;
}

function unknown(schema: Schema, v: unknown, path: string, out: StatusCause[]): void {
  if (v === null || typeof v !== "object") return;
  if (Array.isArray(v)) {
    const items = schema.items as Schema | undefined;
    if (items) v.forEach((item, i) => unknown(items, item, childPath(path, i), out));
    return;
  }
  if (schema === META_SCHEMA) return;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    const s = propertySchema(schema, k, path);
    const p = childPath(path, k);
    if (s) unknown(s, child, p, out);
    else if (!preserve && schema.additionalProperties !== true) {
      out.push({ reason: "FieldValueInvalid", field: p, message: `unknown field "${p}"` });
    }
  }
}

/** Fields of `object` its schema does not declare (for `fieldValidation=Strict`/`Warn`). */
export function unknownFieldCauses(def: ResourceDef, object: unknown): StatusCause[] {
  if (!def.schema) return [];
  const out: StatusCause[] = [];
  unknown(def.schema, object, "", out);
  return out;
}
