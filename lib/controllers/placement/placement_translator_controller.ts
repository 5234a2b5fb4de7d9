/**
 * The placement translator as a central controller process
 * (`kubestellar controller placement-translator`): the translator on the shard-admin
 * client (wildcard reads, writes in every workspace), with the process's ESPW path,
 * logger, reconcile metrics and work counters; ready once every input has been listed.
 *
 * Its reconciles mostly wait on mailbox writes (one mailbox each), so it runs
 * `WRITES_PER_WORKER` of them per `--concurrency` worker: with the default 4 that is
 * 16 mailboxes written at once, which is what keeps a change to an object on many
 * mailboxes, or steady churn, from queueing behind the server's round trips.
 *
 * @module
 */
import type { ControllerDefinition } from "../runtime/controller_context.ts";
import { instrumentedController } from "../runtime/instrumented_controller.ts";
import { PlacementTranslator } from "./translator.ts";

/** Concurrent mailbox reconciles per `--concurrency` worker. */
export const WRITES_PER_WORKER = 4;

/** The controller definition the registry loads. */
export const placementTranslator: ControllerDefinition = {
  name: "placement-translator",
  async run(ctx, signal) {
    const workers = ctx.workers * WRITES_PER_WORKER;
    const translator = new PlacementTranslator({
      client: ctx.allClusters,
      espwPath: ctx.espwPath,
      workers,
      log: ctx.log,
      metrics: ctx.metrics,
      controller: (name, reconcile) => instrumentedController({ ...ctx, workers }, name, reconcile),
    });
    translator.ready.then(() => ctx.setReady());
    await translator.run(signal);
  },
};
