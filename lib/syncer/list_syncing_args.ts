/**
 * The command line of `kubestellar-list-syncing-objects` (commands-spec §11): its usage
 * text and parser, kept apart from the run so that `--help` and usage errors load
 * nothing heavy.
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import { parseFlags } from "./flag_parser.ts";
import type { ResourceId } from "./sync_plan.ts";

/** The usage text (pflag style). */
export const LIST_SYNCING_USAGE = [
  "Usage of kubestellar-list-syncing-objects:",
  "      --all-cluster string        The name of the kubeconfig cluster to use for access to the chosen objects in all clusters",
  '      --all-context string        The name of the kubeconfig context to use for access to the chosen objects in all clusters (default "system:admin")',
  "      --all-kubeconfig string     Path to the kubeconfig file to use for access to the chosen objects in all clusters",
  "      --all-user string           The name of the kubeconfig user to use for access to the chosen objects in all clusters",
  "      --api-group string          API group of objects to watch (default is Kubernetes core group)",
  "      --api-kind string           kind of objects to watch",
  "      --api-resource string       API resource (lowercase plural) of objects to watch (defaults to lowercase(kind)+'s')",
  '      --api-version string        API version (just version, no group) of objects to watch (default "v1")',
  "      --json                      indicates whether to output as lines of JSON rather than YAML",
  "      --parent-cluster string     The name of the kubeconfig cluster to use for access to the parent of mailbox workspaces",
  '      --parent-context string     The name of the kubeconfig context to use for access to the parent of mailbox workspaces (default "root")',
  "      --parent-kubeconfig string  Path to the kubeconfig file to use for access to the parent of mailbox workspaces",
  "      --parent-user string        The name of the kubeconfig user to use for access to the parent of mailbox workspaces",
  "  -v, --v string                  log verbosity",
  "      --watch                     indicates whether to inform rather than just list",
];

/** One client configuration's flags. */
export interface ClientFlags {
  kubeconfig?: string;
  context: string;
  user?: string;
  cluster?: string;
}

/** Parsed arguments. */
export interface ListSyncingArgs {
  resource: ResourceId;
  kind: string;
  watch: boolean;
  json: boolean;
  all: ClientFlags;
  parent: ClientFlags;
  help: boolean;
}

const GROUPS = ["all", "parent"] as const;

/** Parses the command line. */
export function parseListSyncingArgs(prog: string, args: string[]): ListSyncingArgs {
  const strings = ["--api-group", "--api-version", "--api-kind", "--api-resource", "-v", "--v"];
  for (const g of GROUPS) {
    for (const f of ["kubeconfig", "context", "user", "cluster"]) strings.push(`--${g}-${f}`);
  }
  const r = parseFlags(args, { prog, strings, booleans: ["--watch", "--json"] });
  const v = r.values;
  const client = (g: string, dflt: string): ClientFlags => ({
    kubeconfig: v[`--${g}-kubeconfig`] || undefined,
    context: v[`--${g}-context`] || dflt,
    user: v[`--${g}-user`] || undefined,
    cluster: v[`--${g}-cluster`] || undefined,
  });
  const kind = v["--api-kind"] ?? "";
  const parsed: ListSyncingArgs = {
    resource: {
      group: v["--api-group"] ?? "",
      version: v["--api-version"] || "v1",
      resource: v["--api-resource"] || `${kind.toLowerCase()}s`,
    },
    kind,
    watch: r.booleans.has("--watch"),
    json: r.booleans.has("--json"),
    all: client("all", "system:admin"),
    parent: client("parent", "root"),
    help: r.help,
  };
  if (r.help) return parsed;
  if (r.positionals.length > 0) {
    throw new UsageError(`${prog}: unexpected argument ${JSON.stringify(r.positionals[0])}`);
  }
  if (!kind && !v["--api-resource"]) {
    throw new UsageError(`${prog}: --api-kind is required (e.g. --api-kind ReplicaSet)`);
  }
  return parsed;
}
