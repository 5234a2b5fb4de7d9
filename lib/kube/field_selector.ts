/**
 * Kubernetes field selectors (`?fieldSelector=`, `kubectl --field-selector`): comma-joined
 * terms `field=value`, `field==value` or `field!=value`. In values, `\,`, `\=` and `\\` escape
 * the separator characters.
 *
 * Which fields exist is up to the server (`metadata.name`, `metadata.namespace`, plus a few
 * per type); this module only parses and matches against a flat field map.
 *
 * @example
 * ```ts
 * const sel = parseFieldSelector("metadata.name=web,metadata.namespace!=kube-system");
 * sel.matches({ "metadata.name": "web", "metadata.namespace": "default" }); // true
 * ```
 *
 * @module
 */
import { SelectorError } from "./label_selector.ts";

export { SelectorError };

/** One term of a field selector. */
export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** A compiled field selector. */
export interface FieldSelector {
  /** The terms, in the order written. */
  readonly requirements: FieldRequirement[];
  /** True when there are no terms (matches everything). */
  readonly empty: boolean;
  /** True when every term holds; a missing field counts as the empty string. */
  matches(fields: Record<string, string>): boolean;
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    if (escaped) {
      escaped = false;
    } else if (text[i] === "\\") {
      escaped = true;
    } else if (text[i] === ",") {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

const OPERATORS = ["!=", "==", "="] as const;

/** Splits a term at its first unescaped operator. */
function splitTerm(term: string): [string, (typeof OPERATORS)[number], string] | undefined {
  let escaped = false;
  for (let i = 0; i < term.length; i++) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (term[i] === "\\") {
      escaped = true;
      continue;
    }
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Removes the escapes of a value; rejects unknown escapes and bare `,`/`=`. */
export function unescapeFieldValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\") {
      const n = value[i + 1];
      if (n === "\\" || n === "," || n === "=") {
        out += n;
        i++;
      } else {
        throw new SelectorError(
          `invalid field selector: invalid escape sequence: \\${n ?? ""}`,
        );
      }
    } else if (c === "," || c === "=") {
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Escapes `\`, `,` and `=` in a value so it can be placed in a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Parses a field selector string. Throws SelectorError on a term without an operator. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(text)) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (!split) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, raw] = split;
    requirements.push({
      field,
      operator: op === "!=" ? "!=" : "=",
      value: unescapeFieldValue(raw),
    });
  }
  return fieldSelectorFromRequirements(requirements);
}

/** Builds a selector from terms. */
export function fieldSelectorFromRequirements(requirements: FieldRequirement[]): FieldSelector {
  const reqs = requirements.map((r) => ({ ...r }));
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches(fields: Record<string, string>): boolean {
      return reqs.every((r) => {
        const have = Object.hasOwn(fields, r.field) ? fields[r.field] : "";
        return r.operator === "=" ? have === r.value : have !== r.value;
      });
    },
  };
}

/** The canonical string form of a selector (values escaped). */
export function fieldSelectorString(sel: FieldSelector): string {
  return sel.requirements
    .map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`)
    .join(",");
}
