/**
 * A compact fingerprint of a projected object, so a mailbox writer remembers what it
 * last wrote in 16 characters instead of the object's whole canonical JSON: two
 * independent 32-bit hashes (FNV-1a and a multiply-xorshift one) of the canonical
 * text, 64 bits together. A wrongly equal fingerprint would only skip one write; at
 * 64 bits that is about one chance in 10^19 per change.
 *
 * @example
 * ```ts
 * contentHash(canonicalJson(form)); // "9e3c0d1f5a2b7c44"
 * ```
 *
 * @module
 */

/** The 64-bit fingerprint of `text`, as 16 hex digits. */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
