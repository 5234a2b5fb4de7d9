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
  parseProcessFlags,
  type ProcessFlags,
  type ProcessSubcommand,
  processUsage,
} from "../lib/core/process_flags.ts";

const PROG = "kubestellar";

/**
 * The session, init and controller-launch code (kubeconfig, YAML, HTTP, processes),
 * loaded only after the arguments parsed and `--help` was handled.
 */
async function loadRunners() {
  const [launch, session, initFlow, space, wait, use] = await Promise.all([
    import("../lib/core/controllers_launch.ts"),
    import("../lib/core/core_session.ts"),
    import("../lib/core/init.ts"),
    import("../lib/core/space_provider.ts"),
    import("../lib/deploy/wait_timeout.ts"),
    import("../lib/workspace/use_workspace.ts"),
  ]);
  return {
    launchControllers: launch.launchControllers,
    stateDirectory: launch.stateDirectory,
    stopControllers: launch.stopControllers,
    withCoreSession: session.withCoreSession,
    runInit: initFlow.runInit,
    spaceProviderFromEnv: space.spaceProviderFromEnv,
    waitTimeoutMs: wait.waitTimeoutMs,
    useWorkspace: use.useWorkspace,
  };
}

type Runners = Awaited<ReturnType<typeof loadRunners>>;
const STARS = "*".repeat(40);

function parse(sub: ProcessSubcommand, args: string[]): ProcessFlags {
  try {
    return parseProcessFlags(PROG, [sub, ...args], Deno.cwd());
  } catch (e) {
    if (e instanceof UsageError) throw new UserError(e.message, e.exitCode);
    throw e;
  }
}

async function init(
  r: Runners,
  flags: ProcessFlags,
  endWithVisibleRoot: boolean,
): Promise<void> {
  const { runInit, useWorkspace, withCoreSession } = r;
  const spaceProvider = r.spaceProviderFromEnv();
  const timeout = r.waitTimeoutMs("2m");
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

async function start(r: Runners, flags: ProcessFlags): Promise<number> {
  const { launchControllers, stateDirectory, stopControllers, useWorkspace, withCoreSession } = r;
  const stateDir = stateDirectory();
  await stopControllers(stateDir, out);
  await init(r, flags, false);
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
  const r = await loadRunners();
  switch (flags.subcommand) {
    case "stop":
      await r.stopControllers(r.stateDirectory(), out);
      out("kubestellar stopped .....");
      return 0;
    case "init":
      await init(r, flags, false);
      return 0;
    case "start":
      return await start(r, flags);
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
