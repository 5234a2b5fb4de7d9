/**
 * The connection a pod has to its own cluster: the service-account token and CA
 * mounted at `/var/run/secrets/kubernetes.io/serviceaccount` and the server named by
 * `KUBERNETES_SERVICE_HOST` / `KUBERNETES_SERVICE_PORT` (client-go's `InClusterConfig`).
 * The token is re-read every minute and on 401, as client-go does, since the kubelet
 * rotates projected tokens.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { tokenFileCredentials } from "../kube/token_file_credentials.ts";

/** Where the service-account files are mounted. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Reads the in-cluster configuration; a clear `UserError` when not in a pod. */
export async function inClusterConfig(
  dir = SERVICE_ACCOUNT_DIR,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Promise<RestConfig> {
  const host = env("KUBERNETES_SERVICE_HOST");
  const port = env("KUBERNETES_SERVICE_PORT");
  if (!host || !port) {
    throw new UserError(
      "no --to-kubeconfig given and not running in a pod (KUBERNETES_SERVICE_HOST and " +
        "KUBERNETES_SERVICE_PORT are not set): pass --to-kubeconfig FILE",
    );
  }
  let token: string;
  let caData: string;
  let namespace = "default";
  try {
    token = (await Deno.readTextFile(`${dir}/token`)).trim();
    caData = await Deno.readTextFile(`${dir}/ca.crt`);
  } catch (e) {
    throw new UserError(
      `cannot read the pod's service-account credentials in ${dir}: ${(e as Error).message}`,
    );
  }
  try {
    namespace = (await Deno.readTextFile(`${dir}/namespace`)).trim() || "default";
  } catch {
    // optional
  }
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    token,
    // Projected service-account tokens rotate: re-read as client-go does.
    credentials: tokenFileCredentials(`${dir}/token`, token),
    caData,
    namespace,
    contextName: "",
    clusterName: "",
    userName: "",
  };
}
