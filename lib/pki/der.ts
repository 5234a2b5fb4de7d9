/**
 * A minimal DER reader and writer: just enough ASN.1 to unwrap and re-wrap private keys
 * (PKCS#1, SEC1, PKCS#8) without pulling in a full ASN.1 library.
 *
 * @example
 * ```ts
 * const seq = derSequence(derInteger0(), derOctetString(new Uint8Array([1])));
 * const top = readDer(seq, 0); // { offset: 0, tag: 0x30, start: 2, end: 8 }
 * ```
 *
 * @module
 */

/** One decoded tag-length-value element. */
export interface DerElement {
  /** Offset of the identifier octet. */
  offset: number;
  /** The identifier octet (0x30 = SEQUENCE, 0x02 = INTEGER, 0x04 = OCTET STRING, …). */
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** DER tags used by key formats. */
export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

/** Reads the element that starts at `offset`; throws on truncated or non-DER input. */
export function readDer(bytes: Uint8Array, offset: number): DerElement {
  if (offset + 2 > bytes.length) throw new Error("truncated DER element");
  const tag = bytes[offset];
  let pos = offset + 1;
  let len = bytes[pos++];
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4 || pos + count > bytes.length) {
      throw new Error("unsupported DER length");
    }
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + bytes[pos++];
  }
  if (pos + len > bytes.length) throw new Error("truncated DER element");
  return { offset, tag, start: pos, end: pos + len };
}

/** Reads the direct children of a constructed element. */
export function readChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let pos = parent.start;
  while (pos < parent.end) {
    const child = readDer(bytes, pos);
    children.push(child);
    pos = child.end;
  }
  return children;
}

/** The content bytes of an element. */
export function derContent(bytes: Uint8Array, el: DerElement): Uint8Array {
  return bytes.subarray(el.start, el.end);
}

/** The whole encoding (tag, length and content) of an element. */
export function derEncoding(bytes: Uint8Array, el: DerElement): Uint8Array {
  return bytes.subarray(el.offset, el.end);
}

/** Encodes one element from its tag and content. */
export function derEncode(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const lenBytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) lenBytes.unshift(n & 0xff);
    header = [tag, 0x80 | lenBytes.length, ...lenBytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

/** A SEQUENCE of already encoded elements. */
export function derSequence(...items: Uint8Array[]): Uint8Array {
  const total = items.reduce((n, i) => n + i.length, 0);
  const content = new Uint8Array(total);
  let off = 0;
  for (const item of items) {
    content.set(item, off);
    off += item.length;
  }
  return derEncode(DER_TAG.SEQUENCE, content);
}

/** The INTEGER 0 (the version field of PKCS#8). */
export function derInteger0(): Uint8Array {
  return new Uint8Array([DER_TAG.INTEGER, 1, 0]);
}

/** An OCTET STRING. */
export function derOctetString(content: Uint8Array): Uint8Array {
  return derEncode(DER_TAG.OCTET_STRING, content);
}

/** Encodes a dotted object identifier (`1.2.840.10045.2.1`). */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map((s) => Number(s));
  const body: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) {
      chunk.unshift((n & 0x7f) | 0x80);
    }
    body.push(...chunk);
  }
  return derEncode(DER_TAG.OID, new Uint8Array(body));
}

/** Decodes the content of an OBJECT IDENTIFIER to its dotted form. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new Error("empty OID");
  const arcs: number[] = [];
  const first = content[0];
  const a0 = first < 40 ? 0 : first < 80 ? 1 : 2;
  arcs.push(a0, first - a0 * 40);
  let value = 0;
  for (const b of content.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}
