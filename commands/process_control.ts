/**
 * `kubestellar [flags] init|start|stop [flags]` (commands-spec §3): finish setup, and
 * start or stop the central controllers. Flags may come before or after the
 * subcommand; the last subcommand word wins. Logic in `lib/core/init.ts` and
 * `lib/core/controllers_launch.ts`.
 *
 * @module
 */
import type { CommandContext, CommandModule } from "../lib/cli/command.ts";
import { UsageError, UserError } from "../lib/cli/errors.ts";
import { err, out } from "../lib/cli/io.ts";
import {
  launchControllers,
  stateDirectory,
  stopControllers,
} from "../lib/core/controllers_launch.ts";
import { withCoreSession } from "../lib/core/core_session.ts";
import { runInit } from "../lib/core/init.ts";
import {
  parseProcessFlags,
  type ProcessFlags,
  type ProcessSubcommand,
  processUsage,
} from "../lib/core/process_flags.ts";
import { spaceProviderFromEnv } from "../lib/core/space_provider.ts";
import { waitTimeoutMs } from "../lib/deploy/wait_timeout.ts";
import { useWorkspace } from "../lib/workspace/use_workspace.ts";

const PROG = "kubestellar";
const STARS = "*".repeat(40);

function parse(sub: ProcessSubcommand, args: string[]): ProcessFlags {
  try {
    return parseProcessFlags(PROG, [sub, ...args], Deno.cwd());
  } catch (e) {
    if (e instanceof UsageError) throw new UserError(e.message, e.exitCode);
    throw e;
  }
}

async function init(flags: ProcessFlags, endWithVisibleRoot: boolean): Promise<void> {
  const spaceProvider = spaceProviderFromEnv();
  const timeout = waitTimeoutMs("2m");
  await withCoreSession(PROG, [], async (session) => {
    await runInit(session, {
      prog: PROG,
      verbose: flags.verbose,
      trace: flags.trace,
      localKcp: flags.localKcp,
      imws: flags.imws,
      wmws: flags.wmws,
      waitTimeoutMs: timeout,
      spaceProvider,
      progress: err,
    });
    if (endWithVisibleRoot) await useWorkspace(session, "root");
  });
}

async function start(flags: ProcessFlags): Promise<number> {
  const stateDir = stateDirectory();
  await stopControllers(stateDir, out);
  await init(flags, false);
  out(STARS);
  out("Launching KubeStellar ...");
  out(STARS);
  const outcomes = await launchControllers({
    logFolder: flags.logFolder,
    stateDir,
    print: out,
    warn: err,
  });
  if (Object.values(outcomes).includes("failed")) return 1;
  out(STARS);
  out("Finished launching KubeStellar ...");
  out(STARS);
  await withCoreSession(PROG, [], (session) => useWorkspace(session, "root"));
  return 0;
}

async function run(sub: ProcessSubcommand, ctx: CommandContext): Promise<number> {
  const flags = parse(sub, ctx.args);
  if (flags.help) {
    out(processUsage(PROG));
    return 0;
  }
  switch (flags.subcommand) {
    case "stop":
      await stopControllers(stateDirectory(), out);
      out("kubestellar stopped .....");
      return 0;
    case "init":
      await init(flags, false);
      return 0;
    case "start":
      return await start(flags);
  }
}

/** The command module for one subcommand word (the tree has one entry per word). */
export function forSubcommand(sub: ProcessSubcommand): CommandModule {
  return { main: (ctx) => run(sub, ctx) };
}

/** Runs `kubestellar init` (the subcommand words in the arguments still win). */
export function main(ctx: CommandContext): Promise<number> {
  return run("init", ctx);
}
