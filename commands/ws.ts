/**
 * `kubectl ws` (`kubectl-ws`): kcp's workspace plugin for the embedded control plane
 * (and any kcp). kubectl's connection flags are accepted anywhere; errors print as
 * kcp's plugin prints them (`Error: <message>`, exit 1).
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { describeError, UsageError, UserError } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { connectionFlags } from "../lib/cli/kubectl_flags.ts";
import { type OwnFlag, scanPluginArgs } from "../lib/cli/plugin_args.ts";
import type {
  WorkspaceSession,
  WorkspaceSessionOptions,
} from "../lib/workspace/workspace_session.ts";

const FLAGS: OwnFlag[] = [
  { names: ["--short"], key: "short" },
  { names: ["--type"], key: "type", value: "workspace type" },
  { names: ["--enter"], key: "enter" },
  { names: ["--ignore-existing"], key: "ignore-existing" },
  { names: ["--location-selector"], key: "location-selector", value: "location selector" },
  { names: ["--overwrite"], key: "overwrite" },
  { names: ["-f", "--full"], key: "full" },
];

/** Which own flags each form accepts. */
const ALLOWED: Record<string, string[]> = {
  use: ["short"],
  create: ["type", "enter", "ignore-existing", "location-selector", "short"],
  "create-context": ["overwrite"],
  tree: ["full"],
};

const USAGE = [
  "Usage: kubectl ws [.|..|-|~|<workspace>] [--short] [kubectl flags]",
  "       kubectl ws use <workspace> | current",
  "       kubectl ws create <name> [--type T] [--enter] [--ignore-existing]",
  "       kubectl ws create-context [name] [--overwrite]",
  "       kubectl ws tree [-f|--full]",
].join("\n");

interface Invocation {
  form: "use" | "create" | "create-context" | "tree";
  target?: string;
}

function invocation(positionals: string[], prog: string): Invocation {
  const [first, ...rest] = positionals;
  const tooMany = (max: number) => {
    if (rest.length > max) {
      throw new UsageError(`${prog}: too many arguments: ${rest.slice(max).join(" ")}`, 1, [USAGE]);
    }
  };
  switch (first) {
    case undefined:
      return { form: "use", target: "" };
    case "use":
      if (rest.length === 0) throw new UsageError(`${prog}: use needs a workspace`, 1, [USAGE]);
      tooMany(1);
      return { form: "use", target: rest[0] };
    case "current":
      tooMany(0);
      return { form: "use", target: "." };
    case "create":
      if (rest.length === 0) {
        throw new UsageError(`${prog}: create needs a workspace name`, 1, [USAGE]);
      }
      tooMany(1);
      return { form: "create", target: rest[0] };
    case "create-context":
      tooMany(1);
      return { form: "create-context", target: rest[0] };
    case "tree":
      tooMany(0);
      return { form: "tree" };
    default:
      if (rest.length > 0) {
        throw new UsageError(`${prog}: too many arguments: ${rest.join(" ")}`, 1, [USAGE]);
      }
      return { form: "use", target: first };
  }
}

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  return runWs(ctx.prog, ctx.args);
}

/**
 * The command with its printing and session options injectable (tests run it
 * in-process). Resolves to 0 or throws a `UserError` carrying kcp's `Error: …` line.
 */
export async function runWs(
  prog: string,
  args: string[],
  options: WorkspaceSessionOptions = {},
): Promise<number> {
  const scan = scanPluginArgs(args, {
    prog,
    usage: USAGE,
    flags: FLAGS,
    rejectContext: false,
    acceptTrace: false,
  });
  if (scan.help) {
    (options.out ?? out)(USAGE);
    return 0;
  }
  const inv = invocation(scan.positionals, prog);
  const given = [...scan.switches, ...Object.keys(scan.values)];
  const stray = given.find((key) => !ALLOWED[inv.form].includes(key));
  if (stray) {
    const flag = FLAGS.find((f) => f.key === stray)!.names.at(-1);
    throw new UsageError(`${prog}: flag ${flag} does not apply to "ws ${inv.form}"`, 1, [
      USAGE,
    ]);
  }

  let session: WorkspaceSession | undefined;
  try {
    // The workspace code (kubeconfig, YAML, HTTP) loads only after the arguments are good.
    const { openWorkspaceSession } = await import("../lib/workspace/workspace_session.ts");
    session = await openWorkspaceSession(connectionFlags(scan.passThrough), options);
    const short = scan.switches.has("short");
    switch (inv.form) {
      case "use":
        await (await import("../lib/workspace/use_workspace.ts")).useWorkspace(
          session,
          inv.target!,
          { short },
        );
        break;
      case "create":
        await (await import("../lib/workspace/create_workspace.ts")).createWorkspace(
          session,
          inv.target!,
          {
            type: scan.values.type,
            enter: scan.switches.has("enter"),
            ignoreExisting: scan.switches.has("ignore-existing"),
            locationSelector: scan.values["location-selector"],
            short,
          },
        );
        break;
      case "create-context":
        await (await import("../lib/workspace/create_context.ts")).createWorkspaceContext(
          session,
          inv.target,
          scan.switches.has("overwrite"),
        );
        break;
      case "tree":
        await (await import("../lib/workspace/workspace_tree.ts")).workspaceTree(session, {
          full: scan.switches.has("full"),
        });
        break;
    }
    return 0;
  } catch (e) {
    if (Deno.env.get("KUBESTELLAR_DEBUG")) console.error(e);
    throw new UserError(`Error: ${describeError(e)}`, 1);
  } finally {
    session?.close();
  }
}
