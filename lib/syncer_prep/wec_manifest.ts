/**
 * The manifest that installs a syncer into a WEC (commands-spec §8.5): Namespace,
 * ServiceAccount and its token Secret, ClusterRole and ClusterRoleBinding, the Secret
 * holding the kubeconfig for the mailbox workspace, and the Deployment that runs the
 * syncer image with the real SyncTarget name and UID. `kubectl delete -f` of the same
 * file removes all of it.
 *
 * @example
 * ```ts
 * const yaml = renderWecManifest({ id, syncTargetName: "demo1", syncTargetUid: uid,
 *   image: DEFAULT_SYNCER_IMAGE, server: mailboxUrl, caData: pem, token });
 * ```
 *
 * @module
 */
import { kubectlYaml } from "../cli/kubectl_yaml.ts";
import type { KubeObject } from "../kube/rest_client.ts";

/** What the manifest is made of. */
export interface WecManifestInput {
  /** Syncer ID: namespace and object names. */
  id: string;
  syncTargetName: string;
  syncTargetUid: string;
  image: string;
  /** URL of the mailbox workspace. */
  server: string;
  /** PEM of the CA to trust for `server` (absent: the system roots). */
  caData?: string;
  /** The ServiceAccount token for the mailbox (written only into the Secret). */
  token: string;
}

function b64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The kubeconfig the syncer uses to reach its mailbox workspace. */
export function mailboxKubeconfig(input: WecManifestInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.caData) cluster["certificate-authority-data"] = b64(input.caData);
  return kubectlYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "default-cluster", cluster }],
    contexts: [{
      name: "default-context",
      context: { cluster: "default-cluster", namespace: "default", user: "default-user" },
    }],
    "current-context": "default-context",
    users: [{ name: "default-user", user: { token: input.token } }],
  });
}

/** The manifest's objects, in order. */
export function wecManifestObjects(input: WecManifestInput): KubeObject[] {
  const { id } = input;
  const ns = id;
  const labels = { app: id };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: id, namespace: ns } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: `${id}-token`,
        namespace: ns,
        annotations: { "kubernetes.io/service-account.name": id },
      },
      type: "kubernetes.io/service-account-token",
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: id },
      rules: [
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles", "clusterrolebindings"],
          verbs: ["*"],
        },
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: id },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: id },
      subjects: [{ kind: "ServiceAccount", name: id, namespace: ns }],
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: id, namespace: ns },
      type: "Opaque",
      data: { kubeconfig: b64(mailboxKubeconfig(input)) },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: id, namespace: ns },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: id,
            containers: [{
              name: "kubestellar-syncer",
              image: input.image,
              imagePullPolicy: "IfNotPresent",
              terminationMessagePolicy: "FallbackToLogsOnError",
              args: [
                "--from-kubeconfig=/kubestellar/kubeconfig",
                `--sync-target-name=${input.syncTargetName}`,
                `--sync-target-uid=${input.syncTargetUid}`,
                "--v=3",
              ],
              env: [{
                name: "NAMESPACE",
                valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
              }],
              volumeMounts: [{
                name: "kubestellar-config",
                mountPath: "/kubestellar/",
                readOnly: true,
              }],
            }],
            volumes: [{
              name: "kubestellar-config",
              secret: { secretName: id, optional: false },
            }],
          },
        },
      },
    },
  ];
}

/** The manifest as multi-document YAML starting with `---`. */
export function renderWecManifest(input: WecManifestInput): string {
  return wecManifestObjects(input).map((o) => `---\n${kubectlYaml(o)}`).join("");
}
