/**
 * Hosts central controllers in one process: builds the clients from the kubeconfig
 * (shared by every hosted controller), serves `/healthz`, `/readyz` (ok once every
 * hosted controller said it is ready) and `/metrics`, runs them, and stops them cleanly
 * (in-flight reconciles finished, watches closed, server shut down, connections
 * released). If one hosted controller fails, the others are stopped and the host ends
 * with that error. It re-reads the kubeconfig every few seconds and restarts the
 * controllers in-process when the connection settings changed (a control plane
 * restarted on a new port or with a new CA), so it survives that too. New credentials
 * need no restart: on 401 the clients read the kubeconfig again and fall back to the
 * `--allclusters-context` (`reloading_credentials.ts`), logging once per change.
 *
 * Hosting the three controllers in one process (`kubestellar controller all`, what
 * `kubestellar start` launches) is what keeps them within their memory budget: an idle
 * Deno process alone is 65–70 MiB.
 *
 * `startController(s)` is what tests and benchmarks use in-process; the
 * `kubestellar controller` command wraps it with SIGINT/SIGTERM handling and one log
 * file per controller (`runControllerProcess`).
 *
 * @example
 * ```ts
 * const running = await startController(mailboxController, { flags, log });
 * await running.ready;
 * await running.stop();
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { describeError, UserError } from "../../cli/errors.ts";
import { type Clock, realClock } from "../../controller/clock.ts";
import { serveHealth } from "../../controller/health_server.ts";
import { MetricsRegistry } from "../../controller/metrics.ts";
import {
  contextLoader,
  type CredentialReport,
  reloadingCredentials,
} from "../../kubeconfig/reloading_credentials.ts";
import { type RestClient, restClientFor } from "../../kube/rest_client.ts";
import type { RestConfig } from "../../kube/rest_config.ts";
import { openLogFile } from "../../log/log_file.ts";
import { Logger } from "../../log/logger.ts";
import { type HeapTrim, startHeapTrim } from "../../process/heap_trim.ts";
import type { ControllerContext, ControllerDefinition } from "./controller_context.ts";
import type { ControllerFlags } from "./controller_flags.ts";

/** One controller to host, with its own logger. */
export interface HostedController {
  def: ControllerDefinition;
  log: Logger;
}

/** Options of `startController` and `startControllers`. */
export interface HostOptions {
  flags: ControllerFlags;
  /** Logger of `startController`'s one controller (default: named after it, on stderr). */
  log?: Logger;
  clock?: Clock;
  /** How often the kubeconfig is re-read for changed connection settings (default 2 s). */
  reloadIntervalMs?: number;
}

/** Running controllers. */
export interface RunningController {
  /** Port of the health/metrics server. */
  port: number;
  /** Resolves when every hosted controller has first reported ready. */
  ready: Promise<void>;
  /** Resolves (or rejects with the first controller error) when all have ended. */
  done: Promise<void>;
  /** Asks them to stop and waits until they have. */
  stop(): Promise<void>;
}

/** The clients of one session, and what they were made from. */
interface Connection {
  client: RestClient;
  allClusters: RestClient;
  /** The connection settings of both contexts, without credentials (compared, never printed). */
  fingerprint: string;
  close(): void;
}

