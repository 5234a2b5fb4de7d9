/**
 * `kubectl kubestellar prep-for-cluster` (commands-spec §9): `ensure location` for the
 * SyncTarget/Location pair, then `prep-for-syncer` for it; the workspace that was
 * current at the start is current again at the end, on success, on failure and on
 * SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * await prepForCluster(session, parsePrepForClusterArgs(prog, argv));
 * ```
 *
 * @module
 */
import { ensureLocationFlow } from "../core/location_flow.ts";
import { imwPath } from "../core/location_args.ts";
import { withWorkspaceRestored } from "../workspace/workspace_restore.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "../workspace/workspace_session.ts";
import type { PrepArgs } from "./prep_args.ts";
import {
  checkWritable,
  prepForSyncer,
  type PrepHooks,
  type PrepResult,
} from "./prep_for_syncer.ts";

/** Runs prep-for-cluster in `session`. */
export async function prepForCluster(
  session: WorkspaceSession,
  args: PrepArgs,
  hooks: PrepHooks = {},
): Promise<PrepResult> {
  const original = requireCurrentWorkspace(session).path;
  const savedOut = session.out;
  if (args.silent) session.out = () => {};
  try {
    await checkWritable(args.output);
    return await withWorkspaceRestored(session, async (signal) => {
      const imw = imwPath(args.imw) ?? original;
      await ensureLocationFlow(session, {
        imw: args.imw,
        name: args.syncTargetName,
        labels: args.labels,
        espwPath: imwPath(args.espw) ?? original,
      });
      signal.throwIfAborted();
      // One switch back at the end (here), to where the user started.
      return await prepForSyncer(session, { ...args, imw }, { ...hooks, restore: false, signal });
    }, hooks.restoreOptions);
  } finally {
    session.out = savedOut;
  }
}
