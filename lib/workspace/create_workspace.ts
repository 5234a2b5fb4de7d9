/**
 * `kubectl ws create <name> [--type T] [--enter] [--ignore-existing]`: creates a child
 * of the current workspace, waits until it is Ready (bounded) and optionally enters
 * it, printing kcp's lines (kcp-spec §7.3):
 *
 * ```
 * Workspace "espw" (type root:organization) created. Waiting for it to be ready...
 * Workspace "espw" (type root:organization) is ready to use.
 * Current workspace is "root:espw" (type root:organization).
 * ```
 *
 * @example
 * ```ts
 * await createWorkspace(session, "wmw1", { type: "root:universal", enter: true });
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { isAlreadyExists, isNotFound } from "../kube/rest_errors.ts";
import { useWorkspace } from "./use_workspace.ts";
import { getWorkspace, postWorkspace } from "./workspace_client.ts";
import {
  parseTypeFlag,
  READY_PHASE,
  typeReferenceString,
  type Workspace,
  workspacePhase,
  type WorkspaceTypeReference,
} from "./workspace_object.ts";
import { hasPathPrefix, isValidWorkspaceName, ROOT_PATH } from "./workspace_path.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "./workspace_session.ts";

/** Options of `createWorkspace`. */
export interface CreateWorkspaceOptions {
  /** `--type`: `name` or `path:name`. */
  type?: string;
  /** `--enter`: switch into the workspace once it is Ready. */
  enter?: boolean;
  /** `--ignore-existing`: an existing workspace of the same type is fine. */
  ignoreExisting?: boolean;
  /** `--location-selector`: `key=value[,key=value…]` over shards (kcp-lite has one). */
  locationSelector?: string;
  /** `--short`, passed to the switch of `--enter`. */
  short?: boolean;
}

/** Parses `--location-selector` into `spec.location.selector` (equality terms only). */
export function parseLocationSelector(text: string): { matchLabels: Record<string, string> } {
  const matchLabels: Record<string, string> = {};
  for (const term of text.split(",").map((t) => t.trim()).filter((t) => t !== "")) {
    const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)\s*==?\s*([-A-Za-z0-9_.]*)$/.exec(term);
    if (!m) {
      throw new UserError(
        `invalid --location-selector term "${term}": use key=value[,key=value...]`,
      );
    }
    matchLabels[m[1]] = m[2];
  }
  return { matchLabels };
}

function sameType(a: WorkspaceTypeReference, b: WorkspaceTypeReference | undefined): boolean {
  return a.name === (b?.name ?? "") && (a.path ?? "") === (b?.path ?? "");
}

/** Polls `check` every `intervalMs` until it returns a value, or `timeoutMs` passes. */
async function poll<T>(
  intervalMs: number,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + intervalMs > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Creates (or, with `ignoreExisting`, accepts) workspace `name`; resolves once it is Ready. */
export async function createWorkspace(
  session: WorkspaceSession,
  name: string,
  options: CreateWorkspaceOptions = {},
): Promise<Workspace> {
  const { path: parent } = requireCurrentWorkspace(session);
  if (!isValidWorkspaceName(name)) {
    throw new UserError(
      `invalid workspace name "${name}": use lowercase letters, digits and '-' (at most 63)`,
    );
  }
  if (options.ignoreExisting && options.type && !hasPathPrefix(options.type, ROOT_PATH)) {
    throw new UserError("--ignore-existing must not be used with non-absolute type path");
  }
  const wanted = options.type ? parseTypeFlag(options.type) : undefined;
  const location = options.locationSelector !== undefined
    ? { selector: parseLocationSelector(options.locationSelector) }
    : undefined;

  let ws: Workspace;
  let preExisting = false;
  try {
    ws = await postWorkspace(session.client, parent, name, wanted, location);
  } catch (e) {
    if (!(isAlreadyExists(e) && options.ignoreExisting)) throw e;
    preExisting = true;
    ws = await getWorkspace(session.client, parent, name);
  }

  const reference = `Workspace ${JSON.stringify(name)} (type ${
    typeReferenceString(ws.spec?.type)
  })`;
  const ready = workspacePhase(ws) === READY_PHASE;
  if (preExisting) {
    if (wanted && !sameType(wanted, ws.spec?.type)) {
      throw new UserError(
        `workspace "${name}" cannot be created with type ${typeReferenceString(wanted)}, ` +
          `it already exists with different type ${typeReferenceString(ws.spec?.type)}`,
      );
    }
    session.out(`${reference} already exists.${ready ? "" : " Waiting for it to be ready..."}`);
  } else if (!ready) {
    session.out(`${reference} created. Waiting for it to be ready...`);
  }

  const t = session.timing;
  const visible = await poll(t.visiblePollMs, t.visibleTimeoutMs, async () => {
    try {
      return await getWorkspace(session.client, parent, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
  if (!visible) {
    throw new UserError(`workspace "${name}" did not become visible in "${parent}"`);
  }
  if (!ready) {
    const seconds = t.readyTimeoutMs / 1000;
    const readyWs = await poll(t.pollMs, t.readyTimeoutMs, async () => {
      const current = await getWorkspace(session.client, parent, name);
      return workspacePhase(current) === READY_PHASE ? current : undefined;
    });
    if (!readyWs) {
      throw new UserError(
        `workspace "${name}" did not become ready within ${seconds}s: ` +
          `check it with "kubectl get workspace ${name}"`,
      );
    }
    ws = readyWs;
  }
  session.out(`${reference} is ready to use.`);

  if (options.enter) await useWorkspace(session, name, { short: options.short });
  return ws;
}
