/**
 * `kubestellar syncer`: the command line of the syncer process (controllers-spec §5.2)
 * and its run until SIGINT/SIGTERM.
 *
 * `--from-kubeconfig F [--from-context C]` reaches the mailbox workspace,
 * `--to-kubeconfig F [--to-context C]` the WEC (omitted: the pod's in-cluster
 * configuration), `--sync-target-name`, `--sync-target-uid`, `-v N` (≥ 4: verbose),
 * `--metrics-bind-address HOST:PORT` (`/healthz`, `/readyz`, `/metrics`); `--qps` and
 * `--burst` are accepted for compatibility with upstream manifests.
 *
 * @module
 */
import { describeError, UsageError, UserError } from "../cli/errors.ts";
import { out } from "../cli/io.ts";
import { serveHealth } from "../controller/health_server.ts";
import { MetricsRegistry } from "../controller/metrics.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { Logger } from "../log/logger.ts";
import { parseFlags } from "./flag_parser.ts";
import { inClusterConfig } from "./in_cluster_config.ts";
import { startSyncer } from "./syncer.ts";

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

/** Loads the connection of `context` (default: current) in kubeconfig `file`. */
export async function restConfigFrom(file: string, context?: string): Promise<RestConfig> {
  try {
    await Deno.stat(file);
  } catch {
    throw new UserError(`kubeconfig file ${file} does not exist`);
  }
  const kc = await loadKubeconfig({ kubeconfig: file, context });
  return await kc.restConfig();
}

function splitHostPort(address: string): { hostname: string; port: number } {
  const i = address.lastIndexOf(":");
  const port = Number(address.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--metrics-bind-address ${address} is not HOST:PORT`);
  }
  return { hostname: address.slice(0, i).replace(/^\[|\]$/g, "") || "127.0.0.1", port };
}

/** Runs the syncer until SIGINT or SIGTERM. */
export async function runSyncerCommand(prog: string, rawArgs: string[]): Promise<number> {
  const args = parseSyncerArgs(prog, rawArgs);
  if (args.help) {
    for (const l of SYNCER_USAGE) out(l);
    return 0;
  }
  let mailbox: RestConfig;
  let wec: RestConfig;
  try {
    mailbox = await restConfigFrom(args.fromKubeconfig, args.fromContext);
    wec = args.toKubeconfig
      ? await restConfigFrom(args.toKubeconfig, args.toContext)
      : await inClusterConfig();
  } catch (e) {
    throw new UserError(`${prog}: ${describeError(e)}`);
  }
  const log = new Logger(`syncer`, { verbose: args.verbosity >= 4 });
  const metrics = new MetricsRegistry();
  const writes = metrics.counter("syncer_wec_writes_total", "Writes to the WEC", ["action"]);
  const statuses = metrics.counter("syncer_status_returns_total", "Statuses returned");
  const syncer = startSyncer({
    mailbox,
    wec,
    syncTargetName: args.syncTargetName,
    syncTargetUid: args.syncTargetUid,
    log,
    onWecWrite: (action) => writes.inc({ action }),
    onStatusReturn: () => statuses.inc(),
  });
  let isReady = false;
  syncer.ready.then(() => (isReady = true));
  const health = args.metricsBindAddress
    ? serveHealth({ ...splitHostPort(args.metricsBindAddress), metrics, ready: () => isReady })
    : undefined;
  const stopped = Promise.withResolvers<void>();
  const onSignal = () => stopped.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  await stopped.promise;
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  log.info("stopping");
  await syncer.stop();
  await health?.shutdown();
  return 0;
}
