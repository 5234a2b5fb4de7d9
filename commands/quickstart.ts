/**
 * `kubestellar quickstart [--teardown | --keep] [--dir DIR]`: runs the documented flow
 * locally on kcp-lite — core, two edge clusters, syncers, workloads — and shows each
 * step's result. `--teardown` (the default) cleans up and exits 0 only when every step
 * succeeded; `--keep` leaves everything running for exploration with kubectl.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UsageError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";

function usage(prog: string): string {
  return `Usage: ${prog} [--teardown | --keep] [--dir DIR]`;
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  let keep = false;
  let dir: string | undefined;
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i];
    if (a === "-h" || a === "--help") {
      out(usage(ctx.prog));
      out("Runs kcp-lite, two kube-mode edge clusters (florin, guilder), kubestellar start,");
      out("prep-for-cluster and syncers, places the example workloads and checks the results.");
      return 0;
    } else if (a === "--keep") keep = true;
    else if (a === "--teardown") keep = false;
    else if (a === "--dir") {
      dir = ctx.args[++i];
      if (!dir) throw new UsageError(`${ctx.prog}: --dir needs a directory`, 2, [usage(ctx.prog)]);
    } else throw new UsageError(`${ctx.prog}: unknown argument "${a}"`, 2, [usage(ctx.prog)]);
  }
  const { runQuickstart } = await import("../lib/quickstart/quickstart.ts");
  const ok = await runQuickstart({ dir, keep, print: out });
  return ok ? 0 : 1;
}
