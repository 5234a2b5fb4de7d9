/**
 * `kubestellar-version [buildDate|gitCommit|gitTreeState|platform]`: prints build
 * information as one JSON line, or one requested property.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UserError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { versionInfo } from "../lib/version/build_info.ts";

const COMPONENTS = ["buildDate", "gitCommit", "gitTreeState", "platform"] as const;

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  const usage = `Usage: ${ctx.prog} [${COMPONENTS.join("|")}]`;
  const info = versionInfo();
  if (ctx.args.length === 0) {
    out(JSON.stringify(info));
    return Promise.resolve(0);
  }
  if (ctx.args.length > 1) throw new UserError(`${ctx.prog}: too many arguments`, 1, [usage]);
  const wanted = ctx.args[0];
  if (wanted === "-h" || wanted === "--help") {
    out(usage);
    return Promise.resolve(0);
  }
  if (!(COMPONENTS as readonly string[]).includes(wanted)) {
    throw new UserError(`Invalid component requested: ${JSON.stringify(wanted)}`, 1, [usage]);
  }
  out(info[wanted as typeof COMPONENTS[number]]);
  return Promise.resolve(0);
}
