/**
 * A `Controller` (lib/controller/controller.ts) wired to the process's metrics and
 * logs: counts reconciles by result, observes their durations, exposes the queue
 * depth, and logs failures (retried with back-off by the controller).
 *
 * Metrics: `kubestellar_reconcile_total{controller,result}`,
 * `kubestellar_reconcile_duration_seconds{controller}`,
 * `kubestellar_workqueue_depth{controller}` (one series per controller).
 *
 * @example
 * ```ts
 * const c = instrumentedController(ctx, "mailbox", (key) => reconciler.reconcile(key));
 * informer.addHandlers({ onAdd: (o) => c.enqueue(key(o)) });
 * ```
 *
 * @module
 */
import { describeError } from "../../cli/errors.ts";
import { Controller, type Reconcile } from "../../controller/controller.ts";
import { retryLogLevel } from "../../kube/rest_errors.ts";
import type { ControllerContext } from "./controller_context.ts";

/** Makes a controller that reports into `ctx.metrics` and `ctx.log`. */
export function instrumentedController(
  ctx: Pick<ControllerContext, "metrics" | "log" | "workers" | "clock">,
  name: string,
  reconcile: Reconcile,
): Controller {
  const total = ctx.metrics.counter(
    "kubestellar_reconcile_total",
    "Reconciles run, by result.",
    ["controller", "result"],
  );
  const duration = ctx.metrics.histogram(
    "kubestellar_reconcile_duration_seconds",
    "Time spent in one reconcile.",
    ["controller"],
  );
  let controller: Controller | undefined = undefined;
  ctx.metrics.gauge(
    "kubestellar_workqueue_depth",
    "Keys waiting or being processed.",
    ["controller"],
  ).track({ controller: name }, () => controller?.queue.busy ?? 0);
  controller = new Controller(name, reconcile, {
    workers: ctx.workers,
    clock: ctx.clock,
    onResult(key, error, ms) {
      total.inc({ controller: name, result: error === undefined ? "ok" : "error" });
      duration.observe(ms / 1000, { controller: name });
      if (error !== undefined) {
        const level = retryLogLevel(error); // a 401 logged once already stays quiet
        ctx.log[level]("reconcile failed, will retry", { key, error: describeError(error) });
      } else {
        ctx.log.debug("reconciled", { key, ms: Math.round(ms) });
      }
    },
  });
  return controller;
}
