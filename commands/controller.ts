/**
 * `kubestellar controller <name> [flags]`: runs one central controller in the
 * foreground until SIGINT/SIGTERM (what `kubestellar start` launches). Controllers are
 * listed in `lib/controllers/registry.ts`; flags in
 * `lib/controllers/runtime/controller_flags.ts`.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UsageError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { CONTROLLER_REGISTRY, findController } from "../lib/controllers/registry.ts";
import {
  controllerUsage,
  parseControllerFlags,
} from "../lib/controllers/runtime/controller_flags.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const names = CONTROLLER_REGISTRY.map((c) => c.name);
  const [name, ...rest] = ctx.args;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    out(controllerUsage(ctx.prog, names));
    for (const c of CONTROLLER_REGISTRY) out(`  ${c.name.padEnd(22)} ${c.summary}`);
    return name === undefined ? 2 : 0;
  }
  const entry = findController(name);
  if (!entry) {
    throw new UsageError(`unknown controller "${name}": use one of ${names.join(", ")}`);
  }
  const flags = parseControllerFlags(rest);
  if (flags.help) {
    out(controllerUsage(ctx.prog, names));
    return 0;
  }
  const def = await entry.load();
  const { runControllerProcess } = await import("../lib/controllers/runtime/controller_host.ts");
  return await runControllerProcess(def, flags);
}
