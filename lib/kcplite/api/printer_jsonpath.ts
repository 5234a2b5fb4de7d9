/**
 * Reads the values a printer column's JSONPath selects (the subset CRD
 * `additionalPrinterColumns` use): `.a.b`, escaped dots in names (`.labels.tenancy\.kcp\.io/phase`),
 * quoted members (`['tenancy\.kcp\.io/phase']`, `["x"]`), indices (`[0]`, `[-1]`) and
 * wildcards (`[*]`, `.*`). An optional `{…}` wrapper is accepted.
 *
 * @example
 * ```ts
 * readJsonPath({ spec: { type: { name: "universal" } } }, ".spec.type.name"); // ["universal"]
 * ```
 *
 * @module
 */

type Step = { name: string } | { index: number } | { all: true };

function parse(path: string): Step[] | undefined {
  let p = path.trim();
  if (p.startsWith("{") && p.endsWith("}")) p = p.slice(1, -1).trim();
  if (p.startsWith("$")) p = p.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === ".") {
      i++;
      if (p[i] === "*") {
        steps.push({ all: true });
        i++;
        continue;
      }
      let name = "";
      while (i < p.length && p[i] !== "." && p[i] !== "[") {
        if (p[i] === "\\" && i + 1 < p.length) i++;
        name += p[i++];
      }
      if (name) steps.push({ name });
    } else if (c === "[") {
      const end = findClose(p, i);
      if (end < 0) return undefined;
      const inner = p.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === "*") steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) {
        steps.push({ name: inner.slice(1, -1).replace(/\\(.)/g, "$1") });
      } else return undefined;
    } else return undefined;
  }
  return steps;
}

function findClose(p: string, open: number): number {
  let quote = "";
  for (let i = open + 1; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "]") return i;
  }
  return -1;
}

/** Every value `path` selects in `root` (empty when nothing matches or the path is unsupported). */
export function readJsonPath(root: unknown, path: string): unknown[] {
  const steps = parse(path);
  if (!steps) return [];
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== "object") continue;
      if ("all" in step) {
        next.push(...(Array.isArray(v) ? v : Object.values(v)));
      } else if ("index" in step) {
        if (!Array.isArray(v)) continue;
        const idx = step.index < 0 ? v.length + step.index : step.index;
        if (idx >= 0 && idx < v.length) next.push(v[idx]);
      } else if (!Array.isArray(v) && step.name in v) {
        next.push((v as Record<string, unknown>)[step.name]);
      }
    }
    current = next;
  }
  return current.filter((v) => v !== undefined);
}
