/**
 * Hosts one central controller: builds its clients from the kubeconfig, serves
 * `/healthz`, `/readyz` (ok once the controller said it is ready) and `/metrics`, runs
 * it, and stops it cleanly (in-flight reconciles finished, watches closed, server shut
 * down, connections released).
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
  /** Kubeconfig sources when `flags.kubeconfig` is absent (tests). */
  env?: { KUBECONFIG?: string; HOME?: string };
}

/** A running controller. */
export interface RunningController {
  /** Port of the health/metrics server. */
  port: number;
  /** Resolves when the controller reports ready. */
  ready: Promise<void>;
  /** Resolves (or rejects with the controller's error) when it has ended. */
  done: Promise<void>;
  /** Asks it to stop and waits until it has. */
  stop(): Promise<void>;
}

async function clientFor(path: string | undefined, context: string): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig: path, context });
  kc.requireContext(context);
  return restClientFor(await kc.restConfig());
}

/** Starts `def` with its clients, health server and metrics. */
export async function startController(
  def: ControllerDefinition,
  options: HostOptions,
): Promise<RunningController> {
  const { flags } = options;
  const log = options.log ?? new Logger(def.name, { verbose: flags.verbosity >= 4 });
  let client: RestClient | undefined;
  let allClusters: RestClient | undefined;
  try {
    client = await clientFor(flags.kubeconfig, flags.rootContext);
    allClusters = await clientFor(flags.kubeconfig, flags.allClustersContext);
  } catch (e) {
    client?.close();
    if (e instanceof UserError) throw e;
    throw new UserError(`${def.name}: cannot load the kubeconfig: ${describeError(e)}`);
  }
  const metrics = new MetricsRegistry();
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
  metrics.gauge(
    "kubestellar_controller_ready",
    "1 once the informers synced.",
    [],
    () => isReady ? 1 : 0,
  );
  const abort = new AbortController();
  let server;
  try {
    server = serveHealth({
      port: flags.metricsPort,
      hostname: flags.metricsHost,
      metrics,
      ready: () => isReady,
    });
  } catch (e) {
    client.close();
    allClusters.close();
    throw new UserError(
      `${def.name}: cannot listen on ${flags.metricsHost}:${flags.metricsPort} ` +
        `(${describeError(e)}): pick another --metrics-bind-address`,
    );
  }
  const ctx: ControllerContext = {
    log,
    metrics,
    workers: flags.workers,
    espwPath: flags.espwPath,
    client,
    allClusters,
    clock: options.clock ?? realClock,
    setReady() {
      if (isReady) return;
      isReady = true;
      log.info("ready: informers synced");
      readyGate.resolve();
    },
  };
  log.info("starting", {
    espwPath: flags.espwPath,
    workers: flags.workers,
    metrics: `http://${flags.metricsHost}:${server.port}/metrics`,
  });
  const closeAll = async () => {
    await server.shutdown().catch(() => {});
    client!.close();
    allClusters!.close();
  };
  const done = (async () => {
    try {
      await def.run(ctx, abort.signal);
      if (!abort.signal.aborted) throw new Error("the controller ended by itself");
      log.info("stopped");
    } finally {
      readyGate.reject(new Error(`${def.name} ended before it was ready`));
      await closeAll();
    }
  })();
  readyGate.promise.catch(() => {});
  return {
    port: server.port,
    ready: readyGate.promise,
    done,
    async stop() {
      abort.abort();
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
