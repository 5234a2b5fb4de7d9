/**
 * The command lines of `kubectl kubestellar ensure location` and `remove location`
 * (commands-spec §7): own flags `--imw` and `-X`, kubectl flags anywhere except
 * `--context`, the object name and (for ensure) `key=value` labels, validated with the
 * upstream messages. Every error is one line and exit code 1.
 *
 * @example
 * ```ts
 * const a = parseEnsureLocationArgs("kubectl-kubestellar-ensure-location",
 *   ["--imw", "imw-1", "demo1", "foo=bar"]);
 * // a.imw === "imw-1", a.name === "demo1", a.labels = [["foo", "bar"]]
 * ```
 *
 * @module
 */
import { UsageError, UserError } from "../cli/errors.ts";
import { type ScanOptions, scanPluginArgs, type ScanResult } from "../cli/plugin_args.ts";

/** `ensure location` usage line. */
export const ENSURE_LOCATION_USAGE =
  "Usage: kubectl kubestellar ensure location ($kubectl_flag | --imw ws_path | -X)* objname labelname=labelvalue ...";
/** `remove location` usage line. */
export const REMOVE_LOCATION_USAGE =
  "Usage: kubectl kubestellar remove location ($kubectl_flag | --imw ws_path | -X)* objname";

/** The object-name pattern (a DNS subdomain). */
export const OBJNAME_RE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** Label key pattern. */
export const LABEL_KEY_RE = "^[a-zA-Z0-9][a-zA-Z0-9_./-]*$";
/** Label value pattern. */
export const LABEL_VALUE_RE = "^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$";

/** Parsed `ensure|remove location` arguments. */
export interface LocationArgs {
  /** `--imw` as given; `.` means the current workspace. */
  imw: string;
  name: string;
  /** Labels in the order given (ensure only). */
  labels: Array<[string, string]>;
  /** kubectl flags, ready for `connectionFlags`. */
  passThrough: string[];
  trace: boolean;
  help: boolean;
}

/** Scans a plugin command line, reporting scanner errors as one line (exit 1). */
export function scanOneLine(args: string[], options: ScanOptions): ScanResult {
  try {
    return scanPluginArgs(args, options);
  } catch (e) {
    if (e instanceof UsageError) throw new UserError(e.message, e.exitCode);
    throw e;
  }
}

function scan(prog: string, args: string[], usage: string): ScanResult {
  return scanOneLine(args, {
    prog,
    usage,
    flags: [{ names: ["--imw"], key: "imw", value: "IMW pathname" }],
  });
}

function checkName(prog: string, name: string | undefined): string {
  if (name === undefined || name === "") {
    throw new UserError(`${prog}: must be given a non-empty object name`);
  }
  if (name.length > 253 || !new RegExp(OBJNAME_RE).test(name)) {
    throw new UserError(`${prog}: objname not valid, must match POSIX extended re '${OBJNAME_RE}'`);
  }
  if (name === "default") {
    throw new UserError(`${prog}: Sorry, 'default' is not an acceptable name for these objects`);
  }
  return name;
}

/** Parses one `labelname=labelvalue` argument. */
export function parseLabel(prog: string, arg: string): [string, string] {
  const parts = arg.split("=");
  if (parts.length !== 2) {
    throw new UserError(`${prog}: syntax error for label name=value arg ${arg}`);
  }
  const [key, value] = parts;
  if (!new RegExp(LABEL_KEY_RE).test(key)) {
    throw new UserError(
      `${prog}: label name '${key}' is not valid, must match POSIX extended re '${LABEL_KEY_RE}'`,
    );
  }
  if (!new RegExp(LABEL_VALUE_RE).test(value)) {
    throw new UserError(
      `${prog}: label value '${value}' is not valid, must match POSIX extended re '${LABEL_VALUE_RE}'`,
    );
  }
  if (key === "id") throw new UserError(`${prog}: 'id' label may not be specified`);
  return [key, value];
}

function imwOf(prog: string, r: ScanResult): string {
  const imw = r.values.imw ?? ".";
  if (imw === "") throw new UserError(`${prog}: must be given a non-empty imw workspace path`);
  return imw;
}

/** Parses `ensure location`. */
export function parseEnsureLocationArgs(prog: string, args: string[]): LocationArgs {
  const r = scan(prog, args, ENSURE_LOCATION_USAGE);
  const base = { passThrough: r.passThrough, trace: r.trace, help: r.help };
  if (r.help) return { ...base, imw: ".", name: "", labels: [] };
  const [name, ...rest] = r.positionals;
  const labels = rest.map((arg) => parseLabel(prog, arg));
  checkName(prog, name);
  if (labels.length === 0) {
    throw new UserError(`${prog}: must be given at least one label key=value`);
  }
  return { ...base, imw: imwOf(prog, r), name, labels };
}

/** Parses `remove location`. */
export function parseRemoveLocationArgs(prog: string, args: string[]): LocationArgs {
  const r = scan(prog, args, REMOVE_LOCATION_USAGE);
  const base = { passThrough: r.passThrough, trace: r.trace, help: r.help };
  if (r.help) return { ...base, imw: ".", name: "", labels: [] };
  if (r.positionals.length > 1) {
    throw new UserError(`${prog}: only one positional argument is allowed`);
  }
  const name = checkName(prog, r.positionals[0]);
  return { ...base, imw: imwOf(prog, r), name, labels: [] };
}

/**
 * The workspace `--imw` names: `.` is the current one (undefined); a bare name is a
 * child of `root` (like `--ensure-imw`); anything with `:` is an absolute path.
 */
export function imwPath(imw: string): string | undefined {
  if (imw === ".") return undefined;
  if (imw === "root" || imw.includes(":")) return imw;
  return `root:${imw}`;
}
