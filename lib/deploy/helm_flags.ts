/**
 * The helm flags `kubectl kubestellar deploy` accepts anywhere on its command line and
 * passes on to `helm upgrade -i` (helm 3.17's `upgrade` flags plus its global flags),
 * with which of them take a value, and the hosting-cluster connection they describe.
 *
 * @module
 */
import {
  connectionFlagsFrom,
  type KubectlConnectionFlags,
  type PassThroughFlag,
} from "../cli/kubectl_flags.ts";

const VALUE_FLAGS = [
  ["--burst-limit"],
  ["--ca-file"],
  ["--cert-file"],
  ["--description"],
  ["--history-max"],
  ["--key-file"],
  ["--keyring"],
  ["--kube-apiserver"],
  ["--kube-as-group"],
  ["--kube-as-user"],
  ["--kube-ca-file"],
  ["--kube-context"],
  ["--kube-tls-server-name"],
  ["--kube-token"],
  ["--kubeconfig"],
  ["-l", "--labels"],
  ["-n", "--namespace"],
  ["-o", "--output"],
  ["--password"],
  ["--post-renderer"],
  ["--post-renderer-args"],
  ["--qps"],
  ["--registry-config"],
  ["--repo"],
  ["--repository-cache"],
  ["--repository-config"],
  ["--set"],
  ["--set-file"],
  ["--set-json"],
  ["--set-literal"],
  ["--set-string"],
  ["--timeout"],
  ["--username"],
  ["-f", "--values"],
  ["--version"],
];

const SWITCHES = [
  ["--atomic"],
  ["--cleanup-on-fail"],
  ["--create-namespace"],
  ["--debug"],
  ["--dependency-update"],
  ["--devel"],
  ["--disable-openapi-validation"],
  ["--dry-run"],
  ["--enable-dns"],
  ["--force"],
  ["--hide-notes"],
  ["--insecure-skip-tls-verify"],
  ["-i", "--install"],
  ["--kube-insecure-skip-tls-verify"],
  ["--no-hooks"],
  ["--pass-credentials"],
  ["--plain-http"],
  ["--render-subchart-notes"],
  ["--reset-then-reuse-values"],
  ["--reset-values"],
  ["--reuse-values"],
  ["--skip-crds"],
  ["--skip-schema-validation"],
  ["--take-ownership"],
  ["--verify"],
  ["--wait"],
  ["--wait-for-jobs"],
];

/** `helm upgrade`'s flags (helm 3.17). Switches never take the next word. */
export const HELM_FLAGS: PassThroughFlag[] = [
  ...VALUE_FLAGS.map((names) => ({ names, takesValue: true })),
  ...SWITCHES.map((names) => ({ names, takesValue: false })),
];

const FIELD_BY_FLAG: Record<string, keyof KubectlConnectionFlags> = {
  "--kubeconfig": "kubeconfig",
  "--kube-context": "context",
  "--kube-apiserver": "server",
  "--kube-token": "token",
  "--kube-ca-file": "certificateAuthority",
  "--kube-tls-server-name": "tlsServerName",
  "--kube-insecure-skip-tls-verify": "insecureSkipTlsVerify",
  "--kube-as-user": "as",
  "--kube-as-group": "asGroups",
  "-n": "namespace",
  "--namespace": "namespace",
};

/**
 * The hosting-cluster connection that helm flags (as the scanner keeps them) select, in
 * kubectl's terms, so that deploy can read the objects helm created. Later flags win.
 */
export function helmConnectionFlags(passThrough: string[]): KubectlConnectionFlags {
  return connectionFlagsFrom(passThrough, HELM_FLAGS, FIELD_BY_FLAG);
}
