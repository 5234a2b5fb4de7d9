/**
 * `kubestellar-release`: prints the semantic version of the release this build came from.
 *
 * Release archives are stamped with their version; a development checkout reports
 * `<version>-dev` from the project's own version constant.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { buildStamp } from "../lib/version/build_info.ts";
import { PROJECT_VERSION } from "../lib/version/project_version.ts";

/** Runs the command; arguments other than -h are ignored, as upstream. */
export function main(ctx: CommandContext): Promise<number> {
  if (ctx.args[0] === "-h" || ctx.args[0] === "--help") {
    out(`Usage: ${ctx.prog}`);
    out("Prints the semantic version of the KubeStellar release in use.");
    return Promise.resolve(0);
  }
  const release = buildStamp().release;
  out(release !== "" ? release : `${PROJECT_VERSION}-dev`);
  return Promise.resolve(0);
}
