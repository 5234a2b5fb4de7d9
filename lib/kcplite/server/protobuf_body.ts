/**
 * Decodes the Kubernetes protobuf bodies that kubectl's typed generators send
 * (Content-Type `application/vnd.kubernetes.protobuf`) into their JSON form. The envelope is
 * the magic `k8s\0` followed by a `runtime.Unknown` message {typeMeta=1, raw=2,
 * contentEncoding=3, contentType=4} whose `raw` field holds the object.
 *
 * Only the kinds of `protobuf_schemas.ts` are understood; any other kind is a 415. Nothing
 * is dropped silently: a field number the kind's schema does not describe is a 415 too,
 * naming the kind, the field number and where it was, with a hint to send JSON instead.
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";
import { PROTOBUF_KINDS } from "./protobuf_schemas.ts";
import type { FieldType, Schema } from "./protobuf_schemas_types.ts";

/** The protobuf media type of Kubernetes. */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const SEND_JSON_HINT = "send the object as JSON instead, e.g. " +
  "`kubectl create … --dry-run=client -o yaml | kubectl create -f -`";

/** A field number that the schema of the message at `path` does not describe. */
class UnknownFieldError extends Error {
  constructor(readonly fieldNumber: number, readonly path: string) {
    super(`unknown field ${fieldNumber} in ${path || "the object"}`);
  }
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.at >= this.bytes.length;
  }
  /** A varint used as a tag or length (small, non-negative). */
  varint(): number {
    const n = this.bigVarint();
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("varint out of range");
    return Number(n);
  }
  /** A full 64-bit varint, unsigned. */
  bigVarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.done) throw new Error("truncated varint");
      const b = this.bytes[this.at++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error("varint too long");
    }
  }
  chunk(): Uint8Array {
    const len = this.varint();
    if (this.at + len > this.bytes.length) throw new Error("truncated field");
    const out = this.bytes.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
}

const text = new TextDecoder("utf-8", { fatal: true });

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** int32/int64 fields: negative values arrive sign-extended to 64 bits. */
function signed(n: bigint): number {
  return Number(BigInt.asIntN(64, n));
}

