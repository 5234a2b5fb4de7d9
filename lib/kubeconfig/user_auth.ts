/**
 * How a kubeconfig user (plus kubectl's flags) authenticates, by client-go's
 * `clientcmd` rules:
 *
 * - `--token` / `token` (a bearer token), else `tokenFile` (read now, re-read every
 *   minute and on 401); `--client-certificate`/`--client-key` or the user's certificate;
 *   `--username`/`--password` or the user's basic auth.
 * - `exec`: a credential plugin (`lib/kube/exec_credentials.ts`), used only when none of
 *   the above is set (as client-go); its configuration is validated as kubectl does.
 * - `auth-provider: oidc` (`lib/kube/oidc_credentials.ts`); `gcp` and `azure` were
 *   removed from kubectl 1.26 and say what replaces them.
 * - `--as`, `--as-group`, `--as-uid` or the user's `as`, `as-groups`, `as-uid`,
 *   `as-user-extra`: impersonation.
 *
 * The plugin and provider modules load only when a user needs them, so the common
 * token and certificate kubeconfigs cost nothing more at start-up.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { UserError } from "../cli/errors.ts";
import type { Credentials, CredentialSource } from "../kube/credentials.ts";
import type { ExecClusterInfo, ExecConfig } from "../kube/exec_credentials.ts";
import type { Impersonation, RestConfig } from "../kube/rest_config.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { KubeconfigFile, readFailure } from "./kubeconfig_file.ts";
import type { KubeUser, NamedEntry } from "./kubeconfig_types.ts";

/** The authentication part of a `RestConfig`. */
export type UserAuth = Pick<
  RestConfig,
  "token" | "certData" | "keyData" | "username" | "password" | "impersonate" | "credentials"
>;

/** What the resolver already knows: the user's fixed credentials and the cluster. */
export interface UserAuthInputs {
  kc: Kubeconfig;
  user: NamedEntry<KubeUser> | undefined;
  userName: string;
  /** Token, certificate and basic auth after the flags were applied. */
  fixed: Credentials;
  /** The cluster as an exec plugin may see it. */
  cluster: ExecClusterInfo;
}

function invalid(message: string, user: NamedEntry<KubeUser> | undefined): UserError {
  return new UserError(
    `invalid configuration: ${message}${user ? ` (in kubeconfig "${user.file}")` : ""}`,
  );
}

function relativeTo(file: string, ref: string): string {
  return isAbsolute(ref) ? ref : resolve(dirname(file), ref);
}

function impersonation(
  inputs: UserAuthInputs,
): Impersonation | undefined {
  const flags = inputs.kc.flags;
  const u = inputs.user?.value;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const user = flags.as ?? str(u?.as);
  const uid = flags.asUid ?? str(u?.["as-uid"]);
  const groups = flags.asGroups ??
    (Array.isArray(u?.["as-groups"]) ? (u["as-groups"] as unknown[]).map(String) : undefined);
  const extraRaw = u?.["as-user-extra"];
  const extra = extraRaw && typeof extraRaw === "object"
    ? Object.fromEntries(
      Object.entries(extraRaw as Record<string, unknown>).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map(String) : [String(v)],
      ]),
    )
    : undefined;
  if (!user) {
    if (uid || groups?.length || (extra && Object.keys(extra).length)) {
      throw invalid(
        `requesting uid, groups or user-extra for ${inputs.userName} without impersonating a user`,
        inputs.user,
      );
    }
    return undefined;
  }
  const result: Impersonation = { user };
  if (uid) result.uid = uid;
  if (groups?.length) result.groups = groups;
  if (extra && Object.keys(extra).length) result.extra = extra;
  return result;
}

/** Checks `users[].user.exec` as kubectl's validation does and applies its defaults. */
function execConfig(user: NamedEntry<KubeUser>): ExecConfig {
  const raw = user.value.exec as Record<string, unknown>;
  const name = user.name;
  const command = typeof raw.command === "string" ? raw.command : "";
  if (command === "") {
    throw invalid(`command must be specified for ${name} to use exec authentication plugin`, user);
  }
  const apiVersion = typeof raw.apiVersion === "string" ? raw.apiVersion : "";
  if (apiVersion === "") {
    throw invalid(
      `apiVersion must be specified for ${name} to use exec authentication plugin`,
      user,
    );
  }
  if (
    !["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].includes(
      apiVersion,
    )
  ) {
    throw invalid(`exec plugin: invalid apiVersion "${apiVersion}"`, user);
  }
  let mode = typeof raw.interactiveMode === "string" ? raw.interactiveMode : "";
  // clientcmd's defaulting: v1beta1 plugins are interactive when they can be.
  if (mode === "" && apiVersion.endsWith("/v1beta1")) mode = "IfAvailable";
  if (mode === "") {
    throw invalid(
      `interactiveMode must be specified for ${name} to use exec authentication plugin`,
      user,
    );
  }
  if (!["Never", "IfAvailable", "Always"].includes(mode)) {
    throw invalid(`invalid interactiveMode for ${name}: "${mode}"`, user);
  }
  const env = Array.isArray(raw.env) ? raw.env as Record<string, unknown>[] : [];
  for (const e of env) {
    if (typeof e?.name !== "string" || e.name === "") {
      throw invalid(
        `env variable name must be specified for ${name} to use exec authentication plugin`,
        user,
      );
    }
  }
  return {
    // A command with a path separator is relative to the kubeconfig (client-go's ResolvePaths).
    command: command.includes("/") ? relativeTo(user.file, command) : command,
    args: Array.isArray(raw.args) ? raw.args.map(String) : [],
    env: env.map((e) => ({ name: String(e.name), value: String(e.value ?? "") })),
    apiVersion,
    interactiveMode: mode,
    provideClusterInfo: raw.provideClusterInfo === true,
    installHint: typeof raw.installHint === "string" ? raw.installHint : undefined,
  };
}

