/**
 * `kubestellar-release`: prints the semantic version of the release this build came from.
 *
 * Release archives are stamped with their version; a development checkout reports
 * `<version>-dev` from the project's own version constant.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UsageError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { buildStamp } from "../lib/version/build_info.ts";
import { PROJECT_VERSION } from "../lib/version/project_version.ts";

/** Runs the command; it takes no arguments but `-h` (anything else: one line, exit 1). */
export function main(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 1 && (ctx.args[0] === "-h" || ctx.args[0] === "--help")) {
    out(`Usage: ${ctx.prog}`);
    out("Prints the semantic version of the KubeStellar release in use.");
    return Promise.resolve(0);
  }
  if (ctx.args.length > 0) {
    const word = ctx.args[0];
    const what = word.startsWith("-") && word !== "-" ? "unknown flag" : "unexpected argument";
    throw new UsageError(
      `${ctx.prog}: ${what} ${JSON.stringify(word)}; it takes no arguments (usage: ${ctx.prog})`,
      1,
    );
  }
  const release = buildStamp().release;
  out(release !== "" ? release : `${PROJECT_VERSION}-dev`);
  return Promise.resolve(0);
}
