/**
 * Stand-in for a documented command whose implementation has not landed yet: it
 * says so in one line and exits 1.
 *
 * @module
 */
import type { CommandModule } from "./command.ts";
import { UserError } from "./errors.ts";

/** A loader for a command that is not built yet. */
export function notBuilt(): () => Promise<CommandModule> {
  return () =>
    Promise.resolve({
      main: (ctx) => {
        throw new UserError(`${ctx.prog}: this command is not available in this build yet`);
      },
    });
}
