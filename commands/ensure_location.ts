/**
 * `kubectl kubestellar ensure location [flags] OBJNAME LABEL=VALUE…`: ensures a
 * SyncTarget/Location pair with the given labels in an inventory management workspace
 * (commands-spec §7.1; logic in `lib/core/location_flow.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { ENSURE_LOCATION_USAGE, parseEnsureLocationArgs } from "../lib/core/location_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseEnsureLocationArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(ENSURE_LOCATION_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { traceTo, withCoreSession } = await import("../lib/core/core_session.ts");
  const { ensureLocationFlow } = await import("../lib/core/location_flow.ts");
  await withCoreSession(
    ctx.prog,
    args.passThrough,
    (session) => ensureLocationFlow(session, { ...args, trace: traceTo(args.trace) }),
  );
  return 0;
}
