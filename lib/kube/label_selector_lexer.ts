/**
 * Tokenizer for the Kubernetes label selector string syntax (apimachinery's `labels` lexer):
 * identifiers are runs of characters that are neither whitespace nor one of `=!(),<>`;
 * symbols are read greedily as the longest known operator.
 *
 * @example
 * ```ts
 * tokenize("a in (x)").map((t) => t.kind); // ["id", "in", "(", "id", ")", "end"]
 * ```
 *
 * @module
 */

/** A requirement operator; `exists` has no token of its own and `!` doubles as "does not exist". */
export type Operator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

/** Kinds of token. */
export type TokenKind =
  | "id"
  | "in"
  | "notin"
  | "="
  | "=="
  | "!="
  | "!"
  | "gt"
  | "lt"
  | "("
  | ")"
  | ","
  | "error"
  | "end";

/** One token with its source text. */
export interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: Record<string, TokenKind> = {
  "=": "=",
  "==": "==",
  "!=": "!=",
  "!": "!",
  "(": "(",
  ")": ")",
  ",": ",",
  ">": "gt",
  "<": "lt",
};

const SPECIAL = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

/** Splits a selector string into tokens; the last token is always `end`. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SPECIAL.has(ch)) {
      let buf = "";
      let last: Token | undefined;
      while (i < text.length && SPECIAL.has(text[i])) {
        const next = buf + text[i];
        if (SYMBOLS[next]) {
          buf = next;
          last = { kind: SYMBOLS[next], text: next };
          i++;
        } else if (last) {
          break;
        } else {
          buf = next;
          i++;
        }
      }
      out.push(last ?? { kind: "error", text: `error expected: keyword found '${buf}'` });
    } else {
      let j = i;
      while (j < text.length && !WHITESPACE.has(text[j]) && !SPECIAL.has(text[j])) j++;
      const word = text.slice(i, j);
      out.push({ kind: word === "in" ? "in" : word === "notin" ? "notin" : "id", text: word });
      i = j;
    }
  }
  out.push({ kind: "end", text: "" });
  return out;
}
