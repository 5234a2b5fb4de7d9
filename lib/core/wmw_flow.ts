/**
 * What `kubectl kubestellar ensure wmw` and `remove wmw` do (commands-spec §10,
 * documented flow): from `root`, enter or create the workload management workspace
 * (type `root:universal`, as the seed's sessions show) and ensure its APIBindings; or
 * delete it and wait until kcp has emptied and removed it, as `kubectl delete` waits. The
 * server is asked first, so a failing command changes nothing; a workspace that is still
 * being deleted is not entered.
 *
 * @example
 * ```ts
 * await ensureWmwFlow(session, "example-wmw", true);
 * ```
 *
 * @module
 */
import { createWorkspace } from "../workspace/create_workspace.ts";
import { useWorkspace } from "../workspace/use_workspace.ts";
import { type Workspace, WORKSPACES } from "../workspace/workspace_object.ts";
import { joinPath, ROOT_PATH } from "../workspace/workspace_path.ts";
import type { WorkspaceSession } from "../workspace/workspace_session.ts";
import { UserError } from "../cli/errors.ts";
import type { RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import { deletedLine } from "./kubectl_lines.ts";
import { EDGE_EXPORT_NAME } from "../edge/api_export.ts";
import { DEFAULT_ESPW_PATH } from "./inventory.ts";
import { COMPUTE_PATH, ensureWmwBindings } from "./wmw.ts";
import { findChildWorkspace, requireExport } from "./workspace_checks.ts";

/** How long `remove wmw` waits quietly before it says what it waits for (on a terminal). */
const PROGRESS_AFTER_MS = 3_000;

/** One of the exports `kubestellar init` adds to `root:compute`. */
const INIT_MARKER_EXPORT = "cluster-storage.k8s.io";

/** The type the core gives the workspaces it creates. */
export const CORE_WORKSPACE_TYPE = "root:universal";

/** Enters `root:<name>`, creating it (Ready, type universal) if absent; prints kcp's lines. */
export async function enterOrCreateRootChild(
  session: WorkspaceSession,
  name: string,
  exists: boolean,
): Promise<void> {
  if (exists) await useWorkspace(session, name);
  else await createWorkspace(session, name, { type: CORE_WORKSPACE_TYPE, enter: true });
}

/** `ensure wmw`: the WMW exists, has its bindings, and is the current workspace. */
export async function ensureWmwFlow(
  session: WorkspaceSession,
  name: string,
  withKube: boolean,
  trace: (line: string) => void = () => {},
): Promise<void> {
  trace(`+ kubectl get workspace ${name} (in root)`);
  // The exports must be there before anything is made (init creates them).
  const checks = await Promise.allSettled([
    findChildWorkspace(session.client, ROOT_PATH, name),
    requireExport(session.client, DEFAULT_ESPW_PATH, EDGE_EXPORT_NAME),
    withKube ? requireExport(session.client, COMPUTE_PATH, INIT_MARKER_EXPORT) : undefined,
  ]);
  const failed = checks.find((c) => c.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason; // the first in order
  const existing = (checks[0] as PromiseFulfilledResult<Workspace | undefined>).value;
  if (existing?.metadata?.deletionTimestamp) {
    throw new UserError(
      `workspace "${joinPath(ROOT_PATH, name)}" is being deleted; ` +
        `run this again once it is gone (kubectl kubestellar remove wmw ${name} waits for that)`,
    );
  }
  trace("+ kubectl ws root");
  await useWorkspace(session, ROOT_PATH);
  trace(existing ? `+ kubectl ws ${name}` : `+ kubectl ws create ${name} --enter`);
  await enterOrCreateRootChild(session, name, existing !== undefined);
  trace(`+ ensure APIBindings (with-kube ${withKube})`);
  const wmw = session.client.withCluster(joinPath(ROOT_PATH, name));
  try {
    await ensureWmwBindings(wmw, withKube, session.out);
  } finally {
    wmw.close();
  }
}

/**
 * `remove wmw`: `root` becomes current; the WMW's Workspace is deleted if present (also when
 * it is already being deleted, as kubectl would), and the command returns once it is gone.
 */
export async function removeWmwFlow(
  session: WorkspaceSession,
  name: string,
  trace: (line: string) => void = () => {},
): Promise<void> {
  trace(`+ kubectl get workspace ${name} (in root)`);
  const existing = await findChildWorkspace(session.client, ROOT_PATH, name);
  trace("+ kubectl ws root");
  await useWorkspace(session, ROOT_PATH);
  if (!existing) return;
  trace(`+ kubectl delete workspace ${name}`);
  const root = session.client.withCluster(ROOT_PATH);
  try {
    try {
      await root.delete({ ...WORKSPACES, name });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    session.out(deletedLine("Workspace", "tenancy.kcp.io", name));
    trace(`+ wait until workspace ${name} is gone`);
    await waitUntilDeleted(root, name, existing.metadata?.uid, session);
  } finally {
    root.close();
  }
}

/**
 * Waits until the deleted Workspace `name` is gone, as `kubectl delete` does by default:
 * kcp first empties its logical cluster. On a terminal, says what it is waiting for when it
 * takes long (the Workspace's `WorkspaceContentDeleted` condition).
 */
async function waitUntilDeleted(
  root: RestClient,
  name: string,
  uid: string | undefined,
  session: WorkspaceSession,
  showProgress = Deno.stderr.isTerminal(),
): Promise<void> {
  const started = Date.now();
  let said = "";
  for (;;) {
    let ws: Workspace;
    try {
      ws = await root.get<Workspace>({ ...WORKSPACES, name });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (uid && ws.metadata?.uid !== uid) return; // a new workspace of that name
    if (showProgress && Date.now() - started > PROGRESS_AFTER_MS) {
      const conditions = (ws.status?.conditions ?? []) as { type?: string; message?: string }[];
      const why = conditions.find((c) => c.type === "WorkspaceContentDeleted")?.message;
      const line = `waiting for workspace "${name}" to be deleted${why ? `: ${why}` : ""}`;
      if (line !== said) session.err(line);
      said = line;
    }
    await new Promise((r) => setTimeout(r, session.timing.pollMs));
  }
}
