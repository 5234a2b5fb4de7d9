/**
 * The command line of `kubestellar controller <name>[,<name>…]|all`:
 *
 * ```
 * --kubeconfig FILE            kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
 * --root-context NAME          context for the root workspace (default "root")
 * --allclusters-context NAME   context for wildcard reads (default "system:admin")
 * --espw-path PATH             edge service provider workspace (default "root:espw")
 * --concurrency N              concurrent reconciles (default 4)
 * --metrics-bind-address H:P   /healthz, /readyz, /metrics (default 127.0.0.1:0)
 * --log-folder DIR             each controller appends to DIR/<executable>-log.txt
 * -v N                         log verbosity (4 or more: debug records); -V = -v 4
 * ```
 *
 * Flags take `--flag value` or `--flag=value`. `--server-bind-address` is accepted as
 * upstream's name for `--metrics-bind-address`. An empty host (`:10203`) means loopback.
 *
 * @example
 * ```ts
 * parseControllerFlags(["--concurrency", "2", "-v=4"]).workers; // 2
 * ```
 *
 * @module
 */
import { UsageError } from "../../cli/errors.ts";

/** Parsed settings. */
export interface ControllerFlags {
  kubeconfig?: string;
  rootContext: string;
  allClustersContext: string;
  espwPath: string;
  workers: number;
  metricsHost: string;
  metricsPort: number;
  verbosity: number;
  /** Where each controller's log file goes (default: every log on stderr). */
  logFolder?: string;
  help: boolean;
}

const VALUE_FLAGS: Record<string, string> = {
  "--kubeconfig": "kubeconfig",
  "--root-context": "rootContext",
  "--allclusters-context": "allClustersContext",
  "--espw-path": "espwPath",
  "--concurrency": "concurrency",
  "--metrics-bind-address": "bind",
  "--server-bind-address": "bind",
  "--log-folder": "logFolder",
  "-v": "verbosity",
  "--v": "verbosity",
};

/** The usage text. */
export function controllerUsage(prog: string): string {
  return [
    `Usage: ${prog} NAME[,NAME...]|all [flags]`,
    "",
    "Runs KubeStellar central controllers until SIGINT/SIGTERM: one, a comma-separated",
    "list, or all of them in one process (what `kubestellar start` launches).",
    "  --kubeconfig FILE            kubeconfig (default $KUBECONFIG, else ~/.kube/config)",
    '  --root-context NAME          context of the root workspace (default "root")',
    '  --allclusters-context NAME   context for all-cluster reads (default "system:admin")',
    '  --espw-path PATH             edge service provider workspace (default "root:espw")',
    "  --concurrency N              concurrent reconciles (default 4)",
    "  --metrics-bind-address H:P   serves /healthz, /readyz, /metrics (default 127.0.0.1:0)",
    "  --log-folder DIR             each controller appends its log to DIR/<executable>-log.txt",
    "                               (default: all logs on stderr)",
    "  -v N                         log verbosity; 4 or more adds debug records (-V = -v 4)",
  ].join("\n");
}

function parseBind(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  const host = colon < 0 ? "" : value.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const portText = colon < 0 ? value : value.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(
      `--metrics-bind-address needs HOST:PORT with a port 0-65535, got "${value}"`,
    );
  }
  return { host: host || "127.0.0.1", port };
}

function positiveInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) {
    throw new UsageError(`${flag} needs a whole number of at least ${min}, got "${value}"`);
  }
  return n;
}

/** Parses the flags after the controller name. */
export function parseControllerFlags(args: string[]): ControllerFlags {
  const flags: ControllerFlags = {
    rootContext: "root",
    allClustersContext: "system:admin",
    espwPath: "root:espw",
    workers: 4,
    metricsHost: "127.0.0.1",
    metricsPort: 0,
    verbosity: 2,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === "-h" || word === "--help") {
      flags.help = true;
      continue;
    }
    if (word === "-V") {
      flags.verbosity = Math.max(flags.verbosity, 4);
      continue;
    }
    const eq = word.indexOf("=");
    const name = word.startsWith("-") && eq > 0 ? word.slice(0, eq) : word;
    const field = VALUE_FLAGS[name];
    if (!field) {
      throw new UsageError(
        word.startsWith("-")
          ? `unknown flag: ${word} (see --help)`
          : `unexpected argument "${word}" (see --help)`,
      );
    }
    let value = eq > 0 && name !== word ? word.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    value = value.trim();
    switch (field) {
      case "kubeconfig":
        flags.kubeconfig = value;
        break;
      case "rootContext":
        flags.rootContext = value;
        break;
      case "allClustersContext":
        flags.allClustersContext = value;
        break;
      case "espwPath":
        if (!/^[a-z0-9:-]+$/.test(value)) {
          throw new UsageError(`--espw-path needs a workspace path like root:espw, got "${value}"`);
        }
        flags.espwPath = value;
        break;
      case "concurrency":
        flags.workers = positiveInt(name, value, 1);
        break;
      case "bind": {
        const { host, port } = parseBind(value);
        flags.metricsHost = host;
        flags.metricsPort = port;
        break;
      }
      case "logFolder":
        if (value === "") throw new UsageError("--log-folder needs a directory");
        flags.logFolder = value;
        break;
      case "verbosity":
        flags.verbosity = positiveInt(name, value, 0);
        break;
    }
  }
  return flags;
}
