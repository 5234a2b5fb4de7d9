/**
 * Resolves a kubeconfig context plus kubectl's connection flags into a `RestConfig`,
 * following client-go's `clientcmd` override rules.
 *
 * - `--context` picks the context (else `current-context`); `--cluster`/`--user`
 *   replace the context's cluster/user; `-n` its namespace (default `default`).
 * - `-s` replaces the server; with it, the kubeconfig's `tls-server-name` is dropped
 *   unless `--tls-server-name` is also given.
 * - `--insecure-skip-tls-verify` or `--certificate-authority` replace all of the
 *   cluster's CA settings.
 * - File references in a kubeconfig (`certificate-authority:`, `client-key:`,
 *   `tokenFile:` …) are relative to that kubeconfig file; `*-data` fields are base64.
 * - `proxy-url` (http, https or socks5) is checked as kubectl checks it.
 * - The user's authentication (tokens, token files, certificates, basic auth, exec
 *   plugins, the oidc auth-provider, impersonation) is `user_auth.ts`'s.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { Buffer } from "node:buffer";
import { UserError } from "../cli/errors.ts";
import type { Credentials } from "../kube/credentials.ts";
import type { ExecClusterInfo } from "../kube/exec_credentials.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { parseDuration } from "./duration.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { readFailure } from "./kubeconfig_file.ts";
import type { KubeCluster, KubeUser, NamedEntry } from "./kubeconfig_types.ts";
import { resolveUserAuth } from "./user_auth.ts";

async function readReferenced(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} "${path}": ${readFailure(e)}`);
  }
}

function decodeData(data: string, what: string): string {
  const compact = data.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new UserError(`${what} is not valid base64: fix the kubeconfig`);
  }
  return Buffer.from(compact, "base64").toString("utf8");
}

/** Resolves a kubeconfig file reference relative to the kubeconfig that holds it. */
function relativeTo(file: string, ref: string): string {
  return isAbsolute(ref) ? ref : resolve(dirname(file), ref);
}

/** One PEM source: inline data (base64) wins over a file reference, as in client-go. */
async function pem(
  entry: NamedEntry<KubeCluster | KubeUser> | undefined,
  dataField: string,
  fileField: string,
  what: string,
): Promise<string | undefined> {
  if (!entry) return undefined;
  const data = entry.value[dataField];
  const ref = entry.value[fileField];
  if (typeof data === "string" && data !== "" && typeof ref === "string" && ref !== "") {
    // kubectl refuses such an entry too ("… are both specified").
    throw new UserError(
      `"${entry.name}" in "${entry.file}" sets both ${dataField} and ${fileField}: remove one of them`,
    );
  }
  if (typeof data === "string" && data !== "") {
    return decodeData(data, `${dataField} of "${entry.name}"`);
  }
  if (typeof ref === "string" && ref !== "") {
    return await readReferenced(relativeTo(entry.file, ref), what);
  }
  return undefined;
}

/** kubectl's check of `proxy-url`: http, https or socks5 with a host. */
function checkProxyUrl(value: string, clusterName: string): string {
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    // reported below
  }
  const scheme = u?.protocol.replace(/:$/, "") ?? "";
  if (!u || !["http", "https", "socks5"].includes(scheme) || u.host === "") {
    throw new UserError(
      `invalid 'proxy-url' "${value}" for cluster "${clusterName}": ` +
        (u && u.host !== ""
          ? `unsupported scheme "${scheme}", must be http, https, or socks5`
          : "not a URL with a host"),
    );
  }
  return value;
}

/** The cluster as an exec plugin with `provideClusterInfo` sees it. */
function execClusterInfo(config: RestConfig, cluster: KubeCluster | undefined): ExecClusterInfo {
  const info: ExecClusterInfo = { server: config.server };
  if (config.tlsServerName) info["tls-server-name"] = config.tlsServerName;
  if (config.insecureSkipTlsVerify) info["insecure-skip-tls-verify"] = true;
  if (config.caData) {
    info["certificate-authority-data"] = Buffer.from(config.caData).toString("base64");
  }
  if (config.proxyUrl) info["proxy-url"] = config.proxyUrl;
  const extensions = Array.isArray(cluster?.extensions) ? cluster.extensions : [];
  const ext = extensions.find((e) => e?.name === "client.authentication.k8s.io/exec");
  if (ext?.extension !== undefined) info.config = ext.extension;
  return info;
}

