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
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { Buffer } from "node:buffer";
import { UserError } from "../cli/errors.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { parseDuration } from "./duration.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { readFailure } from "./kubeconfig_file.ts";
import type { KubeCluster, KubeUser, NamedEntry } from "./kubeconfig_types.ts";

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

  const u = user?.value;
  if (flags.token !== undefined) config.token = flags.token;
  else if (typeof u?.token === "string" && u.token !== "") config.token = u.token;
  else if (typeof u?.tokenFile === "string" && u.tokenFile !== "") {
    const text = await readReferenced(relativeTo(user!.file, u.tokenFile), "token file");
    config.token = text.trim();
  }
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
    config.certData = certData;
    config.keyData = keyData;
  }
  if (typeof u?.username === "string" && typeof u?.password === "string") {
    config.username = u.username;
    config.password = u.password;
  }

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
