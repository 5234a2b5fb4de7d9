/**
 * What every `kubectl ws` operation works with: the loaded kubeconfig, the effective
 * connection of its selected context (with kubectl's flags applied), a REST client
 * on it, and where to print.
 *
 * @example
 * ```ts
 * const session = await openWorkspaceSession(connectionFlags(scan.passThrough));
 * try {
 *   await useWorkspace(session, "root:espw");
 * } finally {
 *   session.close();
 * }
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { err, out } from "../cli/io.ts";
import type { KubectlConnectionFlags } from "../cli/kubectl_flags.ts";
import { type RestClient, restClientFor } from "../kube/rest_client.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import {
  type Kubeconfig,
  loadKubeconfig,
  type LoadKubeconfigOptions,
} from "../kubeconfig/kubeconfig.ts";
import { type ClusterUrl, parseClusterUrl } from "./workspace_path.ts";

/** Timing of the waits in `ws create` (milliseconds). */
export interface WorkspaceWaitTiming {
  /** Poll interval while waiting for Ready (kcp: 500). */
  pollMs: number;
  /** Give up waiting for Ready after this long (kcp: 60 000). */
  readyTimeoutMs: number;
  /** Poll interval while waiting for a new workspace to be visible (kcp: 100). */
  visiblePollMs: number;
  /** Give up waiting for visibility after this long (kcp: 5 000). */
  visibleTimeoutMs: number;
}

/** kcp's `kubectl ws create` timing. */
export const KCP_WAIT_TIMING: WorkspaceWaitTiming = {
  pollMs: 500,
  readyTimeoutMs: 60_000,
  visiblePollMs: 100,
  visibleTimeoutMs: 5_000,
};

/** Options of `openWorkspaceSession`. */
export interface WorkspaceSessionOptions {
  /** Kubeconfig sources other than the process's (tests). */
  kubeconfig?: LoadKubeconfigOptions;
  /** Line printer for results (default: stdout). */
  out?: (line: string) => void;
  /** Line printer for warnings and non-fatal errors (default: stderr). */
  err?: (line: string) => void;
  /** Waits of `ws create` (default: kcp's). */
  timing?: Partial<WorkspaceWaitTiming>;
}

/** An open session; call `close()` when done. */
export interface WorkspaceSession {
  kubeconfig: Kubeconfig;
  /** The effective connection of the selected context plus flags. */
  config: RestConfig;
  /** A client on `config` (use `withCluster(path)` for other workspaces). */
  client: RestClient;
  out: (line: string) => void;
  err: (line: string) => void;
  timing: WorkspaceWaitTiming;
  close(): void;
}

/** Loads the kubeconfig kubectl would use with `flags` and opens a client on it. */
export async function openWorkspaceSession(
  flags: KubectlConnectionFlags,
  options: WorkspaceSessionOptions = {},
): Promise<WorkspaceSession> {
  const kubeconfig = await loadKubeconfig(flags, options.kubeconfig);
  const config = await kubeconfig.restConfig();
  const client = restClientFor(config);
  return {
    kubeconfig,
    config,
    client,
    out: options.out ?? out,
    err: options.err ?? err,
    timing: { ...KCP_WAIT_TIMING, ...options.timing },
    close: () => client.close(),
  };
}

/** The current server URL split at `/clusters/`, or kcp's error when it is not a workspace. */
export function requireCurrentWorkspace(session: WorkspaceSession): ClusterUrl {
  const server = session.config.server;
  const parsed = parseClusterUrl(server);
  if (!parsed) throw new UserError(`current URL "${server}" does not point to a workspace`);
  return parsed;
}
