/**
 * `kubectl ws [<path>|..|-|~|.]`: shows or changes the current kcp workspace the way
 * kcp's plugin does (kcp-spec §7.1–7.2), printing its exact lines.
 *
 * - `.` (also `ws current`): prints `Current workspace is "<path>".`, no server call.
 * - `<name>` (no `:`): GET the Workspace in the current workspace; it must be Ready;
 *   prints the line with ` (type <path>:<name>)`.
 * - `root`, `system:<x>`: switch without a server call.
 * - `<a>:<b>` (absolute): only a 404 of the Workspace in its parent is fatal; discovery
 *   in the target must show API groups (else access denied).
 * - `..`: the parent; `-`: the previous workspace; `~` and no argument: the home workspace.
 *
 * After a switch the APIBindings of the new workspace are checked for unresolved
 * permission claims (warnings only).
 *
 * @example
 * ```ts
 * await useWorkspace(session, "root:espw"); // prints Current workspace is "root:espw".
 * await useWorkspace(session, ".", { short: true }); // prints root:espw
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { ApiError, isForbidden } from "../kube/rest_errors.ts";
import { unresolvedClaimWarnings } from "./permission_claims.ts";
import { countServerGroups, getWorkspace, inCluster, listApiBindings } from "./workspace_client.ts";
import { swapWorkspaceContexts, switchWorkspaceContext } from "./workspace_kubeconfig.ts";
import {
  READY_PHASE,
  typeReferenceString,
  type Workspace,
  workspacePhase,
  WORKSPACES,
  type WorkspaceTypeReference,
  workspaceUrl,
} from "./workspace_object.ts";
import {
  isValidWorkspacePath,
  joinPath,
  parentPath,
  parseClusterUrl,
  ROOT_PATH,
  workspaceServer,
} from "./workspace_path.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "./workspace_session.ts";

/** The note kcp prints after a bare `kubectl ws`. */
export const HOME_NOTE =
  "Note: 'kubectl ws' now matches 'cd' semantics: go to home workspace. 'kubectl ws -' to go back. 'kubectl ws .' to print current workspace.";

/** Options of `useWorkspace`. */
export interface UseWorkspaceOptions {
  /** Print only the path (`--short`). */
  short?: boolean;
}

/** What a switch did. */
export interface UseWorkspaceResult {
  /** The server URL now current. */
  server: string;
  /** Its logical-cluster path, when it addresses one. */
  path?: string;
}

/** The line kcp prints for the current workspace at `server` (undefined: print nothing). */
export function currentWorkspaceLine(
  server: string,
  short: boolean,
  type?: WorkspaceTypeReference,
): string | undefined {
  const parsed = parseClusterUrl(server);
  if (!parsed) return short ? undefined : `Current workspace is the URL ${JSON.stringify(server)}.`;
  if (short) return parsed.path;
  const typed = type ? ` (type ${typeReferenceString(type)})` : "";
  return `Current workspace is ${JSON.stringify(parsed.path)}${typed}.`;
}

/** `ws .`: prints the current workspace; no server call. */
export function showCurrentWorkspace(
  session: WorkspaceSession,
  options: UseWorkspaceOptions = {},
): UseWorkspaceResult {
  const server = session.config.server;
  const line = currentWorkspaceLine(server, options.short ?? false);
  if (line !== undefined) session.out(line);
  return { server, path: parseClusterUrl(server)?.path };
}

/** Changes (or shows, for `.`) the current workspace; `target` "" means home. */
export async function useWorkspace(
  session: WorkspaceSession,
  target: string,
  options: UseWorkspaceOptions = {},
): Promise<UseWorkspaceResult> {
  const short = options.short ?? false;
  if (target === ".") return showCurrentWorkspace(session, options);
  if (target === "-") {
    const server = await swapWorkspaceContexts(session.kubeconfig);
    session.config = { ...session.config, server };
    return await finishSwitch(session, server, short);
  }
  let type: WorkspaceTypeReference | undefined;
  let server: string;
  if (target === "" || target === "~") {
    const { base } = requireCurrentWorkspace(session);
    server = workspaceServer(base, await homePath(session));
  } else if (target === "..") {
    const { base, path } = requireCurrentWorkspace(session);
    const parent = parentPath(path);
    if (parent === undefined) {
      throw new UserError(
        path === ROOT_PATH
          ? `current workspace is "${path}"`
          : `current workspace "${path}" has no parent`,
      );
    }
    server = workspaceServer(base, parent);
  } else {
    if (!isValidWorkspacePath(target)) {
      throw new UserError(`invalid workspace name format: ${target}`);
    }
    const { base, path } = requireCurrentWorkspace(session);
    if (target === ROOT_PATH || target.startsWith("system:")) {
      server = workspaceServer(base, target);
    } else if (target.includes(":")) {
      await checkAbsoluteWorkspace(session, target);
      server = workspaceServer(base, target);
    } else {
      const ws = await getWorkspace(session.client, path, target);
      if (workspacePhase(ws) !== READY_PHASE) {
        throw new UserError(`workspace "${target}" is not ready`);
      }
      type = ws.spec?.type;
      server = workspaceServer(base, joinPath(path, target));
    }
  }
  await switchWorkspaceContext(session.kubeconfig, server);
  session.config = { ...session.config, server };
  const result = await finishSwitch(session, server, short, type);
  if (target === "" && !short) session.out(HOME_NOTE);
  return result;
}

/** An absolute path: a 404 in the parent is fatal, other answers fall to discovery. */
async function checkAbsoluteWorkspace(session: WorkspaceSession, target: string): Promise<void> {
  const parent = parentPath(target)!;
  const name = target.slice(parent.length + 1);
  try {
    await getWorkspace(session.client, parent, name);
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) {
      throw new UserError(`workspace "${target}" not found`);
    }
  }
  const groups = await countServerGroups(session.client, target);
  if (groups === "forbidden" || groups === 0) {
    throw new UserError(`access to workspace ${target} denied`);
  }
}

/** The home workspace's path, from the synthetic Workspace `~` in root. */
async function homePath(session: WorkspaceSession): Promise<string> {
  const home = await inCluster(
    session.client,
    ROOT_PATH,
    (c) => c.get<Workspace>({ ...WORKSPACES, name: "~" }),
  );
  const fromUrl = parseClusterUrl(workspaceUrl(home))?.path;
  const path = fromUrl ?? home.spec?.cluster;
  if (!path) throw new UserError("the server did not say where the home workspace is");
  return path;
}

/** Checks the new workspace's APIBindings and prints the current-workspace line. */
async function finishSwitch(
  session: WorkspaceSession,
  server: string,
  short: boolean,
  type?: WorkspaceTypeReference,
): Promise<UseWorkspaceResult> {
  const path = parseClusterUrl(server)?.path;
  if (path !== undefined) {
    try {
      const warnings = unresolvedClaimWarnings(await listApiBindings(session.client, path));
      if (!short) warnings.forEach((line) => session.out(line));
    } catch (e) {
      if (!isForbidden(e)) {
        session.err(`error checking APIBindings: ${e instanceof Error ? e.message : e}`);
      }
    }
  }
  const line = currentWorkspaceLine(server, short, type);
  if (line !== undefined) session.out(line);
  return { server, path };
}
