/**
 * The one entry point of the KubeStellar toolkit.
 *
 * Every documented executable name (`kubestellar`, `kubectl-kubestellar`,
 * `kubestellar-version`, …) runs this module; the name it was invoked as selects
 * where in the command tree the arguments start. Wrappers made by `deno task link`
 * and the release archive pass the name in `KUBESTELLAR_INVOKED_AS`.
 *
 * @module
 */
import type { Command } from "commander";
import { COMMAND_TREE, type CommandNode, EXECUTABLES } from "./commands/tree.ts";
import { err, out } from "./lib/cli/io.ts";
import { rootHelp } from "./lib/cli/root_help.ts";
import { runCommand } from "./lib/cli/run_command.ts";
import { buildStamp } from "./lib/version/build_info.ts";
import { PROJECT_VERSION } from "./lib/version/project_version.ts";

/** Flags of `kubestellar init|start|stop` that may come before the subcommand. */
const PROCESS_SWITCHES = new Set(["-V", "--verbose", "-X"]);
const PROCESS_VALUE_FLAGS = new Set([
  "--log-folder",
  "--local-kcp",
  "--ensure-imw",
  "--ensure-wmw",
]);
const PROCESS_SUBCOMMANDS = new Set(["init", "start", "stop"]);

/**
 * `kubestellar [flags] init|start|stop [flags]`: moves the subcommand word to the front
 * so the tree sees it, keeping every flag in order.
 */
export function hoistProcessSubcommand(args: string[]): string[] {
  let i = 0;
  while (i < args.length) {
    if (PROCESS_SWITCHES.has(args[i])) i += 1;
    else if (PROCESS_VALUE_FLAGS.has(args[i])) i += 2;
    else break;
  }
  if (i > 0 && i < args.length && PROCESS_SUBCOMMANDS.has(args[i])) {
    return [args[i], ...args.slice(0, i), ...args.slice(i + 1)];
  }
  return args;
}

/** The fixed overview `kubectl kubestellar` prints (commands-spec §6). */
function pluginOverview(): string {
  const names = [
    "deploy",
    "ensure",
    "get-internal-kubeconfig",
    "get-external-kubeconfig",
    "prep-for-cluster",
    "prep-for-syncer",
    "preview",
    "remove",
  ];
  const lines = ["Usage:", "  kubectl kubestellar [command]", "", "Available commands:"];
  for (const name of names) {
    const node = COMMAND_TREE.find((n) => n.name === name)!;
    lines.push(`  ${name.padEnd(26)}${node.summary}`);
  }
  return lines.join("\n");
}

/** What a grouping node (`ensure`, `remove`) prints when no subcommand follows. */
function printGroupUsage(node: CommandNode, words: string[]): void {
  out(`Usage: kubectl kubestellar ${words.join(" ")} subcommand`);
  out("Subcommands:");
  for (const child of node.children!) out(`  ${child.name.padEnd(12)}${child.summary}`);
}

/**
 * A grouping node (`ensure`, `remove`) reached without a known subcommand: its usage
 * (exit 0) when nothing or `-h` follows, else one line naming the word (exit 1).
 */
function groupWithoutSubcommand(node: CommandNode, words: string[], rest: string[]): number {
  const next = rest[0];
  if (next === undefined || (rest.length === 1 && ["-h", "--help"].includes(next))) {
    printGroupUsage(node, words);
    return 0;
  }
  const prog = node.prog ?? `kubestellar ${words.join(" ")}`;
  const what = next.startsWith("-") && next !== "-" ? "unknown flag" : "unknown subcommand";
  const choices = node.children!.map((c) => c.name).join(" or ");
  err(`${prog}: ${what} ${JSON.stringify(next)}: use ${choices}`);
  return 1;
}

/** Where the leading words of `args` lead in the tree, and the words left over. */
export function routeArgs(
  args: string[],
): { node: CommandNode; words: string[]; rest: string[] } | undefined {
  let nodes = COMMAND_TREE;
  let node: CommandNode | undefined;
  let i = 0;
  while (i < args.length) {
    const next = nodes.find((n) => n.name === args[i]);
    if (!next) break;
    node = next;
    i++;
    if (!next.children) break;
    nodes = next.children;
  }
  return node ? { node, words: args.slice(0, i), rest: args.slice(i) } : undefined;
}

