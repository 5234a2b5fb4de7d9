/**
 * The placement translator as a central controller process
 * (`kubestellar controller placement-translator`): the translator on the shard-admin
 * client (wildcard reads, writes in every workspace), with the process's workers,
 * ESPW path, logger and reconcile metrics; ready once every input has been listed.
 *
 * @module
 */
import type { ControllerDefinition } from "../runtime/controller_context.ts";
import { instrumentedController } from "../runtime/instrumented_controller.ts";
import { PlacementTranslator } from "./translator.ts";

/** The controller definition the registry loads. */
export const placementTranslator: ControllerDefinition = {
  name: "placement-translator",
  async run(ctx, signal) {
    const translator = new PlacementTranslator({
      client: ctx.allClusters,
      espwPath: ctx.espwPath,
      workers: ctx.workers,
      log: ctx.log,
      metrics: ctx.metrics,
      controller: (name, reconcile) => instrumentedController(ctx, name, reconcile),
    });
    translator.ready.then(() => ctx.setReady());
    await translator.run(signal);
  },
};
