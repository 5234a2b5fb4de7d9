/**
 * `kubectl kubestellar deploy (HELM_FLAG | --external-endpoint DOMAIN:PORT | --openshift
 * BOOL | -X)*`: creates or upgrades the Helm release `kubestellar` of the embedded core
 * chart in the hosting cluster (commands-spec §4.1).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { deployUsage, parseDeployArgs } from "../lib/deploy/deploy_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const request = parseDeployArgs(ctx.prog, ctx.args);
  if (request.help) {
    out(deployUsage());
    return 0;
  }
  const { deploy } = await import("../lib/deploy/deploy.ts");
  return await deploy(request, ctx.prog);
}
