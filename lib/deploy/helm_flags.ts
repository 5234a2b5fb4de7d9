/**
 * The helm flags `kubectl kubestellar deploy` accepts anywhere on its command line and
 * passes on to `helm upgrade -i` (helm 3.17's `upgrade` flags plus its global flags),
 * with which of them take a value, and the hosting-cluster connection they describe.
 *
 * @module
 */
import type { KubectlConnectionFlags, PassThroughFlag } from "../cli/kubectl_flags.ts";

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
  "-n": "namespace",
  "--namespace": "namespace",
};

/**
 * The hosting-cluster connection that helm flags (as the scanner keeps them) select, in
 * kubectl's terms, so that deploy can read the objects helm created. Later flags win.
 */
export function helmConnectionFlags(passThrough: string[]): KubectlConnectionFlags {
  const result: KubectlConnectionFlags = {};
  for (let i = 0; i < passThrough.length; i++) {
    const word = passThrough[i];
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : word;
    const spec = HELM_FLAGS.find((f) => f.names.includes(name));
    let value: string | undefined;
    if (eq > 0) value = word.slice(eq + 1);
    else if (spec?.takesValue) value = passThrough[++i];
    const field = FIELD_BY_FLAG[name];
    if (!field) continue;
    if (field === "insecureSkipTlsVerify") {
      result.insecureSkipTlsVerify = value === undefined ? true : value === "true";
    } else if (value !== undefined) {
      (result as Record<string, string>)[field] = value;
    }
  }
  return result;
}
