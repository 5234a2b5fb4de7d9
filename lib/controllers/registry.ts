/**
 * The central controllers `kubestellar controller <name>` can run, each loaded lazily
 * (so `--help` and usage errors load none of them). Adding a controller is one entry:
 * a name, upstream's executable name and message label, and a loader resolving to its
 * `ControllerDefinition`. One process may host several (`kubestellar controller all`).
 *
 * @example
 * ```ts
 * const entry = findController("where-resolver");
 * const def = await entry!.load();
 * selectControllers("all").map((c) => c.executable); // every executable name
 * ```
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import type { ControllerDefinition } from "./runtime/controller_context.ts";

/** One registered controller. */
export interface ControllerEntry {
  /** Name under `kubestellar controller`. */
  name: string;
  /** Upstream's executable name: names its log file and its pid record. */
  executable: string;
  /** How upstream's `kubestellar start` messages call it. */
  label: string;
  /** Other accepted names (upstream executable names). */
  aliases?: string[];
  summary: string;
  load(): Promise<ControllerDefinition>;
}

/** Every controller, in the order `kubestellar start` launches them. */
export const CONTROLLER_REGISTRY: ControllerEntry[] = [
  {
    name: "mailbox-controller",
    executable: "mailbox-controller",
    label: "mailbox-controller",
    summary: "one mailbox workspace per SyncTarget, bound to the edge API",
    load: async () => (await import("./mailbox/mailbox_controller.ts")).mailboxController,
  },
  {
    name: "where-resolver",
    executable: "kubestellar-where-resolver",
    label: "where-resolver",
    aliases: ["kubestellar-where-resolver"],
    summary: "one SinglePlacementSlice per EdgePlacement, listing its destinations",
    load: async () => (await import("./where/where_controller.ts")).whereResolver,
  },
  {
    name: "placement-translator",
    executable: "placement-translator",
    label: "placement translator",
    summary: "projects the selected workload objects into the mailbox workspaces",
    load: async () =>
      (await import("./placement/placement_translator_controller.ts")).placementTranslator,
  },
  {
    name: "status-summarizer",
    executable: "status-summarizer",
    label: "status summarizer",
    summary: "one StatusSummary per StatusSummarizer, from the state the edge clusters report",
    load: async () => (await import("./summarizer/summarizer_controller.ts")).statusSummarizer,
  },
  {
    name: "edge-view",
    executable: "kubestellar-edge-view",
    label: "edge view",
    summary: "HTTPS view of workload workspaces that stores RBAC, webhooks and the like denatured",
    load: async () => (await import("../edgeview/edge_view_controller.ts")).edgeView,
  },
];

/** The entry named `name` (or aliased so). */
export function findController(name: string): ControllerEntry | undefined {
  return CONTROLLER_REGISTRY.find((c) => c.name === name || c.aliases?.includes(name));
}

/**
 * The entries a `kubestellar controller` word names: one name, a comma-separated list,
 * or `all` (every controller, in launch order). Unknown names are a usage error.
 */
export function selectControllers(word: string): ControllerEntry[] {
  if (word === "all") return [...CONTROLLER_REGISTRY];
  const picked: ControllerEntry[] = [];
  for (const name of word.split(",").map((n) => n.trim()).filter((n) => n !== "")) {
    const entry = findController(name);
    if (!entry) {
      const names = CONTROLLER_REGISTRY.map((c) => c.name).join(", ");
      throw new UsageError(`unknown controller "${name}": use one of ${names}, or all`);
    }
    if (!picked.includes(entry)) picked.push(entry);
  }
  if (picked.length === 0) throw new UsageError("name at least one controller, or all");
  return picked;
}
