/**
 * `kubestellar controller <name>[,<name>…]|all [flags]`: runs central controllers in
 * the foreground, in one process, until SIGINT/SIGTERM. `kubestellar start` launches
 * `all` with `--log-folder`, so each controller still has its own log file.
 * Controllers are listed in `lib/controllers/registry.ts`; flags in
 * `lib/controllers/runtime/controller_flags.ts`.
 *
 * Run under one of upstream's executable names (`mailbox-controller -v=2 &`,
 * `kubestellar-where-resolver -v 2 &`, `placement-translator --allclusters-context …`),
 * the process records itself in the state directory (`lib/process/self_record.ts`) so that
 * `kubestellar stop` stops it too, and removes that record when it ends.
 *
 * @module
 */
import { join, resolve } from "node:path";
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

/** The usage under a controller's own executable name (`mailbox-controller --help`). */
function printOwnUsage(prog: string, summary: string): void {
  const lines = controllerUsage(prog).split("\n");
  out(`Usage: ${prog} [flags]`);
  out("");
  out(`Runs the ${prog} until SIGINT/SIGTERM: ${summary}.`);
  out(`The same as \`kubestellar controller ${prog}\`; \`kubestellar stop\` stops it too.`);
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith("  --")))) out(line);
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const [word, ...rest] = ctx.args;
  if (word === undefined || word === "-h" || word === "--help" || word === "help") {
    printUsage(ctx.prog);
    return word === undefined ? 2 : 0;
  }
  const entries = selectControllers(word);
  // Run under upstream's executable name of one controller (`mailbox-controller -v=2`).
  const ownName = entries.length === 1 && entries[0].executable === ctx.prog;
  const flags = parseControllerFlags(rest);
  if (flags.help) {
    if (ownName) printOwnUsage(ctx.prog, entries[0].summary);
    else printUsage(ctx.prog);
    return 0;
  }
  const recorded = ownName ? await recordUnderOwnName(ctx.prog, flags.logFolder) : undefined;
  try {
    const controllers = await Promise.all(
      entries.map(async (e) => ({ def: await e.load(), executable: e.executable })),
    );
    const { runControllerProcess } = await import(
      "../lib/controllers/runtime/controller_host.ts"
    );
    return await runControllerProcess(controllers, flags);
  } finally {
    await recorded?.forget();
  }
}

async function recordUnderOwnName(executable: string, logFolder: string | undefined) {
  const [{ stateDirectory }, { recordSelf }] = await Promise.all([
    import("../lib/core/controllers_launch.ts"),
    import("../lib/process/self_record.ts"),
  ]);
  const logFile = logFolder ? join(resolve(logFolder), `${executable}-log.txt`) : "(stderr)";
  return await recordSelf([executable], stateDirectory(), logFile);
}
