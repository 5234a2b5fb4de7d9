/**
 * `kubectl kcp bind apiexport <path>:<export> [--name N] [--timeout D]` as kcp v0.11's
 * plugin does it (`pkg/cliplugins/bind/plugin/bind.go`): an APIBinding in the current
 * workspace named `--name` (default: the export's name) that references the export, then
 * a wait (every 500 ms, up to `--timeout`, default 30 s) for phase `Bound`. It prints
 * kcp's two lines:
 *
 * ```
 * apibinding edge.kubestellar.io created. Waiting to successfully bind ...
 * edge.kubestellar.io created and bound.
 * ```
 *
 * Errors carry kcp's wording; the caller prints them as `error: <message>`.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { KubeObject } from "../kube/rest_client.ts";
import { isValidWorkspacePath, parseClusterUrl } from "./workspace_path.ts";
import type { WorkspaceSession } from "./workspace_session.ts";

const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

/** What to bind. */
export interface BindApiExportOptions {
  /** `<path>:<export>` as given. */
  reference: string;
  /** `--name` (empty: the export's name). */
  name?: string;
  /** `--timeout` in milliseconds (kcp: 30 s). */
  timeoutMs?: number;
  /** Poll interval while waiting for Bound (kcp: 500 ms). */
  pollMs?: number;
}

/** kcp's message when the reference lacks a valid workspace path. */
export const FULLY_QUALIFIED_MESSAGE = "fully qualified reference to workspace where APIExport " +
  "exists is required. The format is `<logical-cluster-name>:<apiexport>` or " +
  "`<full>:<path>:<to>:<apiexport>`";

/** kcp's message when no reference is given. */
export const REFERENCE_REQUIRED_MESSAGE =
  "`root:ws:apiexport_object` reference to bind is required as an argument";

/** Splits `<path>:<export>` at its last colon, checking the path as kcp does. */
export function splitExportReference(reference: string): { path: string; exportName: string } {
  if (reference === "") throw new UserError(REFERENCE_REQUIRED_MESSAGE);
  const colon = reference.lastIndexOf(":");
  const path = colon < 0 ? "" : reference.slice(0, colon);
  if (!isValidWorkspacePath(path)) throw new UserError(FULLY_QUALIFIED_MESSAGE);
  return { path, exportName: reference.slice(colon + 1) };
}

function phaseOf(binding: KubeObject): string {
  return String((binding.status as { phase?: string } | undefined)?.phase ?? "");
}

/** Creates the APIBinding in the session's current workspace and waits until it is Bound. */
export async function bindApiExport(
  session: WorkspaceSession,
  options: BindApiExportOptions,
): Promise<void> {
  const { path, exportName } = splitExportReference(options.reference);
  const name = options.name || exportName;
  if (!parseClusterUrl(session.config.server)) {
    throw new UserError(
      `current URL ${JSON.stringify(session.config.server)} does not point to workspace`,
    );
  }
  const created = await session.client.create<KubeObject>(API_BINDINGS, {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIBinding",
    metadata: { name },
    spec: { reference: { export: { path, name: exportName } } },
  });
  session.out(`apibinding ${name} created. Waiting to successfully bind ...`);
  if (phaseOf(created) !== "Bound") {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const pollMs = options.pollMs ?? 500;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await session.client.get<KubeObject>({ ...API_BINDINGS, name });
      if (phaseOf(current) === "Bound") break;
      if (Date.now() + pollMs > deadline) {
        throw new UserError(`could not bind ${name}: timed out waiting for the condition`);
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  session.out(`${name} created and bound.`);
}
