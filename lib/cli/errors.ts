/**
 * Errors that end a command with a one-line message and a chosen exit code.
 *
 * A `UserError` means the user can fix it (bad input, missing file, server down);
 * the entry point prints only its message, never a stack trace.
 *
 * @example
 * ```ts
 * throw new UserError("--imw needs a workspace path: pass --imw root:imw1", 1);
 * ```
 *
 * @module
 */

/** An error caused by the user's input or environment; printed as one line. */
export class UserError extends Error {
  /** Process exit code to use. */
  readonly exitCode: number;
  /** Extra lines printed after the message (for example a usage line). */
  readonly details: string[];

  constructor(message: string, exitCode = 1, details: string[] = []) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** A command-line usage error: exit code 2 unless the documented tool says otherwise. */
export class UsageError extends UserError {
  constructor(message: string, exitCode = 2, details: string[] = []) {
    super(message, exitCode, details);
    this.name = "UsageError";
  }
}

/**
 * Prefixes a `UserError`'s message with the program name (once), as upstream's scripts
 * print their errors; usage lines and other errors pass through unchanged.
 */
export function withProg(prog: string, e: unknown): unknown {
  if (!(e instanceof UserError) || /^Usage: /.test(e.message)) return e;
  if (e.message.startsWith(`${prog}: `)) return e;
  return new UserError(`${prog}: ${e.message}`, e.exitCode, e.details);
}

/** Returns a one-line description of any thrown value, without a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const msg = e.message.split("\n").filter((l) => l.trim() !== "")[0] ?? e.name;
    return msg;
  }
  return String(e);
}
