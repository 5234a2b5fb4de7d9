/**
 * Quoting words for a POSIX shell, only where needed, so that `eval` (or `$(…)` inside
 * `eval pieces=(…)`) yields exactly the original words.
 *
 * @example
 * ```ts
 * shellQuote("/tmp/pki/ca.crt"); // "/tmp/pki/ca.crt"
 * shellQuote("/tmp/my dir/ca.crt"); // "'/tmp/my dir/ca.crt'"
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 *
 * @module
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `word` as it must be written in a shell command to mean itself. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return "'" + word.replaceAll("'", "'\\''") + "'";
}
