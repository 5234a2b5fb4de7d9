/**
 * Checks the core commands make before they change anything (so a failing command
 * leaves neither objects nor a switched kubeconfig behind): a workspace exists, an
 * APIExport exists, an APIBinding exists.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isForbidden, isNotFound } from "../kube/rest_errors.ts";
import { getWorkspace, listWorkspaces } from "../workspace/workspace_client.ts";
import type { Workspace } from "../workspace/workspace_object.ts";
import { baseName, parentPath } from "../workspace/workspace_path.ts";

/** The APIBinding resource. */
export const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
/** The APIExport resource. */
export const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };

/** Resolves if workspace `path` exists (its Workspace object in the parent); else a clear error. */
export async function requireWorkspace(client: RestClient, path: string): Promise<void> {
  const parent = parentPath(path);
  if (parent === undefined) return; // root and system:… always exist
  try {
    await getWorkspace(client, parent, baseName(path));
  } catch (e) {
    if (isNotFound(e)) {
      throw new UserError(`workspace "${path}" not found: create it first (kubestellar init)`);
    }
    throw e;
  }
}

/** True if workspace `path` exists (root and `system:` paths always do). */
export async function workspaceExists(client: RestClient, path: string): Promise<boolean> {
  const parent = parentPath(path);
  if (parent === undefined) return true;
  try {
    await getWorkspace(client, parent, baseName(path));
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** The child Workspace `name` of `parent`, or undefined (one LIST; also proves the server is kcp). */
export async function findChildWorkspace(
  client: RestClient,
  parent: string,
  name: string,
): Promise<Workspace | undefined> {
  const items = await listWorkspaces(client, parent);
  return items.find((w) => w.metadata?.name === name);
}

/** True if APIBinding `name` exists in the client's workspace. */
export async function bindingExists(client: RestClient, name: string): Promise<boolean> {
  try {
    await client.get<KubeObject>({ ...API_BINDINGS, name });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Resolves if APIExport `name` exists in workspace `path`; else a clear error. */
export async function requireExport(client: RestClient, path: string, name: string): Promise<void> {
  const c = client.withCluster(path);
  try {
    await c.get<KubeObject>({ ...API_EXPORTS, name });
  } catch (e) {
    // A workspace that does not exist answers 403 (kcp does not say whether it exists).
    const missing = isNotFound(e) ||
      (isForbidden(e) && !await workspaceExists(client, path).catch(() => true));
    if (missing) {
      throw new UserError(
        `the APIExport ${path}:${name} does not exist: run 'kubestellar init' first`,
      );
    }
    throw e;
  } finally {
    c.close();
  }
}
