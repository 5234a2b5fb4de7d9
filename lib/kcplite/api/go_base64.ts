/**
 * Where Go's `base64.StdEncoding` (padded, newlines skipped) rejects a string, in its own
 * words: `illegal base64 data at input byte N`. Kubernetes decodes `[]byte` fields (Secret
 * `data`, ConfigMap `binaryData`) with it, so this is what a client sees for bad data.
 *
 * @example
 * ```ts
 * base64Problem("aGVsbG8="); // undefined
 * base64Problem("not base64"); // "illegal base64 data at input byte 3"
 * ```
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALID = new Set(ALPHABET);

function corrupt(at: number): string {
  return `illegal base64 data at input byte ${at}`;
}

const isNewline = (c: string) => c === "\n" || c === "\r";

/** Go's error for `s`, or undefined when it decodes. */
export function base64Problem(s: string): string | undefined {
  let si = 0;
  for (;;) {
    // one quantum of four characters, as Go's decodeQuantum
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return corrupt(si - j);
      }
      const c = s[si++];
      if (VALID.has(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== "=") return corrupt(si - 1);
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return corrupt(s.length);
        if (s[si] !== "=") return corrupt(si - 1);
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      if (si < s.length) return corrupt(si);
      return undefined;
    }
  }
}
