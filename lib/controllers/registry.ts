/**
 * The central controllers `kubestellar controller <name>` can run, each loaded lazily
 * (so `--help` and usage errors load none of them). Adding a controller is one entry:
 * a name and a loader resolving to its `ControllerDefinition`.
 *
 * @example
 * ```ts
 * const entry = findController("where-resolver");
 * const def = await entry!.load();
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { ControllerDefinition } from "./runtime/controller_context.ts";

/** One registered controller. */
export interface ControllerEntry {
  /** Name under `kubestellar controller`. */
  name: string;
  /** Other accepted names (upstream executable names). */
  aliases?: string[];
  summary: string;
  load(): Promise<ControllerDefinition>;
}

/** A loader for a controller this build does not contain yet. */
export function notAvailable(name: string): () => Promise<ControllerDefinition> {
  return () =>
    Promise.reject(
      new UserError(`controller "${name}" is not available in this build yet`),
    );
}

/** Every controller, in the order `kubestellar start` launches them. */
export const CONTROLLER_REGISTRY: ControllerEntry[] = [
  {
    name: "mailbox-controller",
    summary: "one mailbox workspace per SyncTarget, bound to the edge API",
    load: async () => (await import("./mailbox/mailbox_controller.ts")).mailboxController,
  },
  {
    name: "where-resolver",
    aliases: ["kubestellar-where-resolver"],
    summary: "one SinglePlacementSlice per EdgePlacement, listing its destinations",
    load: async () => (await import("./where/where_controller.ts")).whereResolver,
  },
  {
    name: "placement-translator",
    summary: "projects the selected workload objects into the mailbox workspaces",
    load: async () =>
      (await import("./placement/placement_translator_controller.ts")).placementTranslator,
  },
];

/** The entry named `name` (or aliased so). */
export function findController(name: string): ControllerEntry | undefined {
  return CONTROLLER_REGISTRY.find((c) => c.name === name || c.aliases?.includes(name));
}
