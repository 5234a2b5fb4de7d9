/**
 * The JSONPath subset Customizer replacements use (controllers-spec §4.6.3): a path
 * starts with `$`, then selectors `.name`, `.N` (array index), `.*`, `[*]`,
 * `[a,b]` (names or indices), `[start:end:stride]`, and `..` (recursive descent).
 *
 * `setAtPath` writes a value at every location the path selects; along "definite"
 * chains (names and single indices) missing map members are created, out-of-range
 * array indices are not.
 *
 * @example
 * ```ts
 * const obj = { spec: { containers: [{ env: [{ value: "a" }] }] } };
 * setAtPath(obj, parseJsonPath("$.spec.containers.0.env.0.value"), "b");
 * ```
 *
 * @module
 */

/** One step of a path. */
export type PathSelector =
  | { kind: "name"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "union"; items: (string | number)[] }
  | { kind: "slice"; start?: number; end?: number; stride: number }
  | { kind: "descend" };

/** Thrown for a path that does not parse. */
export class JsonPathError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_\-]*/;

/** Parses a path. */
export function parseJsonPath(text: string): PathSelector[] {
  if (!text.startsWith("$")) {
    throw new JsonPathError(`path ${JSON.stringify(text)} must start with "$"`);
  }
  const out: PathSelector[] = [];
  let i = 1;
  while (i < text.length) {
    if (text.startsWith("..", i)) {
      out.push({ kind: "descend" });
      i += 2;
      if (text[i] === "[") continue;
      i = readMember(text, i, out);
    } else if (text[i] === ".") {
      i = readMember(text, i + 1, out);
    } else if (text[i] === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) throw new JsonPathError(`unclosed "[" in ${JSON.stringify(text)}`);
      out.push(parseBracket(text.slice(i + 1, close).trim(), text));
      i = close + 1;
    } else {
      throw new JsonPathError(
        `unexpected ${JSON.stringify(text[i])} at ${i} in ${JSON.stringify(text)}`,
      );
    }
  }
  return out;
}

function readMember(text: string, i: number, out: PathSelector[]): number {
  if (text[i] === "*") {
    out.push({ kind: "wildcard" });
    return i + 1;
  }
  const digits = /^\d+/.exec(text.slice(i));
  if (digits) {
    out.push({ kind: "index", index: Number(digits[0]) });
    return i + digits[0].length;
  }
  const name = NAME.exec(text.slice(i));
  if (!name) throw new JsonPathError(`expected a member name at ${i} in ${JSON.stringify(text)}`);
  out.push({ kind: "name", name: name[0] });
  return i + name[0].length;
}

function parseBracket(body: string, text: string): PathSelector {
  if (body === "*") return { kind: "wildcard" };
  if (body.includes(":")) {
    const [s, e, st] = body.split(":").map((p) => p.trim());
    const num = (p: string | undefined) => (p === undefined || p === "" ? undefined : Number(p));
    const stride = num(st) ?? 1;
    if (
      [num(s), num(e), stride].some((n) => n !== undefined && !Number.isInteger(n)) || stride === 0
    ) {
      throw new JsonPathError(`bad slice [${body}] in ${JSON.stringify(text)}`);
    }
    return { kind: "slice", start: num(s), end: num(e), stride };
  }
  const items = body.split(",").map((p) => p.trim()).map((p) => {
    if (/^-?\d+$/.test(p)) return Number(p);
    const q = /^'(.*)'$|^"(.*)"$/.exec(p);
    if (q) return q[1] ?? q[2];
    if (NAME.test(p)) return p;
    throw new JsonPathError(`bad selector [${body}] in ${JSON.stringify(text)}`);
  });
  if (items.length === 1) {
    return typeof items[0] === "number"
      ? { kind: "index", index: items[0] }
      : { kind: "name", name: items[0] };
  }
  return { kind: "union", items };
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === "object" && v !== null;
}

function sliceIndices(len: number, s: Extract<PathSelector, { kind: "slice" }>): number[] {
  const norm = (n: number | undefined, dflt: number) =>
    n === undefined ? dflt : n < 0 ? Math.max(0, len + n) : Math.min(len, n);
  const out: number[] = [];
  if (s.stride > 0) {
    for (let i = norm(s.start, 0); i < norm(s.end, len); i += s.stride) out.push(i);
  } else {
    const stop = norm(s.end, -1);
    let i = norm(s.start, len - 1);
    while (i > stop) {
      out.push(i);
      i += s.stride;
    }
  }
  return out;
}

/**
 * Sets `value` at every location `path` selects in `root` (mutating it); returns how
 * many locations were set.
 */
export function setAtPath(root: unknown, path: PathSelector[], value: unknown): number {
  if (path.length === 0) return 0;
  let count = 0;
  const visit = (node: unknown, at: number) => {
    if (!isContainer(node)) return;
    const sel = path[at];
    const last = at === path.length - 1;
    const step = (container: Container, key: string | number, create: boolean) => {
      if (Array.isArray(container)) {
        if (typeof key !== "number" || key < 0 || key >= container.length) return;
      } else if (typeof key === "number") {
        key = String(key);
      }
      const c = container as Record<string | number, unknown>;
      if (last) {
        if (!Array.isArray(container) && !(key in c) && !create) return;
        c[key] = structuredClone(value);
        count++;
        return;
      }
      if (c[key] === undefined && create && !Array.isArray(container)) {
        const next = path[at + 1];
        c[key] = next.kind === "index" ? [] : {};
      }
      visit(c[key], at + 1);
    };
    switch (sel.kind) {
      case "name":
        return step(node, Array.isArray(node) ? Number.NaN : sel.name, true);
      case "index":
        return Array.isArray(node)
          ? step(node, sel.index, false)
          : step(node, String(sel.index), true);
      case "wildcard":
        for (const k of Array.isArray(node) ? node.keys() : Object.keys(node)) step(node, k, false);
        return;
      case "union":
        for (const k of sel.items) step(node, k, false);
        return;
      case "slice":
        if (Array.isArray(node)) {
          for (const i of sliceIndices(node.length, sel)) step(node, i, false);
        }
        return;
      case "descend": {
        visit(node, at + 1);
        for (const child of Array.isArray(node) ? node : Object.values(node)) visit(child, at);
        return;
      }
    }
  };
  visit(root, 0);
  return count;
}
