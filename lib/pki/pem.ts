/**
 * PEM armour: finding the blocks in a text and writing DER back out as PEM.
 *
 * @example
 * ```ts
 * const blocks = parsePem(text); // [{ label: "CERTIFICATE", headers: {}, der: Uint8Array }]
 * const pem = toPem("PRIVATE KEY", der); // "-----BEGIN PRIVATE KEY-----\n…"
 * ```
 *
 * @module
 */

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `PRIVATE KEY`, `EC PRIVATE KEY`. */
  label: string;
  /** RFC 1421 headers such as `Proc-Type` (present on legacy encrypted keys). */
  headers: Record<string, string>;
  /** The decoded body. */
  der: Uint8Array;
}

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Finds every PEM block in `text`, in order; throws if a block's body is not base64. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const headers: Record<string, string> = {};
    const bodyLines: string[] = [];
    for (const raw of m[2].split(/\r?\n/)) {
      const line = raw.trim();
      if (line === "") continue;
      const h = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
      if (h && bodyLines.length === 0) headers[h[1]] = h[2];
      else bodyLines.push(line);
    }
    blocks.push({ label: m[1], headers, der: decodeBase64(bodyLines.join("")) });
  }
  return blocks;
}

/** The first block with one of `labels`, or undefined. */
export function findPemBlock(text: string, labels: string[]): PemBlock | undefined {
  return parsePem(text).find((b) => labels.includes(b.label));
}

/** Writes `der` as a PEM block with 64-character lines and a final newline. */
export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = encodeBase64(der instanceof Uint8Array ? der : new Uint8Array(der));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function decodeBase64(b64: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error("PEM body is not base64");
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}
