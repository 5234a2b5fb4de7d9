/**
 * The kubectl global flags that the `kubectl kubestellar …` commands accept anywhere
 * on their command line and pass on, with which of them take a value.
 *
 * Knowing which flags are boolean is what lets us avoid the upstream scripts' bug
 * where `--insecure-skip-tls-verify` swallowed the next word.
 *
 * @module
 */

/** How a pass-through flag is written. */
export interface PassThroughFlag {
  /** Every spelling, with dashes (`-n`, `--namespace`). */
  names: string[];
  /** True when the flag takes a value (`--kubeconfig PATH`); false for booleans. */
  takesValue: boolean;
}

/** kubectl's global flags (kubectl 1.32 `kubectl options`), except `--context`. */
export const KUBECTL_FLAGS: PassThroughFlag[] = [
  { names: ["--kubeconfig"], takesValue: true },
  { names: ["--cluster"], takesValue: true },
  { names: ["--user"], takesValue: true },
  { names: ["-s", "--server"], takesValue: true },
  { names: ["--token"], takesValue: true },
  { names: ["--certificate-authority"], takesValue: true },
  { names: ["--client-certificate"], takesValue: true },
  { names: ["--client-key"], takesValue: true },
  { names: ["--insecure-skip-tls-verify"], takesValue: false },
  { names: ["--tls-server-name"], takesValue: true },
  { names: ["--request-timeout"], takesValue: true },
  { names: ["-n", "--namespace"], takesValue: true },
  { names: ["--as"], takesValue: true },
  { names: ["--as-group"], takesValue: true },
  { names: ["--as-uid"], takesValue: true },
  { names: ["--username"], takesValue: true },
  { names: ["--password"], takesValue: true },
  { names: ["--cache-dir"], takesValue: true },
  { names: ["--disable-compression"], takesValue: false },
  { names: ["--match-server-version"], takesValue: false },
  { names: ["--warnings-as-errors"], takesValue: false },
  { names: ["-v", "--v"], takesValue: true },
  { names: ["--vmodule"], takesValue: true },
  { names: ["--log-flush-frequency"], takesValue: true },
  { names: ["--profile"], takesValue: true },
  { names: ["--profile-output"], takesValue: true },
];

/** The connection settings a command derives from its kubectl flags. */
export interface KubectlConnectionFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  requestTimeout?: string;
  namespace?: string;
  /** `--as`: the user to impersonate. */
  as?: string;
  /** `--as-group` (repeatable): groups to impersonate. */
  asGroups?: string[];
  /** `--as-uid`: the UID to impersonate. */
  asUid?: string;
  /** `--username` / `--password`: basic authentication. */
  username?: string;
  password?: string;
}

const FIELD_BY_FLAG: Record<string, keyof KubectlConnectionFlags> = {
  "--kubeconfig": "kubeconfig",
  "--context": "context",
  "--cluster": "cluster",
  "--user": "user",
  "-s": "server",
  "--server": "server",
  "--token": "token",
  "--certificate-authority": "certificateAuthority",
  "--client-certificate": "clientCertificate",
  "--client-key": "clientKey",
  "--insecure-skip-tls-verify": "insecureSkipTlsVerify",
  "--tls-server-name": "tlsServerName",
  "--request-timeout": "requestTimeout",
  "-n": "namespace",
  "--namespace": "namespace",
  "--as": "as",
  "--as-group": "asGroups",
  "--as-uid": "asUid",
  "--username": "username",
  "--password": "password",
};

/**
 * Reads connection settings out of pass-through words as the scanner keeps them, given
 * which flags exist (to know which take the next word) and which field each sets. Later
 * flags win (`--as-group` adds up). Shared by the kubectl flags below and helm's (`lib/deploy/helm_flags.ts`).
 */
export function connectionFlagsFrom(
  passThrough: string[],
  flags: PassThroughFlag[],
  fieldByFlag: Record<string, keyof KubectlConnectionFlags>,
): KubectlConnectionFlags {
  const result: KubectlConnectionFlags = {};
  for (let i = 0; i < passThrough.length; i++) {
    const word = passThrough[i];
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : word;
    const field = fieldByFlag[name];
    const spec = flags.find((f) => f.names.includes(name));
    let value: string | undefined;
    if (eq > 0) value = word.slice(eq + 1);
    else if (spec?.takesValue) value = passThrough[++i];
    if (!field) continue;
    if (field === "insecureSkipTlsVerify") {
      result.insecureSkipTlsVerify = value === undefined ? true : value === "true";
    } else if (field === "asGroups") {
      if (value !== undefined) result.asGroups = [...(result.asGroups ?? []), value];
    } else if (value !== undefined) {
      (result as Record<string, string>)[field] = value;
    }
  }
  return result;
}

/** `--context` is rejected by most commands but still takes a value when passed on. */
const WITH_CONTEXT: PassThroughFlag[] = [
  ...KUBECTL_FLAGS,
  { names: ["--context"], takesValue: true },
];

/**
 * Reads the connection settings out of pass-through words as the scanner keeps them
 * (`["--kubeconfig", "kc", "--insecure-skip-tls-verify=true"]`). Later flags win, as in kubectl.
 */
export function connectionFlags(passThrough: string[]): KubectlConnectionFlags {
  return connectionFlagsFrom(passThrough, WITH_CONTEXT, FIELD_BY_FLAG);
}
