/**
 * Decoding a built-in kind's JSON the way kube-apiserver decodes it into its Go types
 * (`sigs.k8s.io/json`, case-sensitive, strict): one pass over the object and its schema
 * (`builtin_schemas.ts`) that
 *
 * - finds the first value whose JSON type the Go field cannot hold, worded as Go's
 *   `encoding/json` does: `json: cannot unmarshal number into Go struct field
 *   ConfigMap.data of type string` (plus base64, Quantity and Time errors in their own
 *   words), and as apimachinery's unstructured converter does for strategic merge
 *   patches (`cannot restore map from string`);
 * - lists the fields no Go struct declares, as strict decoding does
 *   (`unknown field "spec.foo"`);
 * - returns the object without those fields and without nulls (what decoding and encoding
 *   again would store).
 *
 * @example
 * ```ts
 * const r = decodeTyped(schema, { kind: "ConfigMap", data: { a: 1 } });
 * r.mismatch?.jsonMessage; // json: cannot unmarshal number into Go struct field ConfigMap.data of type string
 * ```
 *
 * @module
 */
import {
  definitionNameOf,
  INT_OR_STRING_DEFINITION,
  MICRO_TIME_DEFINITION,
  QUANTITY_DEFINITION,
  TIME_DEFINITION,
} from "./builtin_schemas.ts";
import { base64Problem } from "./go_base64.ts";
import type { ResourceDef } from "./resource_def.ts";
import type { Schema } from "./schema_builders.ts";

/** The first value Go could not decode. */
export interface TypeMismatch {
  /** What `json.Unmarshal` (and so create and update) says. */
  jsonMessage: string;
  /** What the unstructured converter (strategic merge patch) says. */
  converterMessage: string;
}

/** What decoding found. */
export interface TypedDecodeResult {
  /** The object as decoding keeps it: unknown fields and nulls removed. */
  object: unknown;
  /** Paths of unknown fields, in document order (`spec.foo`, `spec.containers[0].bar`). */
  unknownFields: string[];
  mismatch?: TypeMismatch;
}

const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY =
  /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?(\d+(\.\d*)?|\.\d+))?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const INT32 = [-2147483648, 2147483647];

/** Go's word for a JSON value's kind in `cannot unmarshal X`. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v; // number, string
}

/** The reflect kind of a value after `json.Unmarshal` into `interface{}` (converter wording). */
function unstructuredKind(v: unknown): string {
  if (Array.isArray(v)) return "slice";
  if (typeof v === "object") return "map";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  return "string";
}

function unstructuredType(v: unknown): string {
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "object") return "map[string]interface {}";
  return unstructuredKind(v);
}

