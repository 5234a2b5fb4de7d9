/**
 * `kubectl kubestellar remove location [flags] OBJNAME`: deletes a SyncTarget/Location
 * pair from an inventory management workspace (commands-spec §7.2; logic in
 * `lib/core/location_flow.ts`).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { parseRemoveLocationArgs, REMOVE_LOCATION_USAGE } from "../lib/core/location_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parseRemoveLocationArgs(ctx.prog, ctx.args);
  if (args.help) {
    out(REMOVE_LOCATION_USAGE);
    return 0;
  }
  // The session and the flow (kubeconfig, YAML, HTTP) load only after the arguments are good.
  const { traceTo, withCoreSession } = await import("../lib/core/core_session.ts");
  const { removeLocationFlow } = await import("../lib/core/location_flow.ts");
  await withCoreSession(
    ctx.prog,
    args.passThrough,
    (session) => removeLocationFlow(session, args.imw, args.name, traceTo(args.trace)),
  );
  return 0;
}