/** What identifies a connection apart from its credentials (compared, never printed). */
function connectionFingerprint(config: RestConfig): string {
  const { credentials: _c, token: _t, certData: _d, keyData: _k, password: _p, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * Makes the clients of one session. Their credentials follow the kubeconfig: on 401 it
 * is read again, and the root context falls back to the all-clusters context
 * (`system:admin`, whose token kcp keeps across restarts) when the kubeconfig holds no
 * newer credentials for it, as for a copy of kcp's `admin.kubeconfig`.
 */
async function connect(flags: ControllerFlags, report?: CredentialReport): Promise<Connection> {
  const loadRoot = contextLoader(flags.kubeconfig, flags.rootContext);
  const loadAll = contextLoader(flags.kubeconfig, flags.allClustersContext);
  const rootConfig = await loadRoot();
  const allConfig = await loadAll();
  const fingerprint = JSON.stringify([rootConfig, allConfig].map(connectionFingerprint));
  rootConfig.credentials = reloadingCredentials({
    name: flags.rootContext,
    initial: rootConfig,
    load: loadRoot,
    fallback: { name: flags.allClustersContext, load: loadAll },
    report,
  });
  allConfig.credentials = reloadingCredentials({
    name: flags.allClustersContext,
    initial: allConfig,
    load: loadAll,
    report,
  });
  const client = restClientFor(rootConfig);
  const allClusters = restClientFor(allConfig);
  return {
    client,
    allClusters,
    fingerprint,
    close() {
      client.close();
      allClusters.close();
    },
  };
}

/** The served metrics: the host's own plus those of the current session. */
class HostMetrics extends MetricsRegistry {
  session: MetricsRegistry | undefined;
  override render(): string {
    return super.render() + (this.session?.render() ?? "");
  }
}

function processMetrics(isReady: () => boolean, trim: HeapTrim): HostMetrics {
  const metrics = new HostMetrics();
  metrics.gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes.",
    [],
    () => Deno.memoryUsage().rss,
  );
  metrics.gauge(
    "kubestellar_heap_used_bytes",
    "JavaScript heap in use, in bytes.",
    [],
    () => Deno.memoryUsage().heapUsed,
  );
  metrics.gauge(
    "kubestellar_heap_trims_total",
    "Times the C heap's free memory was given back to the system (glibc's malloc_trim).",
    [],
    () => trim.trims,
  );
  metrics.gauge(
    "kubestellar_heap_trim_seconds_total",
    "Time spent giving the C heap's free memory back, in seconds.",
    [],
    () => trim.seconds,
  );
  metrics.gauge(
    "kubestellar_controller_ready",
    "1 once the informers of every hosted controller synced.",
    [],
    () => isReady() ? 1 : 0,
  );
  return metrics;
}

/** Starts one controller; see `startControllers`. */
export function startController(
  def: ControllerDefinition,
  options: HostOptions,
): Promise<RunningController> {
  const log = options.log ??
    new Logger(def.name, { verbose: options.flags.verbosity >= 4 });
  return startControllers([{ def, log }], options);
}

/**
 * Starts the `hosted` controllers on shared clients, with one health server and one
 * metrics registry. When the kubeconfig's connection settings change (kcp restarted
 * with new credentials or a new address), they are restarted in-process with new
 * clients; the health server stays.
 */
export async function startControllers(
  hosted: HostedController[],
  options: HostOptions,
): Promise<RunningController> {
  const { flags } = options;
  const names = hosted.map((h) => h.def.name).join(", ");
  const clock = options.clock ?? realClock;
  const each = (fn: (log: Logger) => void) => hosted.forEach((h) => fn(h.log));
  const report: CredentialReport = (level, message, fields) =>
    each((log) => log[level](message, fields));
  let conn: Connection;
  try {
    conn = await connect(flags, report);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${names}: cannot load the kubeconfig: ${describeError(e)}`);
  }
  let readyCount = 0;
  const isReady = () => readyCount === hosted.length;
  const readyGate = Promise.withResolvers<void>();
  readyGate.promise.catch(() => {});
  const trim = startHeapTrim();
  const metrics = processMetrics(isReady, trim);
  let server;
  try {
    server = serveHealth({
      port: flags.metricsPort,
      hostname: flags.metricsHost,
      metrics,
      ready: isReady,
    });
  } catch (e) {
    trim.stop();
    conn.close();
    throw new UserError(
      `${names}: cannot listen on ${flags.metricsHost}:${flags.metricsPort} ` +
        `(${describeError(e)}): pick another --metrics-bind-address`,
    );
  }
  each((log) =>
    log.info("starting", {
      espwPath: flags.espwPath,
      workers: flags.workers,
      metrics: `http://${flags.metricsHost}:${server.port}/metrics`,
      ...(hosted.length > 1 ? { process: names } : {}),
    })
  );
  const stopAll = new AbortController();

  /** Runs one session; resolves to new settings when the kubeconfig changed. */
  async function session(current: Connection): Promise<Connection | undefined> {
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stopAll.signal.addEventListener("abort", onStop, { once: true });
    const sessionMetrics = new MetricsRegistry();
    metrics.session = sessionMetrics;
    readyCount = 0;
    const contextOf = (h: HostedController): ControllerContext => {
      let saidReady = false;
      return {
        log: h.log,
        metrics: sessionMetrics,
        workers: flags.workers,
        espwPath: flags.espwPath,
        client: current.client,
        allClusters: current.allClusters,
        clock,
        setReady() {
          if (saidReady || abort.signal.aborted) return;
          saidReady = true;
          readyCount++;
          h.log.info("ready: informers synced");
          if (isReady()) readyGate.resolve();
        },
      };
    };
    let changed: Connection | undefined;
    const watch = (async () => {
      while (!abort.signal.aborted) {
        await clock.sleep(options.reloadIntervalMs ?? 2_000, abort.signal);
        if (abort.signal.aborted) return;
        const next = await connect(flags, report).catch(() => undefined);
        if (next && next.fingerprint !== current.fingerprint && !abort.signal.aborted) {
          // kubectl and editors truncate a kubeconfig and then write it, so a read can see
          // half a file: only a change that reads the same again a moment later counts.
          next.close();
          await clock.sleep(Math.min(options.reloadIntervalMs ?? 2_000, 200), abort.signal);
          if (abort.signal.aborted) return;
          const again = await connect(flags, report).catch(() => undefined);
          if (again && again.fingerprint === next.fingerprint && !abort.signal.aborted) {
            changed = again;
            abort.abort();
            return;
          }
          again?.close();
          continue;
        }
        next?.close();
      }
    })();
    const runs = hosted.map(async (h) => {
      try {
        await h.def.run(contextOf(h), abort.signal);
        if (!abort.signal.aborted) throw new Error("the controller ended by itself");
      } catch (e) {
        if (!abort.signal.aborted) h.log.error("controller failed", { error: describeError(e) });
        abort.abort();
        throw e;
      }
    });
    try {
      const failure = (await Promise.allSettled(runs)).find((r) => r.status === "rejected");
      if (failure) {
        changed?.close();
        throw failure.reason;
      }
    } finally {
      abort.abort();
      await watch;
      stopAll.signal.removeEventListener("abort", onStop);
      current.close();
    }
    return stopAll.signal.aborted ? (changed?.close(), undefined) : changed;
  }

  const done = (async () => {
    try {
      for (;;) {
        const next = await session(conn);
        if (!next) break;
        each((log) =>
          log.info("kubeconfig connection settings changed: restarting the controller")
        );
        conn = next;
      }
      each((log) => log.info("stopped"));
    } finally {
      readyGate.reject(new Error(`${names} ended before it was ready`));
      trim.stop();
      await server.shutdown().catch(() => {});
    }
  })();
  return {
    port: server.port,
    ready: readyGate.promise,
    done,
    async stop() {
      stopAll.abort();
      await done.catch(() => {});
    },
  };
}

