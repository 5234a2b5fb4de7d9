/**
 * `kubectl kcp` (`kubectl-kcp`): a stand-in for the part of kcp v0.11's kubectl plugin
 * that v0.14-era scripts call, installed only where kcp's own plugin is absent:
 *
 * - `kubectl kcp bind apiexport <path>:<export> [--name N] [--timeout D]`
 *   (`inner-scripts/kubestellar`, `kubectl-kubestellar-ensure-location`);
 * - `kubectl kcp workspace|ws|workspaces …`, which is `kubectl ws …`.
 *
 * kubectl's connection flags go anywhere (`kubectl kcp --kubeconfig F bind apiexport …`,
 * as the ensure-location script writes it). Output and errors are kcp's: results on
 * stdout, failures as `error: <message>` with exit code 1.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { describeError, UsageError, UserError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { connectionFlags } from "../lib/cli/kubectl_flags.ts";
import { type OwnFlag, scanPluginArgs } from "../lib/cli/plugin_args.ts";
import { parseDuration } from "../lib/kubeconfig/duration.ts";
import { runWs } from "./ws.ts";

const USAGE = [
  "Usage: kubectl kcp bind apiexport <workspace_path:apiexport-name> [--name N] [--timeout D] [kubectl flags]",
  "       kubectl kcp workspace|ws [...]   (the same as kubectl ws [...])",
  "",
  "This is KubeStellar's stand-in for kcp's kubectl plugin: only the commands above.",
  "kubectl's connection flags may go anywhere.",
].join("\n");

const BIND_FLAGS: OwnFlag[] = [
  { names: ["--name"], key: "name", value: "APIBinding name" },
  { names: ["--timeout"], key: "timeout", value: "timeout duration" },
];

const WORKSPACE_WORDS = new Set(["workspace", "ws", "workspaces"]);

/** The first word that is not a flag or a flag's value, with its index. */
function firstWord(args: string[]): number {
  try {
    const scan = scanPluginArgs(args, {
      prog: "kcp",
      usage: USAGE,
      flags: BIND_FLAGS,
      rejectContext: false,
      acceptTrace: false,
    });
    const word = scan.positionals[0];
    return word === undefined ? -1 : args.indexOf(word);
  } catch {
    return args.findIndex((a) => !a.startsWith("-"));
  }
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const at = firstWord(ctx.args);
  if (at >= 0 && WORKSPACE_WORDS.has(ctx.args[at])) {
    return await runWs("kubectl-ws", [...ctx.args.slice(0, at), ...ctx.args.slice(at + 1)]);
  }
  let scan;
  try {
    scan = scanPluginArgs(ctx.args, {
      prog: "kcp",
      usage: USAGE,
      flags: BIND_FLAGS,
      rejectContext: false,
      acceptTrace: false,
    });
  } catch (e) {
    const message = describeError(e).replace(/^kcp: /, "").replace(/; run with -h for usage$/, "");
    throw new UserError(`error: ${message}`, 1);
  }
  const [group, kind, reference = "", ...rest] = scan.positionals;
  if (scan.help || group === undefined) {
    out(USAGE);
    return 0;
  }
  if (group !== "bind") {
    throw new UsageError(`error: unknown command "${group}" for "kcp"`, 1, [USAGE]);
  }
  if (kind !== "apiexport") {
    const what = kind === undefined ? "a subcommand (apiexport)" : `"${kind}"`;
    throw new UsageError(
      `error: this stand-in for kcp's plugin binds only apiexport, not ${what}`,
      1,
    );
  }
  if (rest.length > 0) {
    throw new UsageError(`error: unexpected arguments after ${reference}: ${rest.join(" ")}`, 1);
  }
  let timeoutMs: number | undefined;
  if (scan.values.timeout !== undefined) {
    timeoutMs = parseDuration(scan.values.timeout);
    if (timeoutMs === undefined) {
      throw new UserError(
        `error: invalid argument "${scan.values.timeout}" for "--timeout" flag: ` +
          `time: invalid duration "${scan.values.timeout}"`,
        1,
      );
    }
  }
  const [{ openWorkspaceSession }, { bindApiExport, splitExportReference }] = await Promise.all([
    import("../lib/workspace/workspace_session.ts"),
    import("../lib/workspace/bind_apiexport.ts"),
  ]);
  let session;
  try {
    splitExportReference(reference); // kcp validates before it connects
    session = await openWorkspaceSession(connectionFlags(scan.passThrough));
    await bindApiExport(session, { reference, name: scan.values.name, timeoutMs });
    return 0;
  } catch (e) {
    if (Deno.env.get("KUBESTELLAR_DEBUG")) console.error(e);
    throw new UserError(`error: ${describeError(e)}`, 1);
  } finally {
    session?.close();
  }
}
