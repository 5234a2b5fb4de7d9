/**
 * `kubectl kubestellar prep-for-cluster [flags] SYNCTARGET LABEL=VALUE…`: ensure location
 * plus prep-for-syncer, the current workspace restored (commands-spec §9; logic in
 * `lib/syncer_prep/`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { parsePrepForClusterArgs, PREP_FOR_CLUSTER_USAGE } from "../lib/syncer_prep/prep_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parsePrepForClusterArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(PREP_FOR_CLUSTER_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { withCoreSession } = await import("../lib/core/core_session.ts");
  const { prepForCluster } = await import("../lib/syncer_prep/prep_for_cluster.ts");
  await withCoreSession(ctx.prog, args.passThrough, (session) => prepForCluster(session, args));
  return 0;
}
