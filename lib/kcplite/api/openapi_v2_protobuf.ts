/**
 * `/openapi/v2` as protobuf: the Swagger 2.0 document encoded as gnostic's
 * `openapi.v2.Document` message, which is all client-go's `OpenAPISchema()` accepts
 * (kubectl and helm ask for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
 * and parse the answer as protobuf; JSON fails there). Only the parts kcp-lite's documents
 * use are encoded: info, paths with their operations, parameters and responses, and
 * definitions with their schemas and vendor extensions (values as YAML, which JSON is).
 *
 * A few dozen lines of protobuf writing for one fixed message family did not justify a
 * protobuf library and an embedded copy of gnostic's `.proto`.
 *
 * @module
 */

type Json = Record<string, unknown>;

const encoder = new TextEncoder();
/** One-byte varints, shared (most tags and lengths). */
const SMALL = Array.from({ length: 0x80 }, (_, i) => Uint8Array.of(i));

/**
 * Protobuf wire writer: parts (bytes or nested writers) are kept and written out once by
 * `finish`, so nesting copies nothing.
 */
class Writer {
  #parts: (Uint8Array | Writer)[] = [];
  length = 0;

  #push(b: Uint8Array | Writer): void {
    this.#parts.push(b);
    this.length += b.length;
  }

  #varint(n: number): void {
    if (n < 0x80) return this.#push(SMALL[n]);
    const out: number[] = [];
    let v = n;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wire: number): void {
    this.#varint(field * 8 + wire);
  }

  string(field: number, s: unknown): this {
    if (typeof s !== "string" || s === "") return this;
    return this.bytes(field, encoder.encode(s));
  }

  strings(field: number, list: unknown): this {
    if (Array.isArray(list)) { for (const s of list) this.bytes(field, encoder.encode(String(s))); }
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(b.length);
    this.#push(b);
    return this;
  }

  bool(field: number, v: unknown): this {
    if (v !== true) return this;
    this.#tag(field, 0);
    this.#varint(1);
    return this;
  }

  int(field: number, v: unknown): this {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return this;
    this.#tag(field, 0);
    this.#varint(v);
    return this;
  }

  double(field: number, v: unknown): this {
    if (typeof v !== "number") return this;
    this.#tag(field, 1);
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, v, true);
    this.#push(new Uint8Array(buf.buffer));
    return this;
  }

  message(field: number, w: Writer | undefined): this {
    if (!w) return this;
    this.#tag(field, 2);
    this.#varint(w.length);
    this.#push(w);
    return this;
  }

  #writeTo(out: Uint8Array, at: number): number {
    for (const part of this.#parts) {
      if (part instanceof Writer) at = part.#writeTo(out, at);
      else {
        out.set(part, at);
        at += part.length;
      }
    }
    return at;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.#writeTo(out, 0);
    return out;
  }
}

/** `Any{yaml}`: JSON text is YAML. */
function any(value: unknown): Writer {
  return new Writer().string(2, JSON.stringify(value));
}

function named(name: string, field: number, value: Writer): Writer {
  return new Writer().string(1, name).message(field, value);
}

/** Vendor extensions (`x-…` keys) as repeated NamedAny at `field`. */
function extensions(w: Writer, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith("x-")) w.message(field, named(k, 2, any(v)));
  }
}

function schema(s: Json): Writer {
  const w = new Writer()
    .string(1, s.$ref)
    .string(2, s.format)
    .string(3, s.title)
    .string(4, s.description);
  if (s.default !== undefined) w.message(5, any(s.default));
  w.double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum)
    .bool(10, s.exclusiveMinimum).int(11, s.maxLength).int(12, s.minLength).string(13, s.pattern)
    .int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems)
    .int(17, s.maxProperties).int(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) { for (const e of s.enum) w.message(20, any(e)); }
  const ap = s.additionalProperties;
  if (typeof ap === "boolean") w.message(21, new Writer().bool(2, ap));
  else if (ap && typeof ap === "object") w.message(21, new Writer().message(1, schema(ap as Json)));
  if (s.type !== undefined) {
    w.message(22, new Writer().strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  }
  if (s.items && typeof s.items === "object") {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    const iw = new Writer();
    for (const i of items) iw.message(1, schema(i as Json));
    w.message(23, iw);
  }
  if (Array.isArray(s.allOf)) { for (const a of s.allOf) w.message(24, schema(a as Json)); }
  if (s.properties && typeof s.properties === "object") {
    const pw = new Writer();
    for (const [k, v] of Object.entries(s.properties as Record<string, Json>)) {
      pw.message(1, named(k, 2, schema(v)));
    }
    w.message(25, pw);
  }
  extensions(w, 31, s);
  return w;
}

function parameter(p: Json): Writer {
  if (p.in === "body") {
    const body = new Writer().string(1, p.description).string(2, p.name).string(3, p.in)
      .bool(4, p.required);
    if (p.schema) body.message(5, schema(p.schema as Json));
    return new Writer().message(1, new Writer().message(1, body));
  }
  const path = p.in === "path";
  // QueryParameterSubSchema (3) and PathParameterSubSchema (4) differ from field 5 on
  const sub = new Writer().bool(1, p.required).string(2, p.in).string(3, p.description)
    .string(4, p.name);
  if (path) sub.string(5, p.type).bool(19, p.uniqueItems);
  else sub.string(6, p.type).bool(20, p.uniqueItems);
  const nonBody = new Writer().message(path ? 4 : 3, sub);
  return new Writer().message(1, new Writer().message(2, nonBody));
}

function operation(op: Json): Writer {
  const w = new Writer().strings(1, op.tags).string(2, op.summary).string(3, op.description)
    .string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(8, parameter(p));
  const rw = new Writer();
  for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
    const resp = new Writer().string(1, r.description);
    if (r.schema) resp.message(2, new Writer().message(1, schema(r.schema as Json)));
    rw.message(1, named(code, 2, new Writer().message(1, resp)));
  }
  w.message(9, rw).strings(10, op.schemes).bool(11, op.deprecated);
  extensions(w, 13, op);
  return w;
}

const OPERATION_FIELDS: [string, number][] = [
  ["get", 2],
  ["put", 3],
  ["post", 4],
  ["delete", 5],
  ["options", 6],
  ["head", 7],
  ["patch", 8],
];

function pathItem(item: Json): Writer {
  const w = new Writer();
  for (const [verb, field] of OPERATION_FIELDS) {
    if (item[verb]) w.message(field, operation(item[verb] as Json));
  }
  for (const p of (item.parameters as Json[] | undefined) ?? []) w.message(9, parameter(p));
  extensions(w, 10, item);
  return w;
}

/** The protobuf encoding (gnostic `openapi.v2.Document`) of a Swagger 2.0 document. */
export function encodeOpenApiV2(doc: Json): Uint8Array {
  const info = (doc.info ?? {}) as Json;
  const w = new Writer().string(1, doc.swagger)
    .message(2, new Writer().string(1, info.title).string(2, info.version));
  const paths = new Writer();
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    paths.message(2, named(p, 2, pathItem(item)));
  }
  w.message(8, paths);
  const defs = new Writer();
  for (const [name, s] of Object.entries((doc.definitions ?? {}) as Record<string, Json>)) {
    defs.message(1, named(name, 2, schema(s)));
  }
  w.message(9, defs);
  return w.finish();
}
