/**
 * The command lines of `kubectl kubestellar prep-for-syncer` and `prep-for-cluster`
 * (commands-spec §8.1, §9): own flags `--imw`, `--espw`, `--syncer-image`, `-o`,
 * `-s`/`--silent`, `-X`, and `--wait-timeout DURATION` (how long to wait for the
 * mailbox workspace; default 70s, as the seed's "10 to 70 seconds"); kubectl flags
 * anywhere except `--context`. Errors are one line, exit 1.
 *
 * @example
 * ```ts
 * const a = parsePrepForSyncerArgs("kubectl-kubestellar-prep_for_syncer",
 *   ["--imw", "root:imw-1", "demo1"]);
 * // a.syncTargetName === "demo1", a.output === "demo1-syncer.yaml"
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { OwnFlag, ScanResult } from "../cli/plugin_args.ts";
import { parseLabel, scanOneLine } from "../core/location_args.ts";
import { parseDuration } from "../kubeconfig/duration.ts";
import { DEFAULT_SYNCER_IMAGE } from "./syncer_image.ts";

/** `prep-for-syncer` usage line. */
export const PREP_FOR_SYNCER_USAGE =
  "Usage: kubectl kubestellar prep-for-syncer ($kubectl_flag | --imw ws_path | --espw ws_path | --syncer-image image_ref | -o filename | -s | -X | --wait-timeout duration)* synctarget_name";
/** `prep-for-cluster` usage line. */
export const PREP_FOR_CLUSTER_USAGE =
  "Usage: kubectl kubestellar prep-for-cluster ($kubectl_flag | --imw ws_path | --espw ws_path | --syncer-image image_ref | -o filename | -s | -X | --wait-timeout duration)* synctarget_name labelname=labelvalue...";

/** Default bound of the wait for the mailbox workspace. */
export const DEFAULT_MAILBOX_WAIT_MS = 70_000;

/** Parsed arguments of both commands. */
export interface PrepArgs {
  /** `--imw` (`.` = the current workspace). */
  imw: string;
  espw: string;
  syncerImage: string;
  /** Output file (`-` = stdout). */
  output: string;
  silent: boolean;
  trace: boolean;
  waitTimeoutMs: number;
  syncTargetName: string;
  /** prep-for-cluster's labels. */
  labels: Array<[string, string]>;
  passThrough: string[];
  help: boolean;
}

const FLAGS: OwnFlag[] = [
  { names: ["--imw"], key: "imw", value: "IMW pathname" },
  { names: ["--espw"], key: "espw", value: "ESPW pathname" },
  { names: ["--syncer-image"], key: "image", value: "syncer image reference" },
  { names: ["-o"], key: "output", value: "output filename" },
  { names: ["-s", "--silent"], key: "silent" },
  { names: ["--wait-timeout"], key: "wait", value: "wait timeout" },
];

function workspaceFlag(prog: string, r: ScanResult, key: string, dflt: string): string {
  const v = r.values[key] ?? dflt;
  if (v !== "." && !/[a-zA-Z0-9]/.test(v)) {
    throw new UserError(`${prog}: ${key} '${v}' is not valid`);
  }
  return v;
}

function common(prog: string, r: ScanResult): Omit<PrepArgs, "syncTargetName" | "labels"> {
  const waitText = r.values.wait;
  let waitTimeoutMs = DEFAULT_MAILBOX_WAIT_MS;
  if (waitText !== undefined) {
    const ms = parseDuration(waitText);
    if (ms === undefined || ms <= 0) {
      throw new UserError(`${prog}: --wait-timeout '${waitText}' is not a duration such as 70s`);
    }
    waitTimeoutMs = ms;
  }
  const image = r.values.image ?? DEFAULT_SYNCER_IMAGE;
  if (image === "") throw new UserError(`${prog}: missing syncer image reference`);
  if (r.values.output === "") throw new UserError(`${prog}: missing output filename`);
  return {
    imw: workspaceFlag(prog, r, "imw", "."),
    espw: workspaceFlag(prog, r, "espw", "root:espw"),
    syncerImage: image,
    output: r.values.output ?? "",
    silent: r.switches.has("silent"),
    trace: r.trace,
    waitTimeoutMs,
    passThrough: r.passThrough,
    help: r.help,
  };
}

function checkName(prog: string, name: string | undefined): string {
  if (!name) throw new UserError(`${prog}: SyncTarget name was not specified`);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw new UserError(`${prog}: SyncTarget name '${name}' is not a valid object name`);
  }
  return name;
}

/** Parses `prep-for-syncer`. */
export function parsePrepForSyncerArgs(prog: string, args: string[]): PrepArgs {
  const r = scanOneLine(args, { prog, usage: PREP_FOR_SYNCER_USAGE, flags: FLAGS });
  const base = common(prog, r);
  if (r.help) return { ...base, syncTargetName: "", labels: [] };
  if (r.positionals.length > 1) throw new UserError(`${prog}: too many positional arguments`);
  const name = checkName(prog, r.positionals[0]);
  return {
    ...base,
    output: base.output || `${name}-syncer.yaml`,
    syncTargetName: name,
    labels: [],
  };
}

/** Parses `prep-for-cluster`. */
export function parsePrepForClusterArgs(prog: string, args: string[]): PrepArgs {
  const r = scanOneLine(args, { prog, usage: PREP_FOR_CLUSTER_USAGE, flags: FLAGS });
  const base = common(prog, r);
  if (r.help) return { ...base, syncTargetName: "", labels: [] };
  const [first, ...rest] = r.positionals;
  const name = checkName(prog, first);
  const labels = rest.map((l) => parseLabel(prog, l));
  if (labels.length === 0) {
    throw new UserError(`${prog}: must be given at least one label key=value`);
  }
  return { ...base, output: base.output || `${name}-syncer.yaml`, syncTargetName: name, labels };
}
