/**
 * `kubectl kubestellar edge-view [WMW] [--context NAME] [--espw-path PATH]`: writes a
 * kubeconfig context that reaches workload management workspace WMW (a path such as
 * `root:wmw1`, or a child name of `root`; default: the current workspace) through the
 * edge view. The context's cluster is the view's URL (from the ConfigMap the view
 * publishes in the ESPW) with the WMW's `/clusters/` path and the view's CA; its user is
 * the current context's user, whose bearer token the view passes to kcp. The current
 * context stays as it is. Prints `Context "NAME" is set up for the edge view of WMW.`
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { restClientFor } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import { serverForCluster } from "../kube/rest_paths.ts";
import { EDGE_VIEW_NAMESPACE, EDGE_VIEW_OBJECT } from "./view_endpoint.ts";
import type { ViewContextArgs } from "./view_context_args.ts";

function clusterPathOf(server: string): string | undefined {
  return /\/clusters\/([^/]+)\/?$/.exec(new URL(server).pathname)?.[1];
}

/** Writes the context; returns the line to print. */
export async function writeViewContext(args: ViewContextArgs): Promise<string> {
  const kc = await loadKubeconfig({ kubeconfig: args.kubeconfig });
  const currentName = kc.currentContext;
  const current = currentName ? kc.find("contexts", currentName) : undefined;
  if (!current) throw new UserError("the kubeconfig has no current context");
  const userName = current.value.user ?? "";
  const user = kc.find("users", userName)?.value ?? {};
  // Tokens, token files, exec plugins and auth providers all reach the view as a bearer token.
  const bearer = ["token", "tokenFile", "exec", "auth-provider"].some((k) => user[k]);
  if (!bearer) {
    throw new UserError(
      `the user "${userName}" of context "${currentName}" has no bearer token: the edge view ` +
        "passes bearer tokens to kcp and cannot pass client certificates",
    );
  }
  const config = await kc.restConfig();
  const wmw = args.wmw ?? clusterPathOf(config.server);
  if (!wmw) throw new UserError("name the workload management workspace (no current workspace)");
  const client = restClientFor({
    ...config,
    server: serverForCluster(config.server, args.espwPath),
  });
  let data: Record<string, string> | undefined;
  try {
    const cm = await client.get({
      version: "v1",
      resource: "configmaps",
      namespace: EDGE_VIEW_NAMESPACE,
      name: EDGE_VIEW_OBJECT,
    });
    data = cm.data as Record<string, string> | undefined;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  } finally {
    client.close();
  }
  if (!data?.server || !data["ca.crt"]) {
    throw new UserError(
      `the edge view is not running (no ConfigMap ${EDGE_VIEW_OBJECT} in ${args.espwPath}): ` +
        "run kubestellar start",
    );
  }
  const name = args.context ?? `${wmw.split(":").at(-1)}-edge-view`;
  kc.set("clusters", name, {
    server: `${data.server}/clusters/${wmw}`,
    "certificate-authority-data": btoa(data["ca.crt"]),
  });
  kc.set("contexts", name, { ...current.value, cluster: name });
  await kc.save();
  return `Context "${name}" is set up for the edge view of ${wmw}.`;
}
