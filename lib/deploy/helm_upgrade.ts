/**
 * Runs `helm upgrade -i <flags> kubestellar <chart> --set …` for deploy: the values the
 * seed's deploy sets (cluster type, external host and port, image tag) after the user's
 * helm flags, helm's own output passed through to the terminal.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { err } from "../cli/io.ts";
import { shellQuote } from "../pki/shell_quote.ts";

/** The fixed Helm release name. */
export const RELEASE_NAME = "kubestellar";

/** What to install. */
export interface HelmUpgradeRequest {
  chartPath: string;
  openshift: boolean;
  host: string;
  port: number;
  imageTag: string;
  helmFlags: string[];
}

/** The arguments after `helm`. */
export function helmUpgradeArgs(r: HelmUpgradeRequest): string[] {
  return [
    "upgrade",
    "-i",
    ...r.helmFlags,
    RELEASE_NAME,
    r.chartPath,
    "--set",
    `clusterType=${r.openshift ? "OpenShift" : "Kubernetes"}`,
    "--set-string",
    `EXTERNAL_HOSTNAME=${r.host}`,
    "--set",
    `EXTERNAL_PORT=${r.port}`,
    "--set-string",
    `image.tag=${r.imageTag}`,
  ];
}

/** The helm executable: `$KUBESTELLAR_HELM`, else `helm` from PATH. */
export function helmExecutable(): string {
  return Deno.env.get("KUBESTELLAR_HELM") || "helm";
}

/**
 * Runs helm with inherited stdio; resolves to its exit code. `trace` echoes the command
 * line to stderr first, as `set -x` did.
 */
export async function runHelm(args: string[], trace: boolean, prog: string): Promise<number> {
  const helm = helmExecutable();
  if (trace) err(`+ ${[helm, ...args].map(shellQuote).join(" ")}`);
  try {
    const status = await new Deno.Command(helm, {
      args,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    return status.code;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(
        `${prog}: helm not found (looked for ${JSON.stringify(helm)} on PATH): install Helm 3 ` +
          "(https://helm.sh/docs/intro/install/) or set KUBESTELLAR_HELM",
      );
    }
    throw e;
  }
}
