/**
 * `kubectl kubestellar get-external-kubeconfig (KUBECTL_FLAG | -o PATH | -X)*`: writes the
 * kubeconfig for clients outside the hosting cluster, which the core published in
 * the Secret `kubestellar` (namespace `-n`, default `kubestellar`), to PATH (0600).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { getKubeconfigMain } from "../lib/deploy/get_kubeconfig.ts";

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  return getKubeconfigMain(ctx, "external");
}
