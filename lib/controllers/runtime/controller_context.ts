/**
 * The contract between the `kubestellar controller <name>` process and each central
 * controller (mailbox controller, where-resolver, placement translator): what a
 * controller is given (clients, logger, metrics, settings) and what it must do
 * (run until the signal aborts, call `setReady()` once its informers have synced).
 *
 * A controller module exports a `ControllerDefinition`; `lib/controllers/registry.ts`
 * maps names to lazy loaders of those modules.
 *
 * @example
 * ```ts
 * export const myController: ControllerDefinition = {
 *   name: "my-controller",
 *   async run(ctx, signal) {
 *     const informer = ...; informer.run(signal); await informer.synced;
 *     ctx.setReady();
 *     await controller.run(signal);
 *   },
 * };
 * ```
 *
 * @module
 */
import type { Clock } from "../../controller/clock.ts";
import type { MetricsRegistry } from "../../controller/metrics.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

/** What a controller receives. */
export interface ControllerContext {
  /** Structured logger (debug records only with `-v 4` or more, or `-V`). */
  log: Logger;
  /** The process's metrics (served on `/metrics`). */
  metrics: MetricsRegistry;
  /** Concurrent reconciles (`--concurrency`). */
  workers: number;
  /** Path of the edge service provider workspace (`--espw-path`, default `root:espw`). */
  espwPath: string;
  /**
   * Client of the `--root-context` (kcp-admin on `root`); `withCluster(path or id)`
   * reaches any other workspace.
   */
  client: RestClient;
  /**
   * Client of the `--allclusters-context` (the shard admin): `withCluster("*")` for
   * wildcard list/watch, `withCluster(<cluster id>)` to write where an object lives.
   */
  allClusters: RestClient;
  /** Time source. */
  clock: Clock;
  /** Tells the process the controller is ready (`/readyz` answers ok from then on). */
  setReady(): void;
}

/** A central controller. */
export interface ControllerDefinition {
  /** Name used in logs and metrics. */
  name: string;
  /**
   * Runs until `signal` aborts, then resolves once in-flight work is done and watches
   * are closed. A throw ends the process with an error.
   */
  run(ctx: ControllerContext, signal: AbortSignal): Promise<void>;
}
