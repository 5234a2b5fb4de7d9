/**
 * Runs one command module and turns what it throws into a one-line message and an
 * exit code: the single place where errors meet the terminal.
 *
 * @module
 */
import type { CommandModule } from "./command.ts";
import { describeError, UserError } from "./errors.ts";
import { err } from "./io.ts";

/** Loads and runs a command; resolves to the exit code. */
export async function runCommand(
  load: () => Promise<CommandModule>,
  prog: string,
  args: string[],
): Promise<number> {
  try {
    const mod = await load();
    const code = await mod.main({ prog, args });
    return code ?? 0;
  } catch (e) {
    return reportError(e, prog);
  }
}

/** Prints an error the way users should see it and returns its exit code. */
export function reportError(e: unknown, prog: string): number {
  if (e instanceof UserError) {
    err(e.message);
    for (const line of e.details) err(line);
    return e.exitCode;
  }
  err(`${prog}: ${describeError(e)}`);
  if (Deno.env.get("KUBESTELLAR_DEBUG")) console.error(e);
  return 1;
}
