/**
 * What `kubectl kubestellar ensure location` and `remove location` do once their
 * arguments are parsed (commands-spec §7, documented flow): switch to the IMW (printing
 * kcp's line), make sure it binds the edge API, then ensure or remove the
 * SyncTarget/Location pair, printing kubectl's lines. Checks come before changes.
 *
 * @example
 * ```ts
 * await ensureLocationFlow(session, { imw: "imw-1", name: "demo1", labels: [["foo", "bar"]] });
 * ```
 *
 * @module
 */
import { EDGE_EXPORT_NAME } from "../edge/api_export.ts";
import { useWorkspace } from "../workspace/use_workspace.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "../workspace/workspace_session.ts";
import {
  DEFAULT_ESPW_PATH,
  ensureEdgeBinding,
  ensureLocation,
  removeLocation,
} from "./inventory.ts";
import { imwPath } from "./location_args.ts";
import { bindingExists, requireExport, requireWorkspace } from "./workspace_checks.ts";

/** What to ensure. */
export interface EnsureLocationRequest {
  /** `--imw` as given (`.` = current workspace). */
  imw: string;
  name: string;
  labels: Array<[string, string]>;
  /** Where the edge API is exported (default `root:espw`). */
  espwPath?: string;
  /** Receives a line per step (`-X`). */
  trace?: (line: string) => void;
}

/** Switches to the IMW if one was named; resolves to its path. Nothing changes on failure. */
async function enterImw(session: WorkspaceSession, imw: string): Promise<string> {
  const target = imwPath(imw);
  if (target === undefined) return requireCurrentWorkspace(session).path;
  await requireWorkspace(session.client, target);
  return target;
}

/** `ensure location`: the IMW ends up current and holds the pair with the labels. */
export async function ensureLocationFlow(
  session: WorkspaceSession,
  request: EnsureLocationRequest,
): Promise<void> {
  const trace = request.trace ?? (() => {});
  trace(`+ imw is ${request.imw}`);
  const path = await enterImw(session, request.imw);
  const espw = request.espwPath ?? DEFAULT_ESPW_PATH;
  const imw = session.client.withCluster(path);
  try {
    trace(`+ kubectl get apibinding ${EDGE_EXPORT_NAME} (in ${path})`);
    const bound = await bindingExists(imw, EDGE_EXPORT_NAME);
    if (!bound) await requireExport(session.client, espw, EDGE_EXPORT_NAME);
    const target = imwPath(request.imw);
    if (target !== undefined) {
      trace(`+ kubectl ws ${target}`);
      await useWorkspace(session, target);
    }
    if (!bound) {
      trace(`+ bind apiexport ${espw}:${EDGE_EXPORT_NAME}`);
      await ensureEdgeBinding(imw, session.out, espw);
    }
    const labels = request.labels.map(([k, v]) => `${k}=${v}`).join(" ");
    trace(`+ ensure SyncTarget and Location ${request.name} with ${labels}`);
    await ensureLocation(imw, request.name, request.labels, session.out);
  } finally {
    imw.close();
  }
}

/** `remove location`: deletes what exists of the pair; the IMW ends up current. */
export async function removeLocationFlow(
  session: WorkspaceSession,
  imwFlag: string,
  name: string,
  trace: (line: string) => void = () => {},
): Promise<void> {
  trace(`+ imw is ${imwFlag}`);
  const path = await enterImw(session, imwFlag);
  const target = imwPath(imwFlag);
  if (target !== undefined) {
    trace(`+ kubectl ws ${target}`);
    await useWorkspace(session, target);
  }
  const imw = session.client.withCluster(path);
  try {
    trace(`+ delete SyncTarget and Location ${name} (in ${path}) where present`);
    await removeLocation(imw, name, session.out);
  } finally {
    imw.close();
  }
}
