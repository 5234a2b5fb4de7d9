/**
 * `remove-kubestellar [--folder DIR] [-y|--yes]` (commands-spec §13): stops what KubeStellar
 * runs and removes what it installed, limited to what this toolkit recorded (see
 * `lib/core/remove_kubestellar.ts`). On a terminal it lists what it will do and asks
 * first, unless `--yes`; without a terminal (scripts, upstream's docs) it goes ahead, as
 * upstream's script did.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UserError } from "../lib/cli/errors.ts";
import { out, outRaw } from "../lib/cli/io.ts";

function usage(prog: string): string {
  return [
    `Usage: ${prog} [--folder DIR] [-y|--yes]`,
    "Stops the processes KubeStellar recorded (controllers, and the kcp that install.sh",
    "started) and deletes what it recorded installing (kcp and KubeStellar folders, kcp's",
    "state, controller logs). --folder limits the deletions to files under DIR.",
  ].join("\n");
}

interface Args {
  folder?: string;
  yes: boolean;
  help: boolean;
}

function parse(prog: string, args: string[]): Args {
  const parsed: Args = { yes: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") parsed.help = true;
    else if (a === "-y" || a === "--yes") parsed.yes = true;
    else if (a === "--folder" || a.startsWith("--folder=")) {
      const value = a === "--folder" ? args[++i] : a.slice("--folder=".length);
      if (!value) throw new UserError(`${prog}: --folder needs a directory`, 2);
      parsed.folder = value;
    } else throw new UserError(`${prog}: unknown argument '${a}' (see --help)`, 2);
  }
  return parsed;
}

async function confirmed(): Promise<boolean> {
  outRaw("Proceed? [y/N] ");
  const buf = new Uint8Array(256);
  const n = await Deno.stdin.read(buf);
  const answer = new TextDecoder().decode(buf.subarray(0, n ?? 0)).trim().toLowerCase();
  return answer === "y" || answer === "yes";
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const args = parse(ctx.prog, ctx.args);
  if (args.help) {
    out(usage(ctx.prog));
    return 0;
  }
  const [{ stateDirectory }, removal] = await Promise.all([
    import("../lib/core/controllers_launch.ts"),
    import("../lib/core/remove_kubestellar.ts"),
  ]);
  const stateDir = stateDirectory();
  const plan = await removal.planRemoval(stateDir, args.folder);
  if (removal.isEmptyPlan(plan)) {
    out(`Nothing recorded to remove (state directory ${stateDir}).`);
    out("Finished deletion ....");
    return 0;
  }
  if (!args.yes && Deno.stdin.isTerminal()) {
    out(`${ctx.prog} will:`);
    for (const line of removal.describePlan(plan)) out(line);
    if (!await confirmed()) {
      out("Nothing removed.");
      return 1;
    }
  }
  await removal.removeKubestellar(plan, stateDir, out);
  return 0;
}
