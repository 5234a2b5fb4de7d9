/**
 * `switch-domain`: derive from one kubeconfig an alternate one that reaches the same
 * server by another domain name and port, trusting a given CA certificate.
 *
 * The named context leads to a cluster; that cluster's server URL gives a
 * `protocol://host:port` prefix. Every cluster whose server has exactly that prefix
 * (see `server_authority.ts`) gets the new host and port (path kept) and
 * `certificate-authority-data` = base64 of the CA file. Because kubectl refuses a
 * cluster that sets `certificate-authority-data` together with
 * `certificate-authority` ("both are specified") or with
 * `insecure-skip-tls-verify: true` ("specifying a root certificates file with the
 * insecure flag is not allowed"), those two fields are removed from the clusters that
 * change. Everything else, including every untouched line, is copied as it is.
 *
 * The input is only read. All inputs are checked before anything is written; the
 * output is written atomically with mode 0600, into a directory that must exist.
 *
 * @example
 * ```ts
 * const inputs = await prepareSwitch({ outPath: "test.yaml", domain: "yep.yep", port: "6443", caFile: "ca.crt" });
 * await switchDomain({ ...inputs, inPath: ".kcp/admin.kubeconfig", context: "root" });
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { dirname, resolve } from "node:path";
import { describeError, UserError } from "../cli/errors.ts";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "./kubeconfig.ts";
import { KubeconfigFile, readFailure } from "./kubeconfig_file.ts";
import {
  parseHost,
  parsePort,
  parseServerAuthority,
  replaceAuthority,
} from "./server_authority.ts";

/** The checked inputs that do not depend on the input kubeconfig. */
export interface SwitchTarget {
  /** Output kubeconfig path. */
  outPath: string;
  /** New host (no brackets). */
  domain: string;
  /** New port. */
  port: number;
  /** base64 of the CA file's bytes, one line. */
  caData: string;
}

/** Everything `switchDomain` needs. */
export interface SwitchRequest extends SwitchTarget {
  /** Input kubeconfig path (only read). */
  inPath: string;
  /** Context whose cluster names the server to switch. */
  context: string;
}

/** What was switched. */
export interface SwitchResult {
  /** The `protocol://host:port` prefix that was replaced. */
  from: string;
  /** Names of the clusters that changed, in file order. */
  clusters: string[];
  /** The output text. */
  text: string;
}

/** Exit code of "there is no context named …" (as upstream). */
export const NO_CONTEXT_EXIT_CODE = 10;

/**
 * Checks domain, port, CA file and output directory (not the input kubeconfig, which
 * may not exist yet while a server starts). Throws a `UserError` on the first problem.
 */
export async function prepareSwitch(
  args: { outPath: string; domain: string; port: string; caFile: string },
): Promise<SwitchTarget> {
  const domain = parseHost(args.domain);
  const port = parsePort(args.port);
  const caData = await readCaData(args.caFile);
  await checkOutputDirectory(args.outPath);
  return { outPath: args.outPath, domain, port, caData };
}

/** Reads a CA certificate file (PEM) and returns its bytes in base64. */
export async function readCaData(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new UserError(`cannot read CA certificate file "${path}": ${readFailure(e)}`);
  }
  if (!new TextDecoder().decode(bytes).includes("-----BEGIN CERTIFICATE-----")) {
    throw new UserError(
      `CA certificate file "${path}" holds no PEM certificate: give the CA's .crt file`,
    );
  }
  return Buffer.from(bytes).toString("base64");
}

