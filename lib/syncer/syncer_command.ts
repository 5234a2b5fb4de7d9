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
 * Both connections outlive their credentials: on 401 the kubeconfig is read again (or,
 * in a pod, the service-account token file), and the refusal is logged once.
 *
 * @module
 */
import { describeError, UserError } from "../cli/errors.ts";
import { out } from "../cli/io.ts";
import { serveHealth } from "../controller/health_server.ts";
import { MetricsRegistry } from "../controller/metrics.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import {
  type CredentialReport,
  reloadingCredentials,
} from "../kubeconfig/reloading_credentials.ts";
import { Logger } from "../log/logger.ts";
import { parseSyncerArgs, SYNCER_USAGE, type SyncerArgs } from "./syncer_args.ts";
import { inClusterConfig } from "./in_cluster_config.ts";
import { startSyncer } from "./syncer.ts";

export { parseSyncerArgs, SYNCER_USAGE, type SyncerArgs } from "./syncer_args.ts";

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

/**
 * The connection of `context` in `file`, with credentials that follow the file: on 401
 * it is read again (a renewed mailbox token, a re-run of prep-for-syncer), and the
 * refusal is reported once per change of state.
 */
async function followedConfig(
  file: string,
  context: string | undefined,
  what: string,
  report: CredentialReport,
): Promise<RestConfig> {
  const config = await restConfigFrom(file, context);
  config.credentials = reloadingCredentials({
    name: context || config.contextName || what,
    initial: config,
    load: () => restConfigFrom(file, context),
    report: (level, message, fields) => report(level, message, { ...fields, side: what }),
  });
  return config;
}

/**
 * The syncer's two connections as its command line gives them: the mailbox's and the
 * WEC's (its kubeconfig, else the pod's service account), credentials following them.
 */
export async function syncerConnections(
  args: SyncerArgs,
  log: Logger,
): Promise<{ mailbox: RestConfig; wec: RestConfig }> {
  const report: CredentialReport = (level, message, fields) => log[level](message, fields);
  const mailbox = await followedConfig(args.fromKubeconfig, args.fromContext, "mailbox", report);
  const wec = args.toKubeconfig
    ? await followedConfig(args.toKubeconfig, args.toContext, "wec", report)
    : await inClusterConfig();
  return { mailbox, wec };
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
  const log = new Logger(`syncer`, { verbose: args.verbosity >= 4 });
  let mailbox: RestConfig;
  let wec: RestConfig;
  try {
    ({ mailbox, wec } = await syncerConnections(args, log));
  } catch (e) {
    throw new UserError(`${prog}: ${describeError(e)}`);
  }
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
