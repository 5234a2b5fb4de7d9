/**
 * What `kubectl kubestellar ensure wmw` and `remove wmw` do (commands-spec §10,
 * documented flow): from `root`, enter or create the workload management workspace
 * (type `root:universal`, as the seed's sessions show) and ensure its APIBindings; or
 * delete it. The server is asked first, so a failing command changes nothing.
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
import { isNotFound } from "../kube/rest_errors.ts";
import { deletedLine } from "./kubectl_lines.ts";
import { EDGE_EXPORT_NAME } from "../edge/api_export.ts";
import { DEFAULT_ESPW_PATH } from "./inventory.ts";
import { COMPUTE_PATH, ensureWmwBindings } from "./wmw.ts";
import { findChildWorkspace, requireExport } from "./workspace_checks.ts";

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

/** `remove wmw`: `root` becomes current; the WMW's Workspace is deleted if present. */
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
    await root.delete({ ...WORKSPACES, name });
    session.out(deletedLine("Workspace", "tenancy.kcp.io", name));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  } finally {
    root.close();
  }
}
