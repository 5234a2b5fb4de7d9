/**
 * The first steps of `kubestellar init` (commands-spec §3.3 steps 1–2, bounded):
 *
 * - `--local-kcp true`: the kubeconfig's server must be an address of this machine
 *   (loopback or a local interface) and answer `/readyz` — a kcp or kcp-lite process
 *   serving here. No process-name matching.
 * - then wait until `root:compute` is Ready and its `kubernetes` export exists, printing
 *   upstream's progress line to stderr after attempts 1, 2, 4, 8, …; give up after the
 *   wait limit (`$KUBESTELLAR_WAIT_TIMEOUT`, default 2m) with one clear line.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { ApiError, isForbidden } from "../kube/rest_errors.ts";
import { type KubeObject, restClientFor } from "../kube/rest_client.ts";
import { getWorkspace } from "../workspace/workspace_client.ts";
import { workspacePhase } from "../workspace/workspace_object.ts";
import { serverBase } from "../workspace/workspace_path.ts";
import type { WorkspaceSession } from "../workspace/workspace_session.ts";
import { API_EXPORTS } from "./workspace_checks.ts";

/** True if `host` (from a URL) names this machine. */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1" || h.startsWith("127.")) return true;
  try {
    return Deno.networkInterfaces().some((i) => i.address.toLowerCase() === h);
  } catch {
    return false;
  }
}

/** Answers whether a server is serving `/readyz` at the session's base URL. */
async function answersReadyz(session: WorkspaceSession): Promise<boolean> {
  const client = restClientFor({
    ...session.config,
    server: serverBase(session.config.server),
    timeoutMs: 5000,
  });
  try {
    await client.request("GET", "/readyz");
    return true;
  } catch (e) {
    return e instanceof ApiError; // any HTTP answer means a server is there
  } finally {
    client.close();
  }
}

/** Step 1: a local kcp (or kcp-lite) is serving; else upstream's line, exit 1. */
export async function requireLocalKcp(session: WorkspaceSession): Promise<void> {
  const url = new URL(session.config.server);
  if (!isLocalHost(url.hostname)) {
    throw new UserError(
      `kcp is not running - please start it .... (the kubeconfig's server ${url.host} is not ` +
        `on this machine; pass --local-kcp false to use a remote kcp)`,
    );
  }
  if (!await answersReadyz(session)) {
    throw new UserError(
      `kcp is not running - please start it .... (nothing answers at ${url.origin})`,
    );
  }
}

/** Options of `waitForCompute`. */
export interface ComputeWaitOptions {
  prog: string;
  timeoutMs: number;
  /** Delay between attempts (default 1 s). */
  pollMs?: number;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
}

async function computeReady(session: WorkspaceSession): Promise<void> {
  const ws = await getWorkspace(session.client, "root", "compute");
  if (workspacePhase(ws) !== "Ready") throw new Error("root:compute is not Ready yet");
  const compute = session.client.withCluster("root:compute");
  try {
    await compute.get<KubeObject>({ ...API_EXPORTS, name: "kubernetes" });
  } finally {
    compute.close();
  }
}

/** Step 2: resolves once `root:compute` is usable; a clear error at the deadline. */
export async function waitForCompute(
  session: WorkspaceSession,
  options: ComputeWaitOptions,
): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  const start = Date.now();
  let lastError = "";
  for (let tries = 1;; tries++) {
    try {
      await computeReady(session);
      return;
    } catch (e) {
      if (isForbidden(e) || (e instanceof ApiError && e.code === 401)) {
        // kcp gives kcp-admin a new token on every start: a copy made before is stale.
        const stale = e instanceof ApiError && e.code === 401
          ? " (a copy of admin.kubeconfig made before the server last started holds an old token: copy it again)"
          : "";
        throw new UserError(
          `${options.prog}: the kubeconfig's user may not read root:compute (${
            (e as Error).message
          }): use kcp's admin kubeconfig${stale}`,
        );
      }
      lastError = e instanceof Error ? e.message : String(e);
    }
    const waited = Date.now() - start;
    if (waited + pollMs > options.timeoutMs) break;
    if ((tries & (tries - 1)) === 0) {
      options.progress(
        `${options.prog}: At ${new Date().toString()}, kcp server not running yet or ` +
          `root:compute workspace not yet ready, waiting ${
            Math.round((waited + pollMs) / 1000)
          } sec...`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new UserError(
    `${options.prog}: kcp server at ${serverBase(session.config.server)} not serving or ` +
      `root:compute not ready after ${Math.round(options.timeoutMs / 1000)}s ` +
      `(last error: ${lastError}); start kcp, or raise $KUBESTELLAR_WAIT_TIMEOUT`,
  );
}
