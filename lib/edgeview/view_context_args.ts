/**
 * The arguments of `kubectl kubestellar edge-view` (see `view_context.ts`); loads nothing
 * heavy, so `--help` and usage errors stay fast.
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import { isValidWorkspacePath } from "../workspace/workspace_path.ts";

/** Parsed arguments. */
export interface ViewContextArgs {
  wmw?: string;
  context?: string;
  espwPath: string;
  kubeconfig?: string;
  help: boolean;
}

/** The usage text. */
export function viewContextUsage(prog: string): string {
  return [
    `Usage: ${prog} [WMW] [--context NAME] [--espw-path PATH] [--kubeconfig FILE]`,
    "",
    "Writes a kubeconfig context that reaches a workload management workspace through the",
    "KubeStellar edge view: there RBAC objects, ServiceAccounts, webhook configurations,",
    "APIServices, LimitRanges, ResourceQuotas, FlowSchemas and PriorityLevelConfigurations",
    "are written in their usual form and stored denatured (inert) in the workspace.",
    "  WMW                 workspace path or child of root (default: the current workspace)",
    '  --context NAME      context to write (default "<wmw name>-edge-view")',
    '  --espw-path PATH    edge service provider workspace (default "root:espw")',
  ].join("\n");
}

/** Parses the arguments. */
export function parseViewContextArgs(args: string[]): ViewContextArgs {
  const out: ViewContextArgs = { espwPath: "root:espw", help: false };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const [flag, inline] = word.startsWith("--") && word.includes("=")
      ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]
      : [word, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "-h" || flag === "--help") out.help = true;
    else if (flag === "--context") out.context = value();
    else if (flag === "--espw-path") out.espwPath = value();
    else if (flag === "--kubeconfig") out.kubeconfig = value();
    else if (flag.startsWith("-")) throw new UsageError(`unknown flag: ${flag}`);
    else if (out.wmw !== undefined) throw new UsageError(`unexpected argument: ${word}`);
    else out.wmw = word.includes(":") ? word : `root:${word}`;
  }
  if (out.wmw !== undefined && !isValidWorkspacePath(out.wmw)) {
    throw new UsageError(`"${out.wmw}" is not a workspace path`);
  }
  return out;
}
