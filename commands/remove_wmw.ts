/**
 * `kubectl kubestellar remove wmw [-X] [kubectl flags] NAME`: deletes workload
 * management workspace `root:NAME`, leaving `root` current (commands-spec §10.2; logic
 * in `lib/core/wmw_flow.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { parseRemoveWmwArgs, REMOVE_WMW_USAGE } from "../lib/core/wmw_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseRemoveWmwArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(REMOVE_WMW_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { traceTo, withCoreSession } = await import("../lib/core/core_session.ts");
  const { removeWmwFlow } = await import("../lib/core/wmw_flow.ts");
  await withCoreSession(
    ctx.prog,
    args.passThrough,
    (session) => removeWmwFlow(session, args.name, traceTo(args.trace)),
  );
  return 0;
}
