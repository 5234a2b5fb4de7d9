/**
 * Assertions on what a command run by a test printed: exactly these lines and nothing on
 * stderr with exit 0, or exactly one line on stderr with exit 1. They take any result
 * with `code`, `stdout` and `stderr` (plugin runs, CLI runs).
 *
 * @module
 */
import { assertEquals } from "./assert.ts";

/** What a finished command gave back. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Asserts exit 0, stdout exactly `lines` (each ending in a newline) and an empty stderr. */
export function assertPrinted(r: CommandOutput, ...lines: string[]): void {
  assertEquals({ code: r.code, stdout: r.stdout, stderr: r.stderr }, {
    code: 0,
    stdout: lines.map((l) => l + "\n").join(""),
    stderr: "",
  });
}

/** Asserts exit 1, an empty stdout and exactly `line` on stderr. */
export function assertFailedWithLine(r: CommandOutput, line: string): void {
  assertEquals({ code: r.code, stdout: r.stdout, stderr: r.stderr }, {
    code: 1,
    stdout: "",
    stderr: line + "\n",
  });
}
