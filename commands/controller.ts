/**
 * `kubestellar controller <name>[,<name>…]|all [flags]`: runs central controllers in
 * the foreground, in one process, until SIGINT/SIGTERM. `kubestellar start` launches
 * `all` with `--log-folder`, so each controller still has its own log file.
 * Controllers are listed in `lib/controllers/registry.ts`; flags in
 * `lib/controllers/runtime/controller_flags.ts`.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { out } from "../lib/cli/io.ts";
import { CONTROLLER_REGISTRY, selectControllers } from "../lib/controllers/registry.ts";
import {
  controllerUsage,
  parseControllerFlags,
} from "../lib/controllers/runtime/controller_flags.ts";

function printUsage(prog: string): void {
  out(controllerUsage(prog));
  out("\nControllers (NAME):");
  for (const c of CONTROLLER_REGISTRY) out(`  ${c.name.padEnd(22)} ${c.summary}`);
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const [word, ...rest] = ctx.args;
  if (word === undefined || word === "-h" || word === "--help" || word === "help") {
    printUsage(ctx.prog);
    return word === undefined ? 2 : 0;
  }
  const entries = selectControllers(word);
  const flags = parseControllerFlags(rest);
  if (flags.help) {
    printUsage(ctx.prog);
    return 0;
  }
  const controllers = await Promise.all(
    entries.map(async (e) => ({ def: await e.load(), executable: e.executable })),
  );
  const { runControllerProcess } = await import("../lib/controllers/runtime/controller_host.ts");
  return await runControllerProcess(controllers, flags);
}
