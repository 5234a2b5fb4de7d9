/**
 * `kubestellar syncer`: runs one syncer between a mailbox workspace and a WEC
 * (controllers-spec §5; logic in `lib/syncer/`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { runSyncerCommand } from "../lib/syncer/syncer_command.ts";

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  return runSyncerCommand(ctx.prog, ctx.args);
}