/** Writes refreshed OIDC tokens into the kubeconfig file that holds the user. */
function oidcPersister(user: NamedEntry<KubeUser>) {
  return async (tokens: { "id-token": string; "refresh-token": string }) => {
    const file = await KubeconfigFile.read(user.file);
    const value = file.entry("users", user.name);
    if (!value) return;
    const provider = { ...(value["auth-provider"] as Record<string, unknown>) };
    provider.config = { ...(provider.config as Record<string, string>), ...tokens };
    file.setEntry("users", user.name, { ...value, "auth-provider": provider });
    await file.write();
  };
}

async function authProviderSource(
  user: NamedEntry<KubeUser>,
  cluster: ExecClusterInfo,
): Promise<CredentialSource> {
  const provider = user.value["auth-provider"] as Record<string, unknown>;
  const name = typeof provider?.name === "string" ? provider.name : "";
  if (name === "gcp" || name === "azure") {
    const plugin = name === "gcp" ? "gke-gcloud-auth-plugin" : "kubelogin";
    throw new UserError(
      `the ${name} auth plugin has been removed (kubectl 1.26): use the "${plugin}" ` +
        `credential plugin instead (user "${user.name}" in "${user.file}")`,
    );
  }
  if (name !== "oidc") {
    throw new UserError(`no Auth Provider found for name "${name}" (user "${user.name}")`);
  }
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries((provider.config ?? {}) as Record<string, unknown>)) {
    if (typeof v === "string") config[k] = v;
  }
  for (const key of ["idp-issuer-url", "client-id"]) {
    if (!config[key]) throw invalid(`Must provide ${key}`, user);
  }
  const { oidcCredentials } = await import("../kube/oidc_credentials.ts");
  return oidcCredentials(cluster.server, config, oidcPersister(user));
}

/** Adds fixed fields (a client certificate) to a token-only source's credentials. */
function withFixed(source: CredentialSource, fixed: Credentials): CredentialSource {
  if (Object.keys(fixed).length === 0) return source;
  return {
    current: async () => ({ ...fixed, ...await source.current() }),
    refresh: async (used) => {
      const fresh = await source.refresh({ token: used.token });
      return fresh && { ...fixed, ...fresh };
    },
  };
}

/** Resolves the user's authentication; see the module documentation. */
export async function resolveUserAuth(inputs: UserAuthInputs): Promise<UserAuth> {
  const { user, fixed } = inputs;
  const u = user?.value;
  const auth: UserAuth = { ...fixed };
  const imp = impersonation(inputs);
  if (imp) auth.impersonate = imp;
  if (u?.exec && u["auth-provider"]) {
    throw invalid(
      `authProvider cannot be provided in combination with an exec plugin for ${inputs.userName}`,
      user,
    );
  }
  if (user && typeof u?.tokenFile === "string" && u.tokenFile !== "" && !inputs.kc.flags.token) {
    const path = relativeTo(user.file, u.tokenFile);
    let text = fixed.token;
    if (text === undefined) {
      try {
        text = await Deno.readTextFile(path);
      } catch (e) {
        throw new UserError(`cannot read token file "${path}": ${readFailure(e)}`);
      }
    }
    const { tokenFileCredentials } = await import("../kube/token_file_credentials.ts");
    const { token: _, ...rest } = fixed;
    auth.credentials = withFixed(tokenFileCredentials(path, text), rest);
    auth.token = text.trim();
    return auth;
  }
  const hasFixed = fixed.token !== undefined || fixed.certData !== undefined ||
    fixed.username !== undefined;
  if (user && u?.exec && !hasFixed) {
    const { execCredentials } = await import("../kube/exec_credentials.ts");
    auth.credentials = execCredentials(execConfig(user), inputs.cluster);
    return auth;
  }
  if (user && u?.exec) execConfig(user); // still validated, as kubectl does
  if (user && u?.["auth-provider"] && fixed.token === undefined) {
    auth.credentials = withFixed(await authProviderSource(user, inputs.cluster), fixed);
  }
  return auth;
}
