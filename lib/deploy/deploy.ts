/**
 * `kubectl kubestellar deploy`: writes the embedded chart to a temporary directory, runs
 * `helm upgrade -i … kubestellar <chart>` with the seed's values, removes the directory,
 * and on OpenShift without an endpoint waits (bounded) for the Route's host and prints it.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { err, out } from "../cli/io.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { restClientFor } from "../kube/rest_client.ts";
import { buildStamp } from "../version/build_info.ts";
import { PROJECT_VERSION } from "../version/project_version.ts";
import { writeEmbeddedChart } from "./chart_dir.ts";
import type { DeployRequest } from "./deploy_args.ts";
import { helmConnectionFlags } from "./helm_flags.ts";
import { helmUpgradeArgs, runHelm } from "./helm_upgrade.ts";
import { waitForRouteHost } from "./route_host.ts";
import { waitTimeoutMs } from "./wait_timeout.ts";

/** The controllers image tag this build deploys: its release, else the source version. */
export function imageTag(): string {
  return buildStamp().release || PROJECT_VERSION;
}

/** Runs a parsed deploy request; resolves to the exit code. */
export async function deploy(request: DeployRequest, prog: string): Promise<number> {
  const limit = request.openshift && request.host === "" ? waitTimeoutMs("5m") : 0;
  const chart = await writeEmbeddedChart();
  let code: number;
  try {
    code = await runHelm(
      helmUpgradeArgs({
        chartPath: chart.path,
        openshift: request.openshift,
        host: request.host,
        port: request.port,
        imageTag: imageTag(),
        helmFlags: request.helmFlags,
      }),
      request.trace,
      prog,
    );
  } finally {
    await chart.remove();
  }
  if (code !== 0) {
    err(
      `${prog}: helm upgrade of release "kubestellar" failed (exit ${code}); see helm's message above`,
    );
    return code;
  }
  if (limit === 0) return 0;
  const kc = await loadKubeconfig(helmConnectionFlags(request.helmFlags));
  const config = await kc.restConfig();
  const client = restClientFor(config);
  try {
    const host = await waitForRouteHost({
      client,
      namespace: config.namespace,
      timeoutMs: limit,
      progress: (line) => err(`${prog}: ${line}`),
    });
    out(`External endpoint: ${host}:${request.port}`);
    return 0;
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${prog}: ${e.message}`, e.exitCode);
    throw e;
  } finally {
    client.close();
  }
}
