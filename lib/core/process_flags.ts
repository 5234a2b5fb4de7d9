/**
 * The command line of `kubestellar [flags] init|start|stop [flags]` (commands-spec §3.1):
 * flags and the subcommand in any order, the last subcommand word wins, the exact
 * upstream messages — without upstream's name-pattern process matching.
 *
 * @module
 */
import { UsageError, UserError } from "../cli/errors.ts";

/** The three subcommands. */
export type ProcessSubcommand = "init" | "start" | "stop";

/** Parsed `kubestellar` flags. */
export interface ProcessFlags {
  subcommand: ProcessSubcommand;
  verbose: boolean;
  trace: boolean;
  logFolder: string;
  localKcp: boolean;
  /** Child names of `root` (a leading `root:` stripped). */
  imws: string[];
  wmws: string[];
  help: boolean;
}

/** The one-line usage. */
export function processUsage(prog: string): string {
  return `Usage: ${prog} [init | start | stop] [--log-folder log_folder] [--local-kcp bool] ` +
    `[--ensure-imw imw-list] [--ensure-wmw wmw-list] [-V|--verbose] [-X]`;
}

function workspaceList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) =>
    s.startsWith("root:") ? s.slice("root:".length) : s
  );
}

/** Parses the arguments; `cwd` gives the default log folder. */
export function parseProcessFlags(prog: string, args: string[], cwd: string): ProcessFlags {
  const flags: ProcessFlags = {
    subcommand: "init",
    verbose: false,
    trace: false,
    logFolder: `${cwd}/kubestellar-logs`,
    localKcp: true,
    imws: ["imw1"],
    wmws: ["wmw1"],
    help: false,
  };
  let sub: ProcessSubcommand | undefined;
  const value = (i: number, missing: string): string => {
    if (i + 1 >= args.length) throw new UserError(`${prog}: missing ${missing}`, 1);
    return args[i + 1];
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case "init":
      case "start":
      case "stop":
        sub = a;
        break;
      case "-h":
      case "--help":
        flags.help = true;
        break;
      case "-V":
      case "--verbose":
        flags.verbose = true;
        break;
      case "-X":
        flags.trace = true;
        break;
      case "--log-folder":
        flags.logFolder = value(i++, "log folder");
        break;
      case "--local-kcp": {
        const v = value(i++, "--local-kcp value");
        if (v !== "true" && v !== "false") {
          throw new UserError(
            `${prog}: --local-kcp must be given 'true' or 'false', not '${v}'`,
            1,
          );
        }
        flags.localKcp = v === "true";
        break;
      }
      case "--ensure-imw":
        flags.imws = workspaceList(value(i++, "comma separated list of IMWs"));
        break;
      case "--ensure-wmw":
        flags.wmws = workspaceList(value(i++, "comma separated list of WMWs"));
        break;
      default:
        if (a.startsWith("-")) {
          throw new UsageError(`${prog}: unknown flag ${JSON.stringify(a)}`, 1, [
            processUsage(prog),
          ]);
        }
        throw new UsageError(`${prog}: unknown positional argument ${JSON.stringify(a)}`, 1, [
          processUsage(prog),
        ]);
    }
  }
  if (!flags.help && !sub) {
    throw new UsageError(`${prog}: missing a subcommand`, 1, [processUsage(prog)]);
  }
  flags.subcommand = sub ?? "init";
  for (const name of [...flags.imws, ...flags.wmws]) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
      throw new UserError(
        `${prog}: ${
          JSON.stringify(name)
        } is not a valid workspace name (lower-case letters, digits and '-'; a child of root)`,
        1,
      );
    }
  }
  return flags;
}