async function checkOutputDirectory(outPath: string): Promise<void> {
  const dir = dirname(resolve(outPath));
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (e) {
    throw new UserError(
      `cannot write output kubeconfig "${outPath}": directory "${dir}": ${readFailure(e)}`,
    );
  }
  if (!info.isDirectory) {
    throw new UserError(
      `cannot write output kubeconfig "${outPath}": "${dir}" is not a directory`,
    );
  }
  const out = await Deno.stat(outPath).catch(() => undefined);
  if (out?.isDirectory) {
    throw new UserError(`cannot write output kubeconfig "${outPath}": it is a directory`);
  }
  // Find out now, not after a long wait, whether files can be created there.
  try {
    await Deno.remove(await Deno.makeTempFile({ dir, prefix: ".switch-domain-probe-" }));
  } catch (e) {
    throw new UserError(
      `cannot write output kubeconfig "${outPath}": directory "${dir}": ${readFailure(e)}`,
    );
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = await Promise.all([Deno.stat(a), Deno.stat(b)]);
    return x.dev === y.dev && x.ino !== null && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Computes the switched text of `file` (nothing is written). Throws a `UserError`
 * with exit code 10 when the context does not exist or names no cluster.
 */
export function switchKubeconfig(
  file: KubeconfigFile,
  context: string,
  target: Omit<SwitchTarget, "outPath">,
): SwitchResult {
  const clusterName = file.entry("contexts", context)?.cluster;
  if (typeof clusterName !== "string" || clusterName === "") {
    throw new UserError(`there is no context named '${context}'`, NO_CONTEXT_EXIT_CODE);
  }
  const cluster = file.entry("clusters", clusterName);
  if (!cluster) {
    throw new UserError(
      `cluster "${clusterName}" of context '${context}' is not in "${file.path}": fix the kubeconfig`,
    );
  }
  const server = typeof cluster.server === "string" ? cluster.server : "";
  const from = parseServerAuthority(server);
  if (!from) {
    throw new UserError(
      `cluster "${clusterName}" of context '${context}' has no usable server URL ` +
        `(${JSON.stringify(server)}): expected protocol://host[:port][/path]`,
    );
  }
  const clusters: string[] = [];
  file.editEach("clusters", (name, value) => {
    const a = typeof value.server === "string" ? parseServerAuthority(value.server) : undefined;
    if (!a || a.key !== from.key) return undefined;
    clusters.push(name);
    const edited = { ...value };
    edited["certificate-authority-data"] = target.caData;
    edited.server = replaceAuthority(a, target.domain, target.port);
    delete edited["certificate-authority"];
    delete edited["insecure-skip-tls-verify"];
    return edited;
  });
  return { from: from.key, clusters, text: file.text() };
}

/** Reads `inPath`, switches it and writes `outPath` (atomically, mode 0600). */
export async function switchDomain(request: SwitchRequest): Promise<SwitchResult> {
  if (await sameFile(request.inPath, request.outPath)) {
    throw new UserError(
      `output kubeconfig "${request.outPath}" is the input file: give another output path`,
    );
  }
  const file = await KubeconfigFile.read(request.inPath, { allowMissing: false });
  const result = switchKubeconfig(file, request.context, request);
  try {
    await atomicWriteFile(request.outPath, result.text, { mode: 0o600 });
  } catch (e) {
    throw new UserError(
      `cannot write output kubeconfig "${request.outPath}": ${readFailure(e)}`,
    );
  }
  return result;
}

/** The input kubeconfig exists and cannot be used; waiting will not mend it. */
export class UnusableInputError extends UserError {
  constructor(message: string) {
    super(message, 1);
    this.name = "UnusableInputError";
  }
}

/**
 * The connection of `context` in `inPath`, for `wait-and-switch-domain`'s wait. A file
 * that does not exist yet, or is empty or still changing (the server is writing it),
 * fails as "not yet" (a plain error: wait on). A file that cannot be read, or that
 * cannot be used (bad YAML, no such context…) and stays the same for `settleMs`, throws
 * `UnusableInputError`: the wait ends at once.
 */
export async function inputConnection(
  inPath: string,
  context: string,
  settleMs = 500,
): Promise<RestConfig> {
  try {
    const kc = await loadKubeconfig({ kubeconfig: inPath, context });
    return await kc.restConfig();
  } catch (e) {
    const first = await readForWait(inPath);
    if (first === undefined || first.trim() === "") throw e;
    await new Promise((r) => setTimeout(r, settleMs));
    if ((await readForWait(inPath)) !== first) throw e;
    const why = describeError(e);
    throw new UnusableInputError(
      why.includes(inPath) ? why : `kubeconfig "${inPath}" cannot be used: ${why}`,
    );
  }
}

/** The file's text; undefined when it does not exist (yet); unreadable is unusable. */
async function readForWait(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new UnusableInputError(`cannot read kubeconfig file "${path}": ${readFailure(e)}`);
  }
}
