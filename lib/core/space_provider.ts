/**
 * Seed step 6 of `kubestellar init`: the space-provider objects a space manager uses to
 * reach this kcp, made when `SPACE_MANAGER_KUBECONFIG` is set (design §5):
 *
 * - Secret `kcpsec` in namespace `$PROVIDER_NAMESPACE` (default `spaceprovider-<provider>`)
 *   with keys `kubeconfig` and `external`: a self-contained kubeconfig for kcp's `root`;
 * - cluster-scoped `space.kubestellar.io/v1alpha1` SpaceProviderDesc `$PROVIDER_NAME`
 *   (default `default`) with `ProviderType: kcp`, `SpacePrefixForDiscovery: ks-` and a
 *   `secretRef` to that Secret.
 *
 * `IN_CLUSTER` (`true`/`false`, default `true`) says whether spaces are reached from
 * inside the hosting cluster; for a bare-process kcp both keys hold the same kubeconfig.
 *
 * @module
 */
import { stringify as stringifyYaml } from "yaml";
import { UserError } from "../cli/errors.ts";
import { type RestClient, restClientFor } from "../kube/rest_client.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { serverBase } from "../workspace/workspace_path.ts";
import type { WorkspaceSession } from "../workspace/workspace_session.ts";
import { ensureObject } from "./ensure_object.ts";

/** Where and how to record the provider. */
export interface SpaceProviderSettings {
  /** Kubeconfig of the space-manager cluster. */
  kubeconfigPath: string;
  inCluster: boolean;
  providerName: string;
  namespace: string;
}

/** Reads the settings from the environment; undefined when step 6 is not asked for. */
export function spaceProviderFromEnv(
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): SpaceProviderSettings | undefined {
  const kubeconfigPath = env("SPACE_MANAGER_KUBECONFIG");
  if (!kubeconfigPath) return undefined;
  const inCluster = env("IN_CLUSTER") ?? "true";
  if (inCluster !== "true" && inCluster !== "false") {
    throw new UserError(`IN_CLUSTER must be 'true' or 'false', not '${inCluster}'`);
  }
  const providerName = env("PROVIDER_NAME") || "default";
  return {
    kubeconfigPath,
    inCluster: inCluster === "true",
    providerName,
    namespace: env("PROVIDER_NAMESPACE") || `spaceprovider-${providerName}`,
  };
}

/** A kubeconfig that reaches kcp's `root` with the session's credentials. */
export function kcpKubeconfigText(config: RestConfig): string {
  const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const cluster: Record<string, unknown> = { server: `${serverBase(config.server)}/clusters/root` };
  if (config.caData) cluster["certificate-authority-data"] = b64(config.caData);
  if (config.tlsServerName) cluster["tls-server-name"] = config.tlsServerName;
  const user: Record<string, unknown> = {};
  if (config.token) user.token = config.token;
  if (config.certData) user["client-certificate-data"] = b64(config.certData);
  if (config.keyData) user["client-key-data"] = b64(config.keyData);
  return stringifyYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "root", cluster }],
    users: [{ name: "kcp-admin", user }],
    contexts: [{ name: "root", context: { cluster: "root", user: "kcp-admin" } }],
    "current-context": "root",
  });
}

/** Ensures the namespace, Secret and SpaceProviderDesc in the space-manager cluster. */
export async function ensureSpaceProvider(
  session: WorkspaceSession,
  settings: SpaceProviderSettings,
  verbose: boolean,
): Promise<void> {
  const kc = await loadKubeconfig({ kubeconfig: settings.kubeconfigPath });
  const client: RestClient = restClientFor(await kc.restConfig());
  try {
    const text = kcpKubeconfigText(session.config);
    const data = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: settings.namespace } },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "kcpsec", namespace: settings.namespace },
        type: "Opaque",
        data: { kubeconfig: data, external: data },
      },
      {
        apiVersion: "space.kubestellar.io/v1alpha1",
        kind: "SpaceProviderDesc",
        metadata: { name: settings.providerName },
        spec: {
          ProviderType: "kcp",
          SpacePrefixForDiscovery: "ks-",
          secretRef: { namespace: settings.namespace, name: "kcpsec" },
        },
      },
    ];
    for (const obj of objects) {
      const outcome = await ensureObject(client, obj);
      if (verbose) session.out(`${obj.kind.toLowerCase()}/${obj.metadata.name} ${outcome}`);
    }
  } finally {
    client.close();
  }
}
