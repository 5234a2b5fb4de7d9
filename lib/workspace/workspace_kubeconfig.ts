/**
 * The kubeconfig edits of kcp's `kubectl ws`: switching rewrites the cluster and
 * context `workspace.kcp.io/current` (a copy of the current context and its cluster,
 * with the new server URL) and saves the context it replaces as
 * `workspace.kcp.io/previous`; `ws -` swaps the two; `ws create-context` copies the
 * current context under a name of its own.
 *
 * Edits go through `Kubeconfig` (written to the file holding each entry, atomically,
 * mode 0600, other entries untouched).
 *
 * @example
 * ```ts
 * const kc = await loadKubeconfig(flags);
 * await switchWorkspaceContext(kc, "https://h:6443/clusters/root:espw");
 * // current-context: workspace.kcp.io/current
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { Kubeconfig } from "../kubeconfig/kubeconfig.ts";
import type { KubeCluster, KubeContext } from "../kubeconfig/kubeconfig_types.ts";

/** The context and cluster that hold the current workspace. */
export const CURRENT_WORKSPACE_CONTEXT = "workspace.kcp.io/current";
/** The context (and, when needed, cluster) that holds the workspace before the last switch. */
export const PREVIOUS_WORKSPACE_CONTEXT = "workspace.kcp.io/previous";

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The selected context (`--context`, else `current-context`) and its value. */
function currentContext(kc: Kubeconfig): { name: string; value: KubeContext } {
  const name = kc.selectedContext;
  const found = name === "" ? undefined : kc.find("contexts", name);
  if (!found) throw new UserError(`current "${name}" context not found`);
  return { name, value: found.value };
}

function requireCluster(kc: Kubeconfig, name: string | undefined): KubeCluster {
  const found = name ? kc.find("clusters", name) : undefined;
  if (!found) throw new UserError(`cluster "${name ?? ""}" not found in kubeconfig`);
  return found.value;
}

/**
 * Points the kubeconfig at `server` (a workspace URL): cluster and context
 * `workspace.kcp.io/current` become copies of the current ones with that server, the
 * replaced context is kept as `workspace.kcp.io/previous`, and `current-context`
 * becomes `workspace.kcp.io/current`. Saves the kubeconfig.
 */
export async function switchWorkspaceContext(kc: Kubeconfig, server: string): Promise<void> {
  const current = currentContext(kc);
  const oldCluster = clone(requireCluster(kc, current.value.cluster));
  const newCluster: KubeCluster = { ...clone(oldCluster), server };
  const newContext: KubeContext = { ...clone(current.value), cluster: CURRENT_WORKSPACE_CONTEXT };
  const previous: KubeContext = clone(current.value);
  const keepOldCluster = current.value.cluster === CURRENT_WORKSPACE_CONTEXT;
  if (keepOldCluster) previous.cluster = PREVIOUS_WORKSPACE_CONTEXT;

  kc.set("clusters", CURRENT_WORKSPACE_CONTEXT, newCluster);
  kc.set("contexts", CURRENT_WORKSPACE_CONTEXT, newContext);
  if (keepOldCluster) kc.set("clusters", PREVIOUS_WORKSPACE_CONTEXT, oldCluster);
  kc.set("contexts", PREVIOUS_WORKSPACE_CONTEXT, previous);
  kc.setCurrentContext(CURRENT_WORKSPACE_CONTEXT);
  await kc.save();
}

/**
 * `ws -`: makes the previous context current and the current one previous (moving the
 * `workspace.kcp.io/*` clusters along). Saves the kubeconfig and returns the server
 * URL that is now current.
 */
export async function swapWorkspaceContexts(kc: Kubeconfig): Promise<string> {
  const prevEntry = kc.find("contexts", PREVIOUS_WORKSPACE_CONTEXT);
  if (!prevEntry) throw new UserError("no previous workspace found in kubeconfig");
  const current = currentContext(kc);
  const toPrevious: KubeContext = clone(current.value);
  const toCurrent: KubeContext = clone(prevEntry.value);
  let previousCluster: KubeCluster | undefined;
  let currentCluster: KubeCluster | undefined;
  if (current.value.cluster === CURRENT_WORKSPACE_CONTEXT) {
    previousCluster = clone(requireCluster(kc, CURRENT_WORKSPACE_CONTEXT));
    toPrevious.cluster = PREVIOUS_WORKSPACE_CONTEXT;
  }
  if (prevEntry.value.cluster === PREVIOUS_WORKSPACE_CONTEXT) {
    currentCluster = clone(requireCluster(kc, PREVIOUS_WORKSPACE_CONTEXT));
    toCurrent.cluster = CURRENT_WORKSPACE_CONTEXT;
  }
  if (previousCluster) kc.set("clusters", PREVIOUS_WORKSPACE_CONTEXT, previousCluster);
  if (currentCluster) kc.set("clusters", CURRENT_WORKSPACE_CONTEXT, currentCluster);
  kc.set("contexts", CURRENT_WORKSPACE_CONTEXT, toCurrent);
  kc.set("contexts", PREVIOUS_WORKSPACE_CONTEXT, toPrevious);
  kc.setCurrentContext(CURRENT_WORKSPACE_CONTEXT);
  await kc.save();
  const cluster = toCurrent.cluster === CURRENT_WORKSPACE_CONTEXT
    ? currentCluster ?? requireCluster(kc, CURRENT_WORKSPACE_CONTEXT)
    : requireCluster(kc, toCurrent.cluster);
  return cluster.server ?? "";
}

/** What `createNamedContext` did. */
export type CreateContextOutcome = "created" | "updated" | "updated-current";

/**
 * `ws create-context`: copies the current context and its cluster (server `server`)
 * to entries named `name` and makes that context current. An existing name needs
 * `overwrite`. Saves the kubeconfig.
 */
export async function createNamedContext(
  kc: Kubeconfig,
  name: string,
  server: string,
  overwrite: boolean,
): Promise<CreateContextOutcome> {
  const current = currentContext(kc);
  const cluster = clone(requireCluster(kc, current.value.cluster));
  const existed = kc.find("contexts", name) !== undefined;
  if (existed && !overwrite) {
    throw new UserError(
      `context "${name}" already exists in kubeconfig, use --overwrite to update it`,
    );
  }
  const wasCurrent = kc.currentContext === name;
  kc.set("clusters", name, { ...cluster, server });
  kc.set("contexts", name, { ...clone(current.value), cluster: name });
  kc.setCurrentContext(name);
  await kc.save();
  if (!existed) return "created";
  return wasCurrent ? "updated-current" : "updated";
}
