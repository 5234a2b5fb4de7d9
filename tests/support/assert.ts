/**
 * Small assertion helpers (JSR's @std/assert is unreachable from our build machines).
 *
 * @module
 */
import assert from "node:assert/strict";

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg);
}

/** Strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.notDeepStrictEqual(actual, expected, msg);
}

/** Truthiness. */
export function assertTrue(value: unknown, msg?: string): asserts value {
  assert.ok(value, msg);
}

/** `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, msg?: string): void {
  assert.match(text, re, msg);
}

/** `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, msg?: string): void {
  assert.ok(
    text.includes(part),
    msg ?? `expected ${JSON.stringify(text)} to include ${JSON.stringify(part)}`,
  );
}

/** `fn` throws (or rejects) with an error whose message matches `re`. */
export async function assertRejects(fn: () => unknown, re?: RegExp): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    if (re) assert.match((e as Error).message, re);
    return e as Error;
  }
  throw new assert.AssertionError({ message: "expected the function to throw" });
}
