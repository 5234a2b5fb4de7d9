/**
 * `kubectl kubestellar remove wmw [-X] [kubectl flags] NAME`: deletes workload
 * management workspace `root:NAME`, leaving `root` current (commands-spec §10.2; logic
 * in `lib/core/wmw_flow.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { traceTo, withCoreSession } from "../lib/core/core_session.ts";
import { parseRemoveWmwArgs, REMOVE_WMW_USAGE } from "../lib/core/wmw_args.ts";
import { removeWmwFlow } from "../lib/core/wmw_flow.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseRemoveWmwArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(REMOVE_WMW_USAGE);
    return 0;
  }
  await withCoreSession(
    ctx.prog,
    args.passThrough,
    (session) => removeWmwFlow(session, args.name, traceTo(args.trace)),
  );
  return 0;
}
