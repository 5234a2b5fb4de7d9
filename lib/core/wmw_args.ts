/**
 * The command lines of `kubectl kubestellar ensure wmw` and `remove wmw`
 * (commands-spec §10): `--with-kube true|false` (ensure only), `-X`, kubectl flags
 * anywhere except `--context`, exactly one workspace name. Every error is one line,
 * exit code 1, with the upstream wording.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { isValidWorkspaceName } from "../workspace/workspace_path.ts";
import { scanOneLine } from "./location_args.ts";

/** `ensure wmw` usage line. */
export const ENSURE_WMW_USAGE =
  "Usage: kubectl kubestellar ensure wmw ($kubectl_flag | --with-kube boolean | -X)* wm_workspace_name";
/** `remove wmw` usage line. */
export const REMOVE_WMW_USAGE =
  "Usage: kubectl kubestellar remove wmw [-X] kubectl_flag... wm_workspace_name";

/** Parsed `ensure|remove wmw` arguments. */
export interface WmwArgs {
  name: string;
  withKube: boolean;
  passThrough: string[];
  trace: boolean;
  help: boolean;
}

function nameOf(prog: string, positionals: string[]): string {
  if (positionals.length > 1) throw new UserError(`${prog}: too many positional arguments`);
  const name = positionals[0];
  if (name === undefined || name === "") {
    throw new UserError(`${prog}: workload management workspace name not specified`);
  }
  if (!isValidWorkspaceName(name)) {
    throw new UserError(
      `${prog}: invalid workload management workspace name "${name}": use a bare name of ` +
        `lower-case letters, digits and '-' (the workspace is root:<name>)`,
    );
  }
  return name;
}

/** Parses `ensure wmw`. */
export function parseEnsureWmwArgs(prog: string, args: string[]): WmwArgs {
  const r = scanOneLine(args, {
    prog,
    usage: ENSURE_WMW_USAGE,
    flags: [{ names: ["--with-kube"], key: "with-kube", value: "with-kube value" }],
  });
  const base = { passThrough: r.passThrough, trace: r.trace, help: r.help };
  if (r.help) return { ...base, name: "", withKube: true };
  const withKube = r.values["with-kube"] ?? "true";
  if (withKube !== "true" && withKube !== "false") {
    throw new UserError(`${prog}: with-kube should be true or false`);
  }
  return { ...base, name: nameOf(prog, r.positionals), withKube: withKube === "true" };
}

/** Parses `remove wmw`. */
export function parseRemoveWmwArgs(prog: string, args: string[]): WmwArgs {
  const r = scanOneLine(args, { prog, usage: REMOVE_WMW_USAGE });
  const base = { passThrough: r.passThrough, trace: r.trace, help: r.help };
  if (r.help) return { ...base, name: "", withKube: true };
  return { ...base, name: nameOf(prog, r.positionals), withKube: true };
}
