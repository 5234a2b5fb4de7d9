/** Assertions shared by the `lib/core` unit tests. */
import { UserError } from "../../../lib/cli/errors.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

export { assertEquals, assertTrue };

/** Asserts that `fn` throws a `UserError` with exactly `message`. */
export function assertThrowsUserError(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (e) {
    assertTrue(e instanceof UserError, String(e));
    assertEquals(e.message, message);
    return;
  }
  throw new Error("expected a UserError");
}

/** Asserts that `parse` throws a one-line `UserError` with exit code 1; returns its message. */
export function oneLineUserErrorMessage(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    assertTrue(e instanceof UserError);
    assertEquals(e.exitCode, 1);
    assertEquals(e.details, [], "one line");
    return e.message;
  }
  throw new Error("expected a failure");
}