function addNode(parent: Command, node: CommandNode, path: string[]): void {
  const words = [...path, node.name];
  const cmd = parent.command(node.name, { hidden: node.hidden }).description(node.summary);
  if (node.children) {
    cmd.enablePositionalOptions();
    for (const child of node.children) addNode(cmd, child, words);
    cmd.helpOption(false).allowUnknownOption().allowExcessArguments().action(() =>
      printGroupUsage(node, words)
    );
    return;
  }
  cmd.helpOption(false).allowUnknownOption().allowExcessArguments().passThroughOptions()
    .argument("[args...]").action(async (args: string[]) => {
      const prog = node.prog ?? `kubestellar ${words.join(" ")}`;
      Deno.exitCode = await runCommand(node.load!, prog, args);
    });
}

const DESCRIPTION = "KubeStellar: run workloads across many edge clusters from one kcp server";

function releaseVersion(): string {
  return buildStamp().release || `${PROJECT_VERSION}-dev`;
}

/** Builds the commander program for the tree (loaded only for help and unknown words). */
export async function buildProgram(): Promise<Command> {
  const { Command } = await import("commander");
  const program = new Command("kubestellar")
    .description(DESCRIPTION)
    .usage("[flags] command [flags]")
    .version(releaseVersion(), "--version", "print the release version")
    .enablePositionalOptions()
    .configureHelp({ sortSubcommands: false });
  for (const node of COMMAND_TREE) addNode(program, node, []);
  return program;
}

/** Runs the toolkit with the given arguments, as the named executable. */
export async function main(args: string[], invokedAs: string): Promise<number> {
  const start = EXECUTABLES[invokedAs] ?? [];
  if (start[0] === COMPLETE_WORD) return await complete(start.slice(1), args);
  if (args[0] === COMPLETE_WORD) return await complete(start, args.slice(1));
  if (invokedAs === "kubectl-kubestellar" && args.length === 0) {
    out(pluginOverview());
    return 0;
  }
  if (start.length > 0) {
    const route = routeArgs(start)!;
    // Words past the leaf (`controller mailbox-controller`) go first, and the executable's
    // own name is then the name in messages.
    const prog = route.rest.length > 0 ? invokedAs : route.node.prog ?? invokedAs;
    return await runCommand(route.node.load!, prog, [...route.rest, ...args]);
  }
  const hoisted = hoistProcessSubcommand(args);
  const route = routeArgs(hoisted);
  if (route && !route.node.children) {
    const prog = route.node.prog ?? `kubestellar ${route.words.join(" ")}`;
    return await runCommand(route.node.load!, prog, route.rest);
  }
  if (route) return groupWithoutSubcommand(route.node, route.words, route.rest);
  if (hoisted.length === 0 || (hoisted.length === 1 && ["-h", "--help"].includes(hoisted[0]))) {
    out(rootHelp(DESCRIPTION, COMMAND_TREE));
    return 0;
  }
  if (hoisted.length === 1 && hoisted[0] === "--version") {
    out(releaseVersion());
    return 0;
  }
  const program = await buildProgram();
  Deno.exitCode = 0;
  await program.parseAsync(hoisted, { from: "user" });
  return Number(Deno.exitCode ?? 0);
}

/**
 * The hidden word of shell and kubectl plugin completion: `kubestellar __complete WORD…
 * PARTIAL` prints the candidates for PARTIAL and, last, `:<directive>` (cobra's protocol,
 * which kubectl also reads from `kubectl_complete-<plugin>`).
 */
const COMPLETE_WORD = "__complete";

async function complete(path: string[], words: string[]): Promise<number> {
  const { runCompletion } = await import("./lib/cli/completion.ts");
  return await runCompletion(COMMAND_TREE, path, words);
}

/** Runs the process: reads the invoked name, runs, exits with the command's code. */
export async function cli(): Promise<never> {
  const invokedAs = Deno.env.get("KUBESTELLAR_INVOKED_AS") ?? "kubestellar";
  // Child processes (controllers, syncers) must not inherit the wrapper's name.
  Deno.env.delete("KUBESTELLAR_INVOKED_AS");
  const code = await main(Deno.args, invokedAs);
  Deno.exit(code);
}

if (import.meta.main) await cli();
