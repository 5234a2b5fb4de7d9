/**
 * Quoting words for bash, only where needed, so that `eval pieces=($(…))` yields exactly
 * the original words.
 *
 * `$(…)` output is split on whitespace before `eval` re-joins it with single spaces, so
 * a single-quoted word survives only if its whitespace is lone spaces. Words with tabs,
 * newlines, runs of spaces or control characters are written in bash's `$'…'` form with
 * every such character escaped, so the output line holds no whitespace to split on.
 *
 * @example
 * ```ts
 * shellQuote("/tmp/pki/ca.crt"); // "/tmp/pki/ca.crt"
 * shellQuote("/tmp/my dir/ca.crt"); // "'/tmp/my dir/ca.crt'"
 * shellQuote("it's"); // "'it'\\''s'"
 * shellQuote("a\tb"); // "$'a\\x09b'"
 * ```
 *
 * @module
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
// deno-lint-ignore no-control-regex
const NEEDS_ANSI_C = /[\x00-\x1f\x7f]|\s\s|[^\S ]/;

/** `word` as it must be written for bash to mean itself, even after word splitting. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  if (!NEEDS_ANSI_C.test(word)) return "'" + word.replaceAll("'", "'\\''") + "'";
  let body = "";
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === "'") body += "\\" + ch;
    else if (code < 0x20 || code === 0x7f || /\s/.test(ch)) {
      body += code <= 0xff
        ? "\\x" + code.toString(16).padStart(2, "0")
        : `\\u${code.toString(16).padStart(4, "0")}`;
    } else body += ch;
  }
  return "$'" + body + "'";
}
