/**
 * `kubectl kubestellar get-external-kubeconfig (KUBECTL_FLAG | -o PATH | -X)*`: writes the
 * kubeconfig for clients outside the hosting cluster, which the core published in
 * the Secret `kubestellar` (namespace `-n`, default `kubestellar`), to PATH (0600).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { getKubeconfigUsage, parseGetKubeconfigArgs } from "../lib/deploy/get_kubeconfig_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  if (parseGetKubeconfigArgs(ctx.prog, "external", ctx.args).help) {
    out(getKubeconfigUsage("external"));
    return 0;
  }
  // The kubeconfig loader and the REST client load only after the arguments are good.
  const { getKubeconfigMain } = await import("../lib/deploy/get_kubeconfig.ts");
  return await getKubeconfigMain(ctx, "external");
}
