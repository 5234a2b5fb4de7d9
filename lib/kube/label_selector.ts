/**
 * Kubernetes label selectors: the string syntax of `?labelSelector=` / `kubectl -l`, and the
 * structured `metav1.LabelSelector` used by objects (EdgePlacement, Deployments, …).
 *
 * String syntax: comma-joined requirements `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`; `""` matches everything.
 *
 * @example
 * ```ts
 * parseLabelSelector("env in (prod,qa),!legacy").matches({ env: "qa" }); // true
 * labelSelectorFromObject({ matchLabels: { app: "web" } }).matches({ app: "web" }); // true
 * labelSelectorFromObject(undefined).matches({}); // false
 * ```
 *
 * @module
 */
import { validateLabelValue, validateQualifiedName } from "./names.ts";
import { type Operator, type Token, tokenize } from "./label_selector_lexer.ts";

/** A set of labels. */
export type Labels = Record<string, string>;

/** One `matchExpressions` entry of a `metav1.LabelSelector`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** `metav1.LabelSelector`. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A compiled selector. */
export interface Selector {
  /** True when the labels satisfy every requirement. */
  matches(labels: Labels | undefined): boolean;
  /** True when the selector has no requirements (matches everything). */
  readonly empty: boolean;
  /** The canonical string form (requirements sorted by key). */
  toString(): string;
  /** Its requirements, sorted by key (absent on `NOTHING`). */
  readonly requirements?: readonly Requirement[];
}

/** Thrown for a selector that does not parse or holds invalid keys or values. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectorError";
  }
}

/** One requirement of a compiled selector. */
export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

class RequirementSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(requirements: Requirement[]) {
    this.requirements = [...requirements].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0
    );
  }
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Labels | undefined): boolean {
    const ls = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, ls));
  }
  toString(): string {
    return this.requirements.map(requirementString).join(",");
  }
}

/** Matches every label set. */
export const EVERYTHING: Selector = new RequirementSelector([]);

/** Matches no label set (a nil `metav1.LabelSelector`). */
export const NOTHING: Selector = Object.freeze({
  empty: false,
  matches: () => false,
  toString: () => "",
});

function has(labels: Labels, key: string): boolean {
  return Object.hasOwn(labels, key);
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has(labels, r.key) && r.values.includes(labels[r.key]);
    case "notin":
    case "!=":
      return !has(labels, r.key) || !r.values.includes(labels[r.key]);
    case "exists":
      return has(labels, r.key);
    case "!":
      return !has(labels, r.key);
    case "gt":
    case "lt": {
      if (!has(labels, r.key) || !/^[-+]?\d+$/.test(labels[r.key])) return false;
      const have = BigInt(labels[r.key]);
      const want = BigInt(r.values[0]);
      return r.operator === "gt" ? have > want : have < want;
    }
  }
}

function requirementString(r: Requirement): string {
  const values = [...r.values].sort();
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${values.join(",")})`;
    case "gt":
      return `${r.key}>${values[0]}`;
    case "lt":
      return `${r.key}<${values[0]}`;
    default:
      return `${r.key}${r.operator}${values[0] ?? ""}`;
  }
}

/** Formats a value the way Go's `%#v` / `%q` do in `field.Invalid` messages. */
function goValue(v: string | string[]): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v.length === 0) return "[]string(nil)";
  return `[]string{${v.map((s) => JSON.stringify(s)).join(", ")}}`;
}

function invalid(path: string, value: string | string[], detail: string): string {
  return `${path}: Invalid value: ${goValue(value)}: ${detail}`;
}

function keyError(key: string, path: string): string | undefined {
  const errs = validateQualifiedName(key);
  return errs.length ? invalid(path, key, errs.join("; ")) : undefined;
}

