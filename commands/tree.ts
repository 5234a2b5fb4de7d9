/**
 * The one command tree: every documented command and its place under `kubestellar`.
 *
 * This module holds only names, summaries and lazy loaders, so building the tree
 * costs nothing; a command's module (and client-node with it) is imported only when
 * that command runs.
 *
 * @module
 */
import type { CommandModule } from "../lib/cli/command.ts";

/** One node of the tree. */
export interface CommandNode {
  /** The word that selects this node (`location` under `ensure`). */
  name: string;
  /** One-line description shown in help listings. */
  summary: string;
  /** Loads the command module; absent on pure grouping nodes. */
  load?: () => Promise<CommandModule>;
  /** Sub-commands. */
  children?: CommandNode[];
  /** Left out of help listings (internal processes). */
  hidden?: boolean;
  /** The name upstream gave this command's executable, used as `$0` in messages. */
  prog?: string;
}

/** The tree under `kubestellar` (and `kubectl kubestellar`). */
export const COMMAND_TREE: CommandNode[] = [
  {
    name: "init",
    summary: "finish setup: ESPW, root:compute RBAC, inventory and workload workspaces",
    load: () => import("./process_control.ts").then((m) => m.forSubcommand("init")),
  },
  {
    name: "start",
    summary: "stop running KubeStellar controllers, init, then start the controllers",
    load: () => import("./process_control.ts").then((m) => m.forSubcommand("start")),
  },
  {
    name: "stop",
    summary: "stop the KubeStellar controllers that start launched",
    load: () => import("./process_control.ts").then((m) => m.forSubcommand("stop")),
  },
  {
    name: "ensure-kcp-server-creds",
    summary: "create or re-use a CA and kcp server credentials for a DNS name",
    prog: "kubestellar-ensure-kcp-server-creds",
    load: () => import("./ensure_kcp_server_creds.ts"),
  },
  {
    name: "switch-domain",
    summary: "write a kubeconfig that reaches the kcp server by another domain and port",
    prog: "switch-domain",
    load: () => import("./switch_domain.ts"),
  },
  {
    name: "wait-and-switch-domain",
    summary: "wait for the kcp server to serve, then switch-domain",
    prog: "wait-and-switch-domain",
    load: () => import("./wait_and_switch_domain.ts"),
  },
  {
    name: "version",
    summary: "print build information",
    prog: "kubestellar-version",
    load: () => import("./version.ts"),
  },
  {
    name: "release",
    summary: "print the release version",
    prog: "kubestellar-release",
    load: () => import("./release.ts"),
  },
  {
    name: "deploy",
    summary: "deploy kcp and KubeStellar into a Kubernetes cluster with Helm",
    prog: "kubectl-kubestellar-deploy",
    load: () => import("./deploy.ts"),
  },
  {
    name: "ensure",
    summary: "ensure a location (SyncTarget/Location pair) or a workload management workspace",
    prog: "kubectl-kubestellar-ensure",
    children: [
      {
        name: "location",
        summary: "ensure a SyncTarget/Location pair in an inventory workspace",
        prog: "kubectl-kubestellar-ensure-location",
        load: () => import("./ensure_location.ts"),
      },
      {
        name: "wmw",
        summary: "ensure a workload management workspace",
        prog: "kubectl-kubestellar-ensure-wmw",
        load: () => import("./ensure_wmw.ts"),
      },
    ],
  },
  {
    name: "remove",
    summary: "remove a location or a workload management workspace",
    prog: "kubectl-kubestellar-remove",
    children: [
      {
        name: "location",
        summary: "remove a SyncTarget/Location pair",
        prog: "kubectl-kubestellar-remove-location",
        load: () => import("./remove_location.ts"),
      },
      {
        name: "wmw",
        summary: "remove a workload management workspace",
        prog: "kubectl-kubestellar-remove-wmw",
        load: () => import("./remove_wmw.ts"),
      },
    ],
  },
  {
    name: "get-internal-kubeconfig",
    summary: "fetch the kubeconfig for clients inside the hosting cluster",
    prog: "kubectl-kubestellar-get_internal_kubeconfig",
    load: () => import("./get_internal_kubeconfig.ts"),
  },
  {
    name: "get-external-kubeconfig",
    summary: "fetch the kubeconfig for clients outside the hosting cluster",
    prog: "kubectl-kubestellar-get_external_kubeconfig",
    load: () => import("./get_external_kubeconfig.ts"),
  },
  {
    name: "prep-for-cluster",
    summary: "ensure location and prepare the syncer for an edge cluster",
    prog: "kubectl-kubestellar-prep_for_cluster",
    load: () => import("./prep_for_cluster.ts"),
  },
  {
    name: "prep-for-syncer",
    summary: "prepare a mailbox workspace for a syncer and write its edge-cluster manifest",
    prog: "kubectl-kubestellar-prep_for_syncer",
    load: () => import("./prep_for_syncer.ts"),
  },
  {
    name: "preview",
    summary: "show which objects each EdgePlacement would send where, and why",
    prog: "kubectl-kubestellar-preview",
    load: () => import("./preview.ts"),
  },
  {
    name: "edge-view",
    summary: "write a kubeconfig context for the edge view of a workload management workspace",
    prog: "kubectl-kubestellar-edge-view",
    load: () => import("./edge_view.ts"),
  },
  {
    name: "list-syncing-objects",
    summary: "list or watch one kind of object across all mailbox workspaces",
    prog: "kubestellar-list-syncing-objects",
    load: () => import("./list_syncing_objects.ts"),
  },
  {
    name: "ws",
    summary: "show or change the current kcp workspace (kcp's kubectl ws)",
    prog: "kubectl-ws",
    load: () => import("./ws.ts"),
  },
  {
    name: "kcp-lite",
    summary: "run the embedded kcp-compatible control plane",
    prog: "kubestellar-kcp-lite",
    load: () => import("./kcp_lite.ts"),
  },
  {
    name: "syncer",
    summary: "run a syncer between a mailbox workspace and an edge cluster",
    prog: "kubestellar-syncer",
    load: () => import("./syncer.ts"),
  },
  {
    name: "quickstart",
    summary: "run the whole flow locally on kcp-lite: core, two edge clusters, workloads",
    prog: "kubestellar-quickstart",
    load: () => import("./quickstart.ts"),
  },
  {
    name: "ui",
    summary: "serve a live, read-only web view of clusters, placements and where objects are",
    prog: "kubestellar-ui",
    load: () => import("./ui.ts"),
  },
  {
    name: "completion",
    summary: "print a shell completion script: bash, zsh or fish",
    prog: "kubestellar completion",
    load: () => import("./completion.ts"),
  },
  {
    name: "uninstall",
    summary: "stop what KubeStellar runs and remove what it installed (remove-kubestellar)",
    prog: "remove-kubestellar",
    load: () => import("./remove_kubestellar.ts"),
  },
  {
    name: "kcp",
    summary: "the part of kcp's kubectl plugin that v0.14 scripts use (kubectl kcp bind …)",
    prog: "kubectl-kcp",
    hidden: true,
    load: () => import("./kcp_plugin.ts"),
  },
  {
    name: "controller",
    summary:
      "run one central controller (mailbox-controller, where-resolver, placement-translator, status-summarizer)",
    prog: "kubestellar-controller",
    hidden: true,
    load: () => import("./controller.ts"),
  },
];

