/**
 * `kubectl kubestellar edge-view [WMW] [--context NAME]`: a kubeconfig context for the
 * edge view of a workload management workspace (docs/denaturing.md).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const { parseViewContextArgs, viewContextUsage } = await import(
    "../lib/edgeview/view_context_args.ts"
  );
  const args = parseViewContextArgs(ctx.args);
  if (args.help) {
    out(viewContextUsage(ctx.prog));
    return 0;
  }
  const { writeViewContext } = await import("../lib/edgeview/view_context.ts");
  out(await writeViewContext(args));
  return 0;
}
