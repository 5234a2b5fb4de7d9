/**
 * `kubestellar-list-syncing-objects`: lists or watches one kind of object across all
 * mailbox workspaces (commands-spec §11; logic in `lib/syncer/list_syncing_objects.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { runListSyncingObjects } from "../lib/syncer/list_syncing_command.ts";

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  return runListSyncingObjects(ctx.prog, ctx.args);
}
