/**
 * Opening the kubeconfig for the core setup commands (`ensure|remove location|wmw`,
 * `kubestellar init|start`): kubectl's flags applied, a check that the current server is
 * a kcp workspace URL, fast polling for workspace readiness, and errors rewritten to
 * one line that starts with the command's name.
 *
 * @example
 * ```ts
 * await withCoreSession(prog, scan.passThrough, async (session) => {
 *   await useWorkspace(session, "root");
 * });
 * ```
 *
 * @module
 */
import { describeError, UserError } from "../cli/errors.ts";
import { err } from "../cli/io.ts";
import { connectionFlags } from "../cli/kubectl_flags.ts";
import { ApiError } from "../kube/rest_errors.ts";
import { parseClusterUrl } from "../workspace/workspace_path.ts";
import {
  openWorkspaceSession,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from "../workspace/workspace_session.ts";

/** Waits of workspace creation: kcp's bounds, but a short poll (the server is usually local). */
export const CORE_WAIT_TIMING = {
  pollMs: 25,
  readyTimeoutMs: 60_000,
  visiblePollMs: 25,
  visibleTimeoutMs: 5_000,
};

/** Opens a session for `prog`; throws a one-line `UserError` when it is not kcp's kubeconfig. */
export async function openCoreSession(
  prog: string,
  passThrough: string[],
  options: WorkspaceSessionOptions = {},
): Promise<WorkspaceSession> {
  let session: WorkspaceSession;
  try {
    session = await openWorkspaceSession(connectionFlags(passThrough), {
      timing: CORE_WAIT_TIMING,
      ...options,
    });
  } catch (e) {
    throw commandError(prog, e);
  }
  if (!parseClusterUrl(session.config.server)) {
    session.close();
    throw new UserError(
      `${prog}: the kubeconfig's current server ${session.config.server} is not a kcp ` +
        `workspace URL (…/clusters/<workspace>): use the kubeconfig that kcp wrote ` +
        `(admin.kubeconfig)`,
    );
  }
  return session;
}

/** Runs `fn` with an open session and closes it; errors become one line naming `prog`. */
export async function withCoreSession<T>(
  prog: string,
  passThrough: string[],
  fn: (session: WorkspaceSession) => Promise<T>,
  options: WorkspaceSessionOptions = {},
): Promise<T> {
  const session = await openCoreSession(prog, passThrough, options);
  try {
    return await fn(session);
  } catch (e) {
    throw commandError(prog, e);
  } finally {
    session.close();
  }
}

/** Turns any error into a `UserError` whose message starts with `prog: ` (once). */
export function commandError(prog: string, e: unknown): UserError {
  const text = describeError(e);
  const message = text.startsWith(`${prog}: `) ? text : `${prog}: ${text}`;
  if (e instanceof UserError) return new UserError(message, e.exitCode);
  if (
    e instanceof ApiError && e.code === 404 && /could not find the requested resource/.test(text)
  ) {
    return new UserError(`${message} (is this a kcp server with KubeStellar initialised?)`);
  }
  return new UserError(message);
}

/** Runs `fn` with the session's result lines discarded. */
export async function quietly<T>(session: WorkspaceSession, fn: () => Promise<T>): Promise<T> {
  const saved = session.out;
  session.out = () => {};
  try {
    return await fn();
  } finally {
    session.out = saved;
  }
}

/** The `-X` line printer: stderr when tracing, else nothing. */
export function traceTo(on: boolean): (line: string) => void {
  return on ? (line) => err(line) : () => {};
}
