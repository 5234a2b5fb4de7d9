/**
 * The status summarizer as a central controller process
 * (`kubestellar controller status-summarizer`, hosted by `kubestellar controller all`):
 * the summarizer on the shard-admin client (wildcard reads, writes in every workspace),
 * with the process's workers, ESPW path, logger and reconcile metrics; ready once every
 * input has been listed.
 *
 * @module
 */
import type { ControllerDefinition } from "../runtime/controller_context.ts";
import { instrumentedController } from "../runtime/instrumented_controller.ts";
import { StatusSummarizerController } from "./status_summarizer.ts";

/** The controller definition the registry loads. */
export const statusSummarizer: ControllerDefinition = {
  name: "status-summarizer",
  async run(ctx, signal) {
    const summarizer = new StatusSummarizerController({
      client: ctx.allClusters,
      espwPath: ctx.espwPath,
      workers: ctx.workers,
      log: ctx.log,
      clock: ctx.clock,
      controller: (name, reconcile) => instrumentedController(ctx, name, reconcile),
    });
    summarizer.ready.then(() => ctx.setReady());
    await summarizer.run(signal);
  },
};
