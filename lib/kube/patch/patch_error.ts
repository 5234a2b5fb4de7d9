/**
 * The error every patch module throws for a patch that cannot be applied.
 *
 * @module
 */

/** A malformed patch, a failed `test`, a path that does not exist, or a bad directive. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}