/** The Go type name of a schema (`v1.Container`, `[]v1.ServicePort`, `map[string]string`, `int32`). */
export function goTypeOf(schema: Schema): string {
  const name = definitionNameOf(schema);
  if (name === QUANTITY_DEFINITION) return "resource.Quantity";
  if (name === INT_OR_STRING_DEFINITION) return "intstr.IntOrString";
  if (name === TIME_DEFINITION) return "v1.Time";
  if (name === MICRO_TIME_DEFINITION) return "v1.MicroTime";
  if (name) {
    const parts = name.split(".");
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  if (schema.type === "array") {
    const items = schema.items as Schema | undefined;
    return `[]${items ? goTypeOf(items) : "interface {}"}`;
  }
  if (schema.type === "object") {
    const ap = schema.additionalProperties;
    if (ap && typeof ap === "object") return `map[string]${goTypeOf(ap as Schema)}`;
    return schema["x-kubernetes-preserve-unknown-fields"] ? "runtime.RawExtension" : "struct";
  }
  if (schema.type === "integer") return schema.format === "int64" ? "int64" : "int32";
  if (schema.type === "number") return "float64";
  if (schema.type === "boolean") return "bool";
  if (schema.type === "string" && schema.format === "byte") return "[]uint8";
  return "string";
}

const structNames = new WeakMap<Schema, string>();

/** The Go struct name of a definition schema (`ConfigMap`, `PodSpec`), cached. */
function structName(schema: Schema): string {
  let name = structNames.get(schema);
  if (name === undefined) {
    const full = definitionNameOf(schema) ?? "";
    structNames.set(schema, name = full.slice(full.lastIndexOf(".") + 1));
  }
  return name;
}

type Shape = "struct" | "map" | "slice" | "bytes" | "intstr" | "quantity" | "time" | "any" | "leaf";

const shapes = new WeakMap<Schema, Shape>();

/** How Go decodes into a schema (cached per schema object). */
function shapeOf(schema: Schema): Shape {
  let shape = shapes.get(schema);
  if (!shape) shapes.set(schema, shape = computeShape(schema));
  return shape;
}

function computeShape(schema: Schema): Shape {
  const name = definitionNameOf(schema);
  if (name === INT_OR_STRING_DEFINITION) return "intstr";
  if (name === QUANTITY_DEFINITION) return "quantity";
  if (name === TIME_DEFINITION || name === MICRO_TIME_DEFINITION) return "time";
  if (schema["x-kubernetes-preserve-unknown-fields"]) return "any";
  if (schema.type === "array") return "slice";
  if (schema.type === "object") return schema.properties ? "struct" : "map";
  if (schema.type === "string" && schema.format === "byte") return "bytes";
  return "leaf";
}

class Decoder {
  unknownFields: string[] = [];
  mismatch?: TypeMismatch;
  /** Innermost struct and JSON field path, as Go's error context. */
  struct = "";
  fields: string[] = [];

  fail(jsonMessage: string, converterMessage: string): void {
    this.mismatch ??= { jsonMessage, converterMessage };
  }

  typeError(value: string, goType: string, v: unknown, converter?: string): void {
    const where = this.struct || this.fields.length
      ? `Go struct field ${this.struct}.${this.fields.join(".")}`
      : "Go value";
    this.fail(
      `json: cannot unmarshal ${value} into ${where} of type ${goType}`,
      converter ?? `cannot convert ${unstructuredType(v)} to ${goType}`,
    );
  }

  /** The JSON path of what is being decoded (`spec.containers[0]`), as parts. */
  path: string[] = [];

  pathText(): string {
    return this.path.join("");
  }

  value(schema: Schema, v: unknown): unknown {
    if (v === null || v === undefined) return undefined;
    switch (shapeOf(schema)) {
      case "struct":
        return this.struct_(schema, v);
      case "map":
        return this.map(schema, v);
      case "slice":
        return this.slice(schema, v);
      case "any":
        return v;
      case "bytes":
        if (typeof v !== "string") {
          this.typeError(jsonKind(v), "[]uint8", v);
        } else {
          const problem = base64Problem(v);
          if (problem) this.fail(problem, problem);
        }
        return v;
      case "intstr":
        if (typeof v === "string") return v;
        this.integer(v, "int32", INT32);
        return v;
      case "quantity":
        if (
          typeof v === "number"
            ? !Number.isFinite(v)
            : typeof v !== "string" || !QUANTITY.test(v.trim())
        ) {
          this.fail(QUANTITY_FORMAT_ERROR, QUANTITY_FORMAT_ERROR);
        }
        return v;
      case "time":
        if (typeof v !== "string") this.typeError(jsonKind(v), "string", v);
        else if (!RFC3339.test(v)) {
          const m = `parsing time ${
            JSON.stringify(v)
          } as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`;
          this.fail(m, m);
        }
        return v;
      case "leaf":
        return this.leaf(schema, v);
    }
  }

  integer(v: unknown, goType: string, range?: number[]): void {
    if (typeof v !== "number") return this.typeError(jsonKind(v), goType, v);
    const fits = Number.isInteger(v) && (!range || (v >= range[0] && v <= range[1]));
    if (!fits) this.typeError(`number ${String(v)}`, goType, v);
  }

  leaf(schema: Schema, v: unknown): unknown {
    const goType = goTypeOf(schema);
    switch (schema.type) {
      case "integer":
        this.integer(v, goType, goType === "int32" ? INT32 : undefined);
        break;
      case "number":
        if (typeof v !== "number") this.typeError(jsonKind(v), goType, v);
        break;
      case "boolean":
        if (typeof v !== "boolean") this.typeError(jsonKind(v), goType, v);
        break;
      default:
        if (typeof v !== "string") this.typeError(jsonKind(v), goType, v);
    }
    return v;
  }

  struct_(schema: Schema, v: unknown): unknown {
    if (typeof v !== "object" || Array.isArray(v)) {
      this.typeError(
        jsonKind(v),
        goTypeOf(schema),
        v,
        `cannot restore struct from: ${unstructuredKind(v)}`,
      );
      return undefined;
    }
    const props = schema.properties as Record<string, Schema>;
    const out: Record<string, unknown> = {};
    const outerStruct = this.struct;
    const depth = this.fields.length;
    const name = structName(schema);
    for (const k in v as Record<string, unknown>) {
      const child = (v as Record<string, unknown>)[k];
      this.path.push(this.path.length ? `.${k}` : k);
      const s = Object.hasOwn(props, k) ? props[k] : undefined;
      if (!s) {
        this.unknownFields.push(this.pathText());
        this.path.pop();
        continue;
      }
      this.struct = name;
      this.fields.push(k);
      const decoded = this.value(s, child);
      this.fields.length = depth;
      this.struct = outerStruct;
      this.path.pop();
      if (decoded !== undefined) out[k] = decoded;
    }
    return out;
  }

  map(schema: Schema, v: unknown): unknown {
    if (typeof v !== "object" || Array.isArray(v)) {
      this.typeError(
        jsonKind(v),
        goTypeOf(schema),
        v,
        `cannot restore map from ${unstructuredKind(v)}`,
      );
      return undefined;
    }
    const values = schema.additionalProperties as Schema | undefined;
    if (!values || typeof values !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const k in v as Record<string, unknown>) {
      this.path.push(this.path.length ? `.${k}` : k);
      const decoded = this.value(values, (v as Record<string, unknown>)[k]);
      this.path.pop();
      // Go keeps a null map value as the zero value ("" for strings)
      out[k] = decoded === undefined ? zeroOf(values) : decoded;
    }
    return out;
  }

  slice(schema: Schema, v: unknown): unknown {
    if (!Array.isArray(v)) {
      this.typeError(
        jsonKind(v),
        goTypeOf(schema),
        v,
        `cannot restore slice from ${unstructuredKind(v)}`,
      );
      return undefined;
    }
    const items = schema.items as Schema | undefined;
    if (!items) return v;
    return v.map((item, i) => {
      this.path.push(`[${i}]`);
      const decoded = this.value(items, item);
      this.path.pop();
      return decoded === undefined ? zeroOf(items) : decoded;
    });
  }
}

/** What Go stores for a null element or map value. */
function zeroOf(schema: Schema): unknown {
  switch (shapeOf(schema)) {
    case "struct":
      return {};
    case "leaf":
      if (schema.type === "integer" || schema.type === "number") return 0;
      if (schema.type === "boolean") return false;
      return "";
    default:
      return null;
  }
}

/** Decodes `object` against the schema of a built-in kind. */
export function decodeTyped(schema: Schema, object: unknown): TypedDecodeResult {
  const d = new Decoder();
  const decoded = d.value(schema, object);
  return { object: decoded ?? {}, unknownFields: d.unknownFields, mismatch: d.mismatch };
}

/** {@link decodeTyped} for a built-in resource whose schema is a Kubernetes definition. */
export function decodeBuiltin(def: ResourceDef, object: unknown): TypedDecodeResult | undefined {
  if (!def.schema || definitionNameOf(def.schema) === undefined) return undefined;
  return decodeTyped(def.schema, object);
}
