/**
 * `kubectl kubestellar prep-for-syncer [flags] SYNCTARGET`: prepares the mailbox
 * workspace for a syncer and writes the WEC manifest (commands-spec §8; logic in
 * `lib/syncer_prep/`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { parsePrepForSyncerArgs, PREP_FOR_SYNCER_USAGE } from "../lib/syncer_prep/prep_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parsePrepForSyncerArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(PREP_FOR_SYNCER_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { withCoreSession } = await import("../lib/core/core_session.ts");
  const { prepForSyncer } = await import("../lib/syncer_prep/prep_for_syncer.ts");
  await withCoreSession(ctx.prog, args.passThrough, (session) => prepForSyncer(session, args));
  return 0;
}