/** A controller `runControllerProcess` hosts: its definition and upstream's executable name. */
export interface ProcessController {
  def: ControllerDefinition;
  /** Names its log file `<executable>-log.txt` under `--log-folder`. */
  executable: string;
}

/**
 * Runs `controllers` in this process until SIGINT or SIGTERM, then stops them cleanly.
 * With `--log-folder`, each appends its log to `<folder>/<executable>-log.txt`;
 * otherwise all log to stderr. Resolves to the exit code.
 */
export async function runControllerProcess(
  controllers: ProcessController[],
  flags: ControllerFlags,
): Promise<number> {
  const verbose = flags.verbosity >= 4;
  const files: { close(): void }[] = [];
  if (flags.logFolder) await Deno.mkdir(flags.logFolder, { recursive: true });
  const hosted = controllers.map(({ def, executable }): HostedController => {
    if (!flags.logFolder) return { def, log: new Logger(def.name, { verbose }) };
    const file = openLogFile(join(flags.logFolder, `${executable}-log.txt`));
    files.push(file);
    return { def, log: new Logger(def.name, { verbose, write: file.write }) };
  });
  try {
    const running = await startControllers(hosted, { flags });
    const onSignal = (name: string) => () => {
      hosted.forEach((h) => h.log.info("signal received, stopping", { signal: name }));
      running.stop();
    };
    const onInt = onSignal("SIGINT");
    const onTerm = onSignal("SIGTERM");
    Deno.addSignalListener("SIGINT", onInt);
    Deno.addSignalListener("SIGTERM", onTerm);
    try {
      await running.done;
      return 0;
    } catch {
      return 1; // each failure was logged by the controller that failed
    } finally {
      Deno.removeSignalListener("SIGINT", onInt);
      Deno.removeSignalListener("SIGTERM", onTerm);
    }
  } finally {
    files.forEach((f) => f.close());
  }
}