/**
 * Executable names and where each lands in the tree. `kubestellar` and
 * `kubectl-kubestellar` land at the root. Words past a leaf are arguments put before the
 * user's (`mailbox-controller` is `kubestellar controller mailbox-controller`). A path
 * that starts with `__complete` answers kubectl's plugin completion (`kubectl_complete-…`)
 * for the rest of the path.
 */
export const EXECUTABLES: Record<string, string[]> = {
  "kubestellar": [],
  "kubectl-kubestellar": [],
  "kubestellar-ensure-kcp-server-creds": ["ensure-kcp-server-creds"],
  "wait-and-switch-domain": ["wait-and-switch-domain"],
  "switch-domain": ["switch-domain"],
  "kubestellar-version": ["version"],
  "kubestellar-release": ["release"],
  "kubestellar-list-syncing-objects": ["list-syncing-objects"],
  "kubectl-ws": ["ws"],
  "kubectl-kcp": ["kcp"],
  "mailbox-controller": ["controller", "mailbox-controller"],
  "kubestellar-where-resolver": ["controller", "kubestellar-where-resolver"],
  "placement-translator": ["controller", "placement-translator"],
  "remove-kubestellar": ["uninstall"],
  "kubectl_complete-kubestellar": ["__complete"],
  "kubectl_complete-ws": ["__complete", "ws"],
  "kubectl_complete-kcp": ["__complete", "kcp"],
};

/**
 * The executables that stand in for kcp's own kubectl plugin: installed only where
 * kcp's plugin is not on PATH (`kubectl-ws` is also kcp's `kubectl-workspace`).
 */
export const KCP_PLUGIN_STAND_INS: Record<string, string[]> = {
  "kubectl-ws": ["kubectl-ws", "kubectl-workspace"],
  "kubectl_complete-ws": ["kubectl-ws", "kubectl-workspace"],
  "kubectl-kcp": ["kubectl-kcp"],
  "kubectl_complete-kcp": ["kubectl-kcp"],
};

/** Finds a node by its path of words. */
export function findNode(path: string[]): CommandNode | undefined {
  let nodes = COMMAND_TREE;
  let found: CommandNode | undefined;
  for (const word of path) {
    found = nodes.find((n) => n.name === word);
    if (!found) return undefined;
    nodes = found.children ?? [];
  }
  return found;
}
