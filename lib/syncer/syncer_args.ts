/**
 * The command line of `kubestellar syncer` (controllers-spec §5.2): its usage text and
 * parser, kept apart from the run so that `--help` and usage errors load nothing heavy.
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import { parseFlags } from "./flag_parser.ts";

/** The usage text. */
export const SYNCER_USAGE = [
  "Usage: kubestellar syncer --from-kubeconfig FILE [--from-context NAME] " +
  "[--to-kubeconfig FILE] [--to-context NAME] --sync-target-name NAME " +
  "--sync-target-uid UID [-v N] [--metrics-bind-address HOST:PORT]",
];

/** Parsed syncer flags. */
export interface SyncerArgs {
  fromKubeconfig: string;
  fromContext?: string;
  toKubeconfig?: string;
  toContext?: string;
  syncTargetName: string;
  syncTargetUid: string;
  verbosity: number;
  metricsBindAddress?: string;
  help: boolean;
}

/** Parses the syncer's command line. */
export function parseSyncerArgs(prog: string, args: string[]): SyncerArgs {
  const r = parseFlags(args, {
    prog,
    usage: SYNCER_USAGE,
    strings: [
      "--from-kubeconfig",
      "--from-context",
      "--to-kubeconfig",
      "--to-context",
      "--sync-target-name",
      "--sync-target-uid",
      "-v",
      "--v",
      "--metrics-bind-address",
      "--qps",
      "--burst",
    ],
    booleans: [],
  });
  const v = r.values;
  const base = {
    fromKubeconfig: v["--from-kubeconfig"] ?? "",
    fromContext: v["--from-context"],
    toKubeconfig: v["--to-kubeconfig"],
    toContext: v["--to-context"],
    syncTargetName: v["--sync-target-name"] ?? "",
    syncTargetUid: v["--sync-target-uid"] ?? "",
    verbosity: Number(v["-v"] ?? v["--v"] ?? "0"),
    metricsBindAddress: v["--metrics-bind-address"],
    help: r.help,
  };
  if (r.help) return base;
  if (r.positionals.length > 0) {
    throw new UsageError(
      `${prog}: unexpected argument ${JSON.stringify(r.positionals[0])}`,
      2,
      SYNCER_USAGE,
    );
  }
  for (
    const [flag, value] of [
      ["--from-kubeconfig", base.fromKubeconfig],
      ["--sync-target-name", base.syncTargetName],
      ["--sync-target-uid", base.syncTargetUid],
    ]
  ) {
    if (!value) throw new UsageError(`${prog}: ${flag} is required`, 2, SYNCER_USAGE);
  }
  if (!Number.isInteger(base.verbosity) || base.verbosity < 0) {
    throw new UsageError(`${prog}: -v needs a non-negative integer`, 2, SYNCER_USAGE);
  }
  return base;
}
