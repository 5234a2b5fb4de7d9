/**
 * `kubestellar syncer`: runs one syncer between a mailbox workspace and a WEC
 * (controllers-spec §5; logic in `lib/syncer/`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { parseSyncerArgs, SYNCER_USAGE } from "../lib/syncer/syncer_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseSyncerArgs(ctx.prog, ctx.args);
  if (args.help) {
    for (const l of SYNCER_USAGE) out(l);
    return 0;
  }
  // The kubeconfig loader, the REST client and the syncer load only after the arguments are good.
  const { runSyncerCommand } = await import("../lib/syncer/syncer_command.ts");
  return await runSyncerCommand(ctx.prog, ctx.args);
}
