/**
 * The hash-derived names kcp uses: 16-character logical cluster ids, base62 sha224
 * digests (APIBinding names and export labels), shard hashes and random suffixes.
 *
 * @module
 */
import { createHash } from "node:crypto";

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function sha224(text: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha224").update(text).digest());
}

function encode(bytes: Uint8Array, alphabet: string): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  const base = BigInt(alphabet.length);
  let out = "";
  while (n > 0n) {
    out = alphabet[Number(n % base)] + out;
    n /= base;
  }
  return out || "0";
}

/** Lowercase base36 of sha224 of the text. */
export function base36Sha224(text: string | Uint8Array): string {
  return encode(sha224(text), BASE36);
}

/** base62 of sha224 of the text (kcp's `ToBase62(sha224(...))`). */
export function base62Sha224(text: string): string {
  return encode(sha224(text), BASE62);
}

/** A new logical cluster id: 16 lowercase base36 characters from sha224 of random bytes. */
export function newLogicalClusterId(): string {
  for (;;) {
    const id = base36Sha224(crypto.getRandomValues(new Uint8Array(32))).slice(0, 16);
    if (id.length === 16) return id;
  }
}

/** `n` random lowercase alphanumerics without vowels-ish ambiguity (like Kubernetes' suffixes). */
export function randomSuffix(n = 5): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** The name of a default APIBinding: `<export>-<first 5 of lowercased base62 sha224>`. */
export function defaultBindingName(clusterId: string, path: string, exportName: string): string {
  return `${exportName}-${
    base62Sha224(`${clusterId}|${path}|${exportName}`).toLowerCase().slice(0, 5)
  }`;
}
