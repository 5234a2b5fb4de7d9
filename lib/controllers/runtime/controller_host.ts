/**
 * Hosts one central controller: builds its clients from the kubeconfig, serves
 * `/healthz`, `/readyz` (ok once the controller said it is ready) and `/metrics`, runs
 * it, and stops it cleanly (in-flight reconciles finished, watches closed, server shut
 * down, connections released). It re-reads the kubeconfig every few seconds and
 * restarts the controller in-process when the connection settings changed (a control
 * plane restarted with new credentials or on a new port), so it survives that too.
 *
 * `startController` is what tests and benchmarks use in-process; the
 * `kubestellar controller` command wraps it with SIGINT/SIGTERM handling
 * (`runControllerProcess`).
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
import { describeError, UserError } from "../../cli/errors.ts";
import { type Clock, realClock } from "../../controller/clock.ts";
import { serveHealth } from "../../controller/health_server.ts";
import { MetricsRegistry } from "../../controller/metrics.ts";
import { loadKubeconfig } from "../../kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../kube/rest_client.ts";
import { Logger } from "../../log/logger.ts";
import type { ControllerContext, ControllerDefinition } from "./controller_context.ts";
import type { ControllerFlags } from "./controller_flags.ts";

/** Options of `startController`. */
export interface HostOptions {
  flags: ControllerFlags;
  /** Logger (default: one named after the controller on stderr). */
  log?: Logger;
  clock?: Clock;
  /** How often the kubeconfig is re-read for changed connection settings (default 2 s). */
  reloadIntervalMs?: number;
}

/** A running controller. */
export interface RunningController {
  /** Port of the health/metrics server. */
  port: number;
  /** Resolves when the controller first reports ready. */
  ready: Promise<void>;
  /** Resolves (or rejects with the controller's error) when it has ended. */
  done: Promise<void>;
  /** Asks it to stop and waits until it has. */
  stop(): Promise<void>;
}

/** The clients of one session, and what they were made from. */
interface Connection {
  client: RestClient;
  allClusters: RestClient;
  /** The effective settings of both contexts (compared, never printed). */
  fingerprint: string;
  close(): void;
}

async function connect(flags: ControllerFlags): Promise<Connection> {
  const configs = [];
  for (const context of [flags.rootContext, flags.allClustersContext]) {
    const kc = await loadKubeconfig({ kubeconfig: flags.kubeconfig, context });
    kc.requireContext(context);
    configs.push(await kc.restConfig());
  }
  const client = restClientFor(configs[0]);
  const allClusters = restClientFor(configs[1]);
  return {
    client,
    allClusters,
    fingerprint: JSON.stringify(configs),
    close() {
      client.close();
      allClusters.close();
    },
  };
}

/** The served metrics: the host's own plus those of the current controller session. */
class HostMetrics extends MetricsRegistry {
  session: MetricsRegistry | undefined;
  override render(): string {
    return super.render() + (this.session?.render() ?? "");
  }
}

/**
 * Starts `def` with its clients, health server and metrics. When the kubeconfig's
 * connection settings change (kcp restarted with new credentials or a new address),
 * the controller is restarted in-process with new clients; the health server stays.
 */
export async function startController(
  def: ControllerDefinition,
  options: HostOptions,
): Promise<RunningController> {
  const { flags } = options;
  const log = options.log ?? new Logger(def.name, { verbose: flags.verbosity >= 4 });
  const clock = options.clock ?? realClock;
  let conn: Connection;
  try {
    conn = await connect(flags);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${def.name}: cannot load the kubeconfig: ${describeError(e)}`);
  }
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
  let isReady = false;
  const readyGate = Promise.withResolvers<void>();
  readyGate.promise.catch(() => {});
  metrics.gauge(
    "kubestellar_controller_ready",
    "1 once the informers synced.",
    [],
    () => isReady ? 1 : 0,
  );
  let server;
  try {
    server = serveHealth({
      port: flags.metricsPort,
      hostname: flags.metricsHost,
      metrics,
      ready: () => isReady,
    });
  } catch (e) {
    conn.close();
    throw new UserError(
      `${def.name}: cannot listen on ${flags.metricsHost}:${flags.metricsPort} ` +
        `(${describeError(e)}): pick another --metrics-bind-address`,
    );
  }
  log.info("starting", {
    espwPath: flags.espwPath,
    workers: flags.workers,
    metrics: `http://${flags.metricsHost}:${server.port}/metrics`,
  });
  const stopAll = new AbortController();

  /** Runs one session; resolves to new settings when the kubeconfig changed. */
  async function session(current: Connection): Promise<Connection | undefined> {
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stopAll.signal.addEventListener("abort", onStop, { once: true });
    const sessionMetrics = new MetricsRegistry();
    metrics.session = sessionMetrics;
    const ctx: ControllerContext = {
      log,
      metrics: sessionMetrics,
      workers: flags.workers,
      espwPath: flags.espwPath,
      client: current.client,
      allClusters: current.allClusters,
      clock,
      setReady() {
        if (isReady) return;
        isReady = true;
        log.info("ready: informers synced");
        readyGate.resolve();
      },
    };
    let changed: Connection | undefined;
    const watch = (async () => {
      while (!abort.signal.aborted) {
        await clock.sleep(options.reloadIntervalMs ?? 2_000, abort.signal);
        if (abort.signal.aborted) return;
        const next = await connect(flags).catch(() => undefined);
        if (next && next.fingerprint !== current.fingerprint && !abort.signal.aborted) {
          changed = next;
          abort.abort();
          return;
        }
        next?.close();
      }
    })();
    try {
      await def.run(ctx, abort.signal);
      if (!abort.signal.aborted) throw new Error("the controller ended by itself");
    } catch (e) {
      changed?.close();
      throw e;
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
        log.info("kubeconfig connection settings changed: restarting the controller");
        isReady = false;
        conn = next;
      }
      log.info("stopped");
    } finally {
      readyGate.reject(new Error(`${def.name} ended before it was ready`));
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

/**
 * Runs `def` until SIGINT or SIGTERM, then stops it cleanly. Resolves to the exit code.
 */
export async function runControllerProcess(
  def: ControllerDefinition,
  flags: ControllerFlags,
): Promise<number> {
  const running = await startController(def, { flags });
  const log = new Logger(def.name, { verbose: flags.verbosity >= 4 });
  const onSignal = (name: string) => () => {
    log.info("signal received, stopping", { signal: name });
    running.stop();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  try {
    await running.done;
    return 0;
  } catch (e) {
    log.error("controller failed", { error: describeError(e) });
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
}
