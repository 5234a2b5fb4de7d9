/**
 * The nesting limit of request bodies and stored objects: at most
 * {@link MAX_NESTING_DEPTH} levels of objects and arrays. Deeper input is a 400 before any
 * recursive code (patching, validation, printing) sees it, so no request can exhaust the
 * stack and get a 500. Real Kubernetes objects nest a few dozen levels; kube-apiserver's
 * decoders stop at 10,000, a depth kcp-lite's recursive code cannot promise to survive.
 *
 * The check itself walks the value with an explicit stack (no recursion).
 *
 * @example
 * ```ts
 * nestingDepth({ a: [{ b: 1 }] }); // 3
 * checkNesting(JSON.parse(text), "the request body"); // throws a 400 when too deep
 * ```
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";

/** The deepest nesting of objects and arrays kcp-lite accepts. */
export const MAX_NESTING_DEPTH = 1000;

/** How deeply `value` nests objects and arrays (0 for a scalar); stops past `limit`. */
export function nestingDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** The 400 for a value nested too deeply. */
export function tooDeep(what: string): StatusError {
  return StatusError.badRequest(
    `${what} is nested too deeply: more than ${MAX_NESTING_DEPTH} levels of objects and arrays`,
  );
}

/** Throws a 400 when `value` nests deeper than {@link MAX_NESTING_DEPTH}. */
export function checkNesting(value: unknown, what: string): void {
  if (nestingDepth(value, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) throw tooDeep(what);
}

/** True for the stack overflow a recursive parser throws on deep input. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError ||
    /Maximum call stack size exceeded/.test(String((error as Error)?.message ?? error));
}