/**
 * Builds and validates one requirement (apimachinery's `labels.NewRequirement`); throws
 * SelectorError listing every problem.
 */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const ke = keyError(key, "key");
  if (ke) errs.push(ke);
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) {
        errs.push(
          invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) {
        errs.push(invalid("values", values, "exact-match compatibility requires one single value"));
      }
      break;
    case "exists":
    case "!":
      if (values.length !== 0) {
        errs.push(
          invalid("values", values, "values set must be empty for exists and does not exist"),
        );
      }
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) {
        errs.push(
          invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      values.forEach((v, i) => {
        if (!/^[-+]?\d+$/.test(v)) {
          errs.push(
            invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const ve = validateLabelValue(v);
    if (ve.length) errs.push(invalid(`values[${i}][${key}]`, v, ve.join("; ")));
  });
  if (errs.length === 1) throw new SelectorError(errs[0]);
  if (errs.length > 1) throw new SelectorError(`[${errs.join(", ")}]`);
  return { key, operator, values: [...values] };
}

/** Builds a selector from already-validated requirements. */
export function selectorFromRequirements(requirements: Requirement[]): Selector {
  return new RequirementSelector(requirements);
}

/**
 * Parses the Kubernetes selector string syntax. Throws SelectorError with apimachinery's
 * message on bad syntax or invalid keys/values.
 */
export function parseLabelSelector(text: string): Selector {
  return new RequirementSelector(new Parser(tokenize(text)).parse());
}

const BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

class Parser {
  #pos = 0;
  constructor(readonly tokens: Token[]) {}

  /** Keywords `in`/`notin` read as identifiers where a key or value is expected. */
  #peek(asValue: boolean): Token {
    const t = this.tokens[this.#pos];
    if (asValue && (t.kind === "in" || t.kind === "notin")) return { ...t, kind: "id" };
    return t;
  }
  #next(asValue: boolean): Token {
    const t = this.#peek(asValue);
    if (t.kind !== "end") this.#pos++;
    return t;
  }

  parse(): Requirement[] {
    const out: Requirement[] = [];
    for (;;) {
      const t = this.#peek(true);
      if (t.kind === "end") return out;
      if (t.kind !== "id" && t.kind !== "!") {
        throw new SelectorError(
          `found '${t.text}', expected: !, identifier, or 'end of string'`,
        );
      }
      try {
        out.push(this.#requirement());
      } catch (e) {
        if (e instanceof SelectorError) {
          throw new SelectorError(`unable to parse requirement: ${e.message}`);
        }
        throw e;
      }
      const after = this.#next(true);
      if (after.kind === "end") return out;
      if (after.kind !== ",") {
        throw new SelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
      }
      const t2 = this.#peek(true);
      if (t2.kind !== "id" && t2.kind !== "!") {
        throw new SelectorError(`found '${t2.text}', expected: identifier after ','`);
      }
    }
  }

  #requirement(): Requirement {
    let t = this.#next(true);
    let negated = false;
    if (t.kind === "!") {
      negated = true;
      t = this.#next(true);
    }
    if (t.kind !== "id") throw new SelectorError(`found '${t.text}', expected: identifier`);
    const key = t.text;
    const ke = keyError(key, "<nil>");
    if (ke) throw new SelectorError(ke);
    const la = this.#peek(true);
    if (la.kind === "end" || la.kind === ",") {
      return newRequirement(key, negated ? "!" : "exists", []);
    }
    if (negated) throw new SelectorError(`found '${key}', expected: ',' or 'end of string'`);
    const op = this.#next(false);
    let values: string[];
    switch (op.kind) {
      case "in":
      case "notin":
        values = this.#valueSet();
        break;
      case "=":
      case "==":
      case "!=":
      case "gt":
      case "lt":
        values = this.#exactValue();
        break;
      default:
        throw new SelectorError(`found '${op.text}', expected: ${BINARY_OPERATORS}`);
    }
    return newRequirement(key, op.kind, values);
  }

  #exactValue(): string[] {
    const la = this.#peek(true);
    if (la.kind === "end" || la.kind === ",") return [""];
    const t = this.#next(true);
    if (t.kind === "id") return [t.text];
    throw new SelectorError(`found '${t.text}', expected: identifier`);
  }

  #valueSet(): string[] {
    const open = this.#next(true);
    if (open.kind !== "(") throw new SelectorError(`found '${open.text}' expected: '('`);
    const la = this.#peek(true);
    if (la.kind === ")") {
      this.#next(true);
      return [""];
    }
    if (la.kind !== "id" && la.kind !== ",") {
      throw new SelectorError(`found '${la.text}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    let expectValue = true;
    for (;;) {
      const t = this.#next(true);
      if (t.kind === "id") {
        if (!expectValue) throw new SelectorError(`found '${t.text}', expected: ',' or ')'`);
        values.add(t.text);
        expectValue = false;
      } else if (t.kind === ",") {
        if (expectValue) values.add("");
        expectValue = true;
      } else if (t.kind === ")") {
        if (expectValue) values.add("");
        return [...values];
      } else {
        throw new SelectorError(`found '${t.text}', expected: ',', or identifier`);
      }
    }
  }
}

/**
 * Compiles a `metav1.LabelSelector` (`LabelSelectorAsSelector`): null/undefined matches
 * nothing, `{}` matches everything. Throws SelectorError for unknown operators and for values
 * that do not fit the operator.
 */
export function labelSelectorFromObject(sel: LabelSelector | null | undefined): Selector {
  if (sel === null || sel === undefined) return NOTHING;
  const matchLabels = sel.matchLabels ?? {};
  const exprs = sel.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, "=", [String(v)]));
  for (const e of exprs) {
    const op = OBJECT_OPERATORS[e.operator as string];
    if (!op) throw new SelectorError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return new RequirementSelector(reqs);
}

const OBJECT_OPERATORS: Record<string, Operator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/** True when a (possibly nil) `metav1.LabelSelector` matches the labels. */
export function labelSelectorMatches(
  sel: LabelSelector | null | undefined,
  labels: Labels | undefined,
): boolean {
  return labelSelectorFromObject(sel).matches(labels);
}

/**
 * The display form of a `metav1.LabelSelector` (`metav1.FormatLabelSelector`): the selector
 * string, `<none>` when it has no requirements (or is nil), `<error>` when it is invalid.
 */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorFromObject(sel).toString();
  } catch (e) {
    if (e instanceof SelectorError) return "<error>";
    throw e;
  }
  return text === "" ? "<none>" : text;
}
