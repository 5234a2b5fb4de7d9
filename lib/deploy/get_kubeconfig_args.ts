/**
 * The command line of `kubectl kubestellar get-internal-kubeconfig` and
 * `get-external-kubeconfig` (commands-spec §4.4, with the seed's rules that upstream
 * missed): `-o PATH` exactly once, `-n` defaulting to `kubestellar`, kubectl flags
 * anywhere, `-X`, `-h`, no positionals.
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import { connectionFlags, type KubectlConnectionFlags } from "../cli/kubectl_flags.ts";
import { scanPluginArgs } from "../cli/plugin_args.ts";

/** Which kubeconfig a command fetches. */
export type KubeconfigAudience = "internal" | "external";

/** The namespace used when no `-n` is given. */
export const DEFAULT_CORE_NAMESPACE = "kubestellar";

/** What the command was asked to do. */
export interface GetKubeconfigRequest {
  help: boolean;
  trace: boolean;
  /** Where to write the kubeconfig. */
  output: string;
  /** Connection to the hosting cluster; `namespace` is always set. */
  flags: KubectlConnectionFlags & { namespace: string };
}

/** The usage line. */
export function getKubeconfigUsage(audience: KubeconfigAudience): string {
  return `Usage: kubectl kubestellar get-${audience}-kubeconfig ($kubectl_flag | -o $output_pathname | -X)*`;
}

/** Parses and checks the arguments; throws `UsageError` (exit 1) on bad input. */
export function parseGetKubeconfigArgs(
  prog: string,
  audience: KubeconfigAudience,
  args: string[],
): GetKubeconfigRequest {
  const usage = getKubeconfigUsage(audience);
  const scan = scanPluginArgs(args, {
    prog,
    usage,
    flags: [{ names: ["-o"], key: "output", value: "output pathname value", repeatable: true }],
    rejectContext: false,
  });
  const fail = (msg: string): never => {
    throw new UsageError(`${prog}: ${msg}`, 1, [usage]);
  };
  const flags = connectionFlags(scan.passThrough);
  const request: GetKubeconfigRequest = {
    help: scan.help,
    trace: scan.trace,
    output: "",
    flags: { ...flags, namespace: flags.namespace || DEFAULT_CORE_NAMESPACE },
  };
  if (scan.help) return request;
  if (scan.positionals.length > 0) fail("no positional arguments accepted");
  const outputs = scan.repeated.output ?? [];
  if (outputs.length !== 1) {
    fail(`-o must be given exactly once (it was given ${outputs.length} times)`);
  }
  if (outputs[0] === "") fail("must be given a non-empty -o");
  request.output = outputs[0];
  return request;
}