/** Resolves the effective connection of `kc`'s selected context and flags. */
export async function resolveRestConfig(kc: Kubeconfig): Promise<RestConfig> {
  const flags = kc.flags;
  const contextName = kc.selectedContext;
  const where = kc.describeFiles();
  let context: NamedEntry<{ cluster?: string; user?: string; namespace?: string }> | undefined;
  if (contextName !== "") context = kc.requireContext(contextName);
  else if (!flags.server) {
    throw new UserError(
      `no kubeconfig context is selected in ${where}: set current-context or pass --context`,
    );
  }
  const clusterName = flags.cluster ?? context?.value.cluster ?? "";
  const userName = flags.user ?? context?.value.user ?? "";
  const cluster = clusterName !== "" ? kc.find("clusters", clusterName) : undefined;
  if (clusterName !== "" && !cluster) {
    throw new UserError(
      `cluster "${clusterName}" (of context "${contextName}") does not exist in kubeconfig ${where}`,
    );
  }
  const user = userName !== "" ? kc.find("users", userName) : undefined;
  if (userName !== "" && !user) {
    throw new UserError(
      `user "${userName}" (of context "${contextName}") does not exist in kubeconfig ${where}`,
    );
  }
  const server = flags.server ?? cluster?.value.server ?? "";
  if (server === "") {
    throw new UserError(`cluster "${clusterName}" has no server URL: set one or pass --server`);
  }
  try {
    new URL(server);
  } catch {
    throw new UserError(`server URL "${server}" of cluster "${clusterName}" is not a valid URL`);
  }

  let insecure = cluster?.value["insecure-skip-tls-verify"] === true;
  let caData: string | undefined;
  if (flags.insecureSkipTlsVerify || flags.certificateAuthority) {
    insecure = flags.insecureSkipTlsVerify === true;
    if (flags.certificateAuthority) {
      caData = await readReferenced(resolve(flags.certificateAuthority), "certificate authority");
    }
  } else {
    caData = await pem(
      cluster,
      "certificate-authority-data",
      "certificate-authority",
      "certificate authority",
    );
  }
  if (insecure && caData !== undefined) {
    throw new UserError(
      `cluster "${clusterName}" sets both insecure-skip-tls-verify and a certificate authority: ` +
        "remove one of them",
    );
  }
  let tlsServerName = cluster?.value["tls-server-name"];
  if (flags.tlsServerName !== undefined || flags.server !== undefined) {
    tlsServerName = flags.tlsServerName;
  }

  const config: RestConfig = {
    server,
    namespace: flags.namespace || context?.value.namespace || "default",
    contextName,
    clusterName,
    userName,
  };
  if (caData !== undefined) config.caData = caData;
  if (insecure) config.insecureSkipTlsVerify = true;
  if (typeof tlsServerName === "string" && tlsServerName !== "") {
    config.tlsServerName = tlsServerName;
  }

  const proxyUrl = cluster?.value["proxy-url"];
  if (typeof proxyUrl === "string" && proxyUrl !== "") {
    config.proxyUrl = checkProxyUrl(proxyUrl, clusterName);
  }

  const u = user?.value;
  const fixed: Credentials = {};
  const token = flags.token ??
    (typeof u?.token === "string" && u.token !== "" ? u.token : undefined);
  if (token !== undefined) fixed.token = token;
  const certData = flags.clientCertificate
    ? await readReferenced(resolve(flags.clientCertificate), "client certificate")
    : await pem(user, "client-certificate-data", "client-certificate", "client certificate");
  const keyData = flags.clientKey
    ? await readReferenced(resolve(flags.clientKey), "client key")
    : await pem(user, "client-key-data", "client-key", "client key");
  if ((certData === undefined) !== (keyData === undefined)) {
    throw new UserError(
      `user "${userName}" has a client ${
        certData ? "certificate without a key" : "key without a certificate"
      }`,
    );
  }
  if (certData !== undefined) {
    fixed.certData = certData;
    fixed.keyData = keyData;
  }
  const username = flags.username ?? (typeof u?.username === "string" ? u.username : undefined);
  const password = flags.password ?? (typeof u?.password === "string" ? u.password : undefined);
  if (username !== undefined && password !== undefined) {
    fixed.username = username;
    fixed.password = password;
  }
  Object.assign(
    config,
    await resolveUserAuth({
      kc,
      user,
      userName,
      fixed,
      cluster: execClusterInfo(config, cluster?.value),
    }),
  );

  if (flags.requestTimeout !== undefined) {
    const ms = parseDuration(flags.requestTimeout);
    if (ms === undefined) {
      throw new UserError(
        `invalid --request-timeout "${flags.requestTimeout}": use a duration such as 30s or 1m`,
      );
    }
    if (ms > 0) config.timeoutMs = ms;
  }
  return config;
}
