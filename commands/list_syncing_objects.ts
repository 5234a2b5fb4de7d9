/**
 * `kubestellar-list-syncing-objects`: lists or watches one kind of object across all
 * mailbox workspaces (commands-spec §11; logic in `lib/syncer/list_syncing_objects.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { LIST_SYNCING_USAGE, parseListSyncingArgs } from "../lib/syncer/list_syncing_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseListSyncingArgs(ctx.prog, ctx.args);
  if (args.help) {
    for (const l of LIST_SYNCING_USAGE) out(l);
    return 0;
  }
  // The kubeconfig loader and the REST client load only after the arguments are good.
  const { runListSyncingObjects } = await import("../lib/syncer/list_syncing_command.ts");
  return await runListSyncingObjects(ctx.prog, ctx.args);
}
