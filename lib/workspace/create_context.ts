/**
 * `kubectl ws create-context [name] [--overwrite]`: saves the current workspace as a
 * kubeconfig context of its own (named after the workspace path by default) and
 * switches to it, printing kcp's line.
 *
 * @example
 * ```ts
 * await createWorkspaceContext(session, undefined, false);
 * // Created context "root:espw" and switched to it.
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { createNamedContext } from "./workspace_kubeconfig.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "./workspace_session.ts";

/** Creates or updates the context; returns its name. */
export async function createWorkspaceContext(
  session: WorkspaceSession,
  name: string | undefined,
  overwrite: boolean,
): Promise<string> {
  const { path } = requireCurrentWorkspace(session);
  const contextName = name ?? path;
  if (contextName === "") throw new UserError("the context name must not be empty");
  const outcome = await createNamedContext(
    session.kubeconfig,
    contextName,
    session.config.server,
    overwrite,
  );
  const quoted = JSON.stringify(contextName);
  session.out(
    outcome === "created"
      ? `Created context ${quoted} and switched to it.`
      : outcome === "updated"
      ? `Updated context ${quoted} and switched to it.`
      : `Updated context ${quoted}.`,
  );
  return contextName;
}
