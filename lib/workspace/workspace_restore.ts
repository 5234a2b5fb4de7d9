/**
 * Puts back the workspace that was current when a multi-step command started, the way
 * upstream's scripts did with an EXIT trap (`kubectl ws <original>`): when the flow ends,
 * when it fails, and when the process gets SIGINT or SIGTERM.
 *
 * The switch back needs no server: it rewrites the kubeconfig to the saved URL and prints
 * `Current workspace is "<path>".`, so it works even when the server is gone. On a signal
 * the flow is aborted (its `AbortSignal` fires) and, once it has unwound, the workspace
 * is restored and the command ends with 128 + the signal number. A flow that does not
 * unwind within `graceMs` (stuck on the network) is not waited for: the workspace is
 * restored and the process exits.
 *
 * @example
 * ```ts
 * await withWorkspaceRestored(session, async (signal) => {
 *   await useWorkspace(session, "root:espw");
 *   await waitSomething(signal);
 * });
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { currentWorkspaceLine } from "./use_workspace.ts";
import { switchWorkspaceContext } from "./workspace_kubeconfig.ts";
import type { WorkspaceSession } from "./workspace_session.ts";

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type HandledSignal = keyof typeof SIGNALS;

/** What ended a flow early. */
export class Interrupted extends UserError {
  readonly signal: HandledSignal;
  constructor(signal: HandledSignal) {
    super(`interrupted by ${signal}`, 128 + SIGNALS[signal]);
    this.name = "Interrupted";
    this.signal = signal;
  }
}

/** Options of `withWorkspaceRestored`. */
export interface RestoreOptions {
  /** How long an interrupted flow may take to unwind before the process exits (ms). */
  graceMs?: number;
  /** Called instead of `Deno.exit` when the grace time runs out (tests). */
  exit?: (code: number) => void;
}

/** Switches the session back to `server` without a server call, printing kcp's line. */
export async function restoreWorkspace(session: WorkspaceSession, server: string): Promise<void> {
  if (session.config.server === server) return;
  await switchWorkspaceContext(session.kubeconfig, server);
  session.config = { ...session.config, server };
  const line = currentWorkspaceLine(server, false);
  if (line !== undefined) session.out(line);
}

/**
 * Runs `flow`; afterwards (success, error or SIGINT/SIGTERM) the workspace current at
 * the start is current again. An interrupted flow ends in `Interrupted` (exit 130/143).
 */
export async function withWorkspaceRestored<T>(
  session: WorkspaceSession,
  flow: (signal: AbortSignal) => Promise<T>,
  options: RestoreOptions = {},
): Promise<T> {
  const original = session.config.server;
  const abort = new AbortController();
  let interrupted: Interrupted | undefined;
  let forced: ReturnType<typeof setTimeout> | undefined;
  const handlers = (Object.keys(SIGNALS) as HandledSignal[]).map((sig) => {
    const handler = () => {
      if (interrupted) return;
      interrupted = new Interrupted(sig);
      abort.abort(interrupted);
      forced = setTimeout(async () => {
        try {
          await restoreWorkspace(session, original);
        } finally {
          (options.exit ?? Deno.exit)(interrupted!.exitCode);
        }
      }, options.graceMs ?? 2_000);
    };
    Deno.addSignalListener(sig, handler);
    return () => Deno.removeSignalListener(sig, handler);
  });
  try {
    const result = await flow(abort.signal);
    if (interrupted) throw interrupted;
    return result;
  } catch (e) {
    throw interrupted ?? e;
  } finally {
    handlers.forEach((remove) => remove());
    clearTimeout(forced);
    await restoreWorkspace(session, original);
  }
}
