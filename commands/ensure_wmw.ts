/**
 * `kubectl kubestellar ensure wmw [flags] NAME`: ensures workload management workspace
 * `root:NAME` with its APIBindings and makes it current (commands-spec §10.1; logic in
 * `lib/core/wmw_flow.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { ENSURE_WMW_USAGE, parseEnsureWmwArgs } from "../lib/core/wmw_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseEnsureWmwArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(ENSURE_WMW_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { traceTo, withCoreSession } = await import("../lib/core/core_session.ts");
  const { ensureWmwFlow } = await import("../lib/core/wmw_flow.ts");
  await withCoreSession(
    ctx.prog,
    args.passThrough,
    (session) => ensureWmwFlow(session, args.name, args.withKube, traceTo(args.trace)),
  );
  return 0;
}
