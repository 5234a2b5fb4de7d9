/**
 * The shared body of `get-internal-kubeconfig` and `get-external-kubeconfig`: parse,
 * connect to the hosting cluster with the kubectl flags, fetch, write.
 *
 * @module
 */
import type { CommandContext } from "../cli/command.ts";
import { withProg } from "../cli/errors.ts";
import { err, out } from "../cli/io.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { restClientFor } from "../kube/rest_client.ts";
import {
  getKubeconfigUsage,
  type KubeconfigAudience,
  parseGetKubeconfigArgs,
} from "./get_kubeconfig_args.ts";
import { fetchKubeconfigToFile } from "./kubeconfig_secret.ts";
import { waitTimeoutMs } from "./wait_timeout.ts";

/** Runs one of the two commands. */
export async function getKubeconfigMain(
  ctx: CommandContext,
  audience: KubeconfigAudience,
): Promise<number> {
  const request = parseGetKubeconfigArgs(ctx.prog, audience, ctx.args);
  if (request.help) {
    out(getKubeconfigUsage(audience));
    return 0;
  }
  try {
    const limit = waitTimeoutMs("10m");
    const kc = await loadKubeconfig(request.flags);
    const client = restClientFor(await kc.restConfig());
    try {
      if (request.trace) {
        err(
          `+ read Secret kubestellar in namespace ${request.flags.namespace} from ${client.server}`,
        );
      }
      await fetchKubeconfigToFile({
        client,
        namespace: request.flags.namespace,
        audience,
        timeoutMs: limit,
        progress: (line) => err(`${ctx.prog}: ${line}`),
      }, request.output);
    } finally {
      client.close();
    }
    return 0;
  } catch (e) {
    throw withProg(ctx.prog, e);
  }
}
