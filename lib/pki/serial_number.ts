/**
 * Certificate serial numbers: 16 random bytes, positive and without a leading zero
 * byte, written as upper-case hex the way OpenSSL's `index.txt` and `certs_by_serial/`
 * name them.
 *
 * @example
 * ```ts
 * randomSerialNumber(); // "5F0C2A…" (32 hex digits)
 * ```
 *
 * @module
 */

/** A fresh random serial number as 32 upper-case hex digits. */
export function randomSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x10; // positive, and no leading zero nibble
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}
