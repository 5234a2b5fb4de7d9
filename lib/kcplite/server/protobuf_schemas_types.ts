/**
 * The vocabulary of kcp-lite's protobuf schemas: a message is a table from field number to
 * a named, typed field, written with small builders so that the tables read like the
 * Kubernetes `generated.proto` files they follow.
 *
 * Scalar zero values ("" / 0 / false) are left out of the decoded JSON unless the field is
 * marked `keep` — Go's protobuf encoder writes every non-pointer scalar, while its JSON form
 * omits the zero values of `omitempty` fields. Pointer fields (`*int32`, `*bool`, …) and
 * fields without `omitempty` are `keep`: when present on the wire they are always kept.
 *
 * @example
 * ```ts
 * const PORT: Schema = { 1: str("name"), 3: int("containerPort", KEEP) };
 * ```
 *
 * @module
 */

/** Wire-level scalar types: strings, base64 bytes, booleans and (u)int32/int64 varints. */
export type ScalarType = "string" | "bytes" | "bool" | "int";

/**
 * Kubernetes messages with a JSON form of their own: `resource.Quantity` {string=1} is a
 * string, `intstr.IntOrString` {type=1,intVal=2,strVal=3} a number or string, `metav1.Time`
 * {seconds=1,nanos=2} an RFC 3339 string, and `FieldsV1`/`RawExtension` {raw=1} the JSON
 * they carry.
 */
export type SpecialType = "quantity" | "intOrString" | "time" | "json";

/** A map field: entries are messages {key=1, value=2}; keys are strings. */
export interface MapType {
  map: FieldType;
}

/** What a field holds. */
export type FieldType = ScalarType | SpecialType | MapType | Schema;

/** One field of a message. */
export interface Field {
  /** The JSON name. */
  name: string;
  type: FieldType;
  /** A list (`repeated`); scalar lists may be packed. */
  repeated?: boolean;
  /** Keep the zero value when present (pointer fields and fields without `omitempty`). */
  keep?: boolean;
  /** An embedded Go struct: its fields are merged into the parent object. */
  inline?: boolean;
}

/** A message: its fields by number. */
export interface Schema {
  [fieldNumber: number]: Field;
}

/** Options of a field, combined with spread: `{ ...REP, ...KEEP }`. */
export type FieldOptions = Pick<Field, "repeated" | "keep" | "inline">;

/** A `repeated` field. */
export const REP: FieldOptions = { repeated: true };
/** A field whose zero value is kept (a pointer, or a field without `omitempty`). */
export const KEEP: FieldOptions = { keep: true };
/** An embedded struct whose fields are inlined into the parent. */
export const INLINE: FieldOptions = { inline: true };

const field = (name: string, type: FieldType, options: FieldOptions = {}): Field => ({
  name,
  type,
  ...options,
});

/** A string field. */
export const str = (name: string, o?: FieldOptions): Field => field(name, "string", o);
/** A bytes field (base64 in JSON). */
export const bytes = (name: string, o?: FieldOptions): Field => field(name, "bytes", o);
/** A bool field. */
export const bool = (name: string, o?: FieldOptions): Field => field(name, "bool", o);
/** An int32 or int64 field (a varint; negative values are sign-extended to 64 bits). */
export const int = (name: string, o?: FieldOptions): Field => field(name, "int", o);
/** A `resource.Quantity`. */
export const quantity = (name: string, o?: FieldOptions): Field => field(name, "quantity", o);
/** An `intstr.IntOrString`. */
export const intOrString = (name: string, o?: FieldOptions): Field => field(name, "intOrString", o);
/** A `metav1.Time`. */
export const time = (name: string, o?: FieldOptions): Field => field(name, "time", o);
/** A message field. */
export const msg = (name: string, schema: Schema, o?: FieldOptions): Field =>
  field(name, schema, o);
/** A map from string to the given value type. */
export const mapOf = (name: string, value: FieldType): Field => field(name, { map: value });
/** A `map<string,string>` field. */
export const strMap = (name: string): Field => mapOf(name, "string");

/** The message `{name=1}` of `LocalObjectReference`. */
export const LOCAL_OBJECT_REFERENCE: Schema = { 1: str("name") };
