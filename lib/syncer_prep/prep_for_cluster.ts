/**
 * `kubectl kubestellar prep-for-cluster` (commands-spec §9): `ensure location` for the
 * SyncTarget/Location pair, then `prep-for-syncer` for it; the workspace that was
 * current at the start is current again at the end, on success and on failure.
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
import { useWorkspace } from "../workspace/use_workspace.ts";
import { parseClusterUrl } from "../workspace/workspace_path.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "../workspace/workspace_session.ts";
import type { PrepArgs } from "./prep_args.ts";
import { prepForSyncer, type PrepHooks, type PrepResult } from "./prep_for_syncer.ts";

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
    const imw = imwPath(args.imw) ?? original;
    await ensureLocationFlow(session, {
      imw: args.imw,
      name: args.syncTargetName,
      labels: args.labels,
      espwPath: imwPath(args.espw) ?? original,
    });
    // One switch back at the end, to where the user started.
    return await prepForSyncer(session, { ...args, imw }, { ...hooks, restore: false });
  } finally {
    try {
      if (parseClusterUrl(session.config.server)?.path !== original) {
        await useWorkspace(session, original);
      }
    } finally {
      session.out = savedOut;
    }
  }
}
