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