/** RFC 3339 at second precision, as `metav1.Time` is written in JSON. */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isScalarVarint(type: FieldType): boolean {
  return type === "int" || type === "bool";
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

const QUANTITY: Schema = { 1: { name: "string", type: "string", keep: true } };
const INT_OR_STRING: Schema = {
  1: { name: "type", type: "int", keep: true },
  2: { name: "intVal", type: "int", keep: true },
  3: { name: "strVal", type: "string", keep: true },
};
const TIME: Schema = {
  1: { name: "seconds", type: "int", keep: true },
  2: { name: "nanos", type: "int", keep: true },
};
const RAW_JSON: Schema = { 1: { name: "raw", type: "string", keep: true } };

/** Reads one value of a non-map type; `undefined` for an empty `metav1.Time`. */
function readValue(r: Reader, type: FieldType, path: string): unknown {
  if (type === "int") return signed(r.bigVarint());
  if (type === "bool") return r.bigVarint() !== 0n;
  const bytes = r.chunk();
  switch (type) {
    case "string":
      return text.decode(bytes);
    case "bytes":
      return base64(bytes);
    case "quantity":
      return decodeMessage(bytes, QUANTITY, path).string ?? "0";
    case "intOrString": {
      const v = decodeMessage(bytes, INT_OR_STRING, path);
      return v.type === 1 ? v.strVal ?? "" : v.intVal ?? 0;
    }
    case "time": {
      const t = decodeMessage(bytes, TIME, path);
      return t.seconds === undefined && t.nanos === undefined
        ? undefined
        : rfc3339(Number(t.seconds ?? 0));
    }
    case "json": {
      const raw = decodeMessage(bytes, RAW_JSON, path).raw as string | undefined;
      return raw ? JSON.parse(raw) : undefined;
    }
  }
  if ("map" in type) throw new Error(`a map inside a map at ${path}`);
  return decodeMessage(bytes, type as Schema, path);
}

/** The JSON value of a map entry that has no value on the wire. */
function zeroOf(type: FieldType): unknown {
  if (type === "string" || type === "bytes") return "";
  if (type === "int" || type === "intOrString") return 0;
  if (type === "bool") return false;
  if (type === "quantity") return "0";
  if (type === "time" || type === "json") return null;
  return {};
}

function readMapEntry(bytes: Uint8Array, valueType: FieldType, path: string): [string, unknown] {
  const entry = decodeMessage(bytes, {
    1: { name: "key", type: "string", keep: true },
    2: { name: "value", type: valueType, keep: true },
  }, path);
  return [String(entry.key ?? ""), entry.value ?? zeroOf(valueType)];
}

/** Decodes one message by its schema into the JSON form. */
function decodeMessage(bytes: Uint8Array, schema: Schema, path: string): Record<string, unknown> {
  const r = new Reader(bytes);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = r.varint();
    const fieldNumber = Math.floor(tag / 8);
    const wire = tag % 8;
    const field = schema[fieldNumber];
    if (!field) throw new UnknownFieldError(fieldNumber, path);
    const at = field.inline ? path : path ? `${path}.${field.name}` : field.name;
    const type = field.type;
    if (field.repeated && wire === WIRE_LENGTH_DELIMITED && isScalarVarint(type)) {
      const packed = new Reader(r.chunk());
      const list = (out[field.name] ??= []) as unknown[];
      while (!packed.done) list.push(readValue(packed, type, at));
      continue;
    }
    const expected = isScalarVarint(type) ? WIRE_VARINT : WIRE_LENGTH_DELIMITED;
    if (wire !== expected) throw new Error(`field ${fieldNumber} of ${at} has wire type ${wire}`);
    if (typeof type === "object" && "map" in type) {
      const [key, value] = readMapEntry(r.chunk(), type.map, at);
      ((out[field.name] ??= {}) as Record<string, unknown>)[key] = value;
      continue;
    }
    const value = readValue(r, type, at);
    if (field.inline) Object.assign(out, value);
    else if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else if (value !== undefined && (field.keep || !isZero(value))) out[field.name] = value;
  }
  return out;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function decodeEnvelope(bytes: Uint8Array): Envelope {
  const r = new Reader(bytes);
  const envelope: Envelope = {
    apiVersion: "",
    kind: "",
    raw: new Uint8Array(),
    contentEncoding: "",
  };
  while (!r.done) {
    const tag = r.varint();
    if (tag % 8 !== WIRE_LENGTH_DELIMITED) {
      throw new Error(`envelope field ${tag >> 3} is not bytes`);
    }
    const value = r.chunk();
    switch (tag >> 3) {
      case 1: {
        const typeMeta = decodeMessage(value, {
          1: { name: "apiVersion", type: "string" },
          2: { name: "kind", type: "string" },
        }, "typeMeta");
        envelope.apiVersion = String(typeMeta.apiVersion ?? "");
        envelope.kind = String(typeMeta.kind ?? "");
        break;
      }
      case 2:
        envelope.raw = value;
        break;
      case 3:
        envelope.contentEncoding = text.decode(value);
        break;
    }
  }
  return envelope;
}

function malformed(e: unknown): StatusError {
  return StatusError.badRequest(`malformed protobuf body: ${(e as Error).message}`);
}

/**
 * Decodes a protobuf body into a JSON object. Throws 400 for a malformed body, 415 for a
 * kind kcp-lite does not decode and for a field number its schema does not describe.
 */
export function decodeProtobufObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length < 4 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw StatusError.badRequest("the protobuf body does not start with the Kubernetes magic");
  }
  let envelope: Envelope;
  try {
    envelope = decodeEnvelope(bytes.subarray(4));
  } catch (e) {
    throw malformed(e);
  }
  const { apiVersion, kind } = envelope;
  const schema = PROTOBUF_KINDS[`${apiVersion}/${kind}`];
  if (!schema || envelope.contentEncoding !== "") {
    const what = envelope.contentEncoding ? `${envelope.contentEncoding}-encoded ` : "";
    throw StatusError.unsupportedMediaType(
      `${PROTOBUF_MEDIA_TYPE} for ${what}${apiVersion} ${kind}; ${SEND_JSON_HINT}`,
    );
  }
  try {
    return { apiVersion, kind, ...decodeMessage(envelope.raw, schema, "") };
  } catch (e) {
    if (!(e instanceof UnknownFieldError)) throw malformed(e);
    throw new StatusError(
      415,
      "UnsupportedMediaType",
      `the protobuf body of ${apiVersion} ${kind} has field number ${e.fieldNumber} in ` +
        `${e.path || "the object"}, which kcp-lite does not decode (it would be lost); ` +
        SEND_JSON_HINT,
    );
  }
}
