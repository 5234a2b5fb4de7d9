/**
 * What `kubectl kubestellar prep-for-syncer` does once its arguments are parsed
 * (commands-spec §8.2, with the §14 bugs left out):
 *
 * 1. checks that the output file can be written (before any change);
 * 2. switches to the IMW and reads the SyncTarget (a missing one is a clear error; no
 *    waiting, no manifest);
 * 3. switches to the ESPW (it must export `edge.kubestellar.io`) and waits, bounded
 *    and with a progress line every 5 s (terminal or not; none with `-s`), for the
 *    mailbox workspace `<IMW cluster id>-mb-<SyncTarget UID>` to be Ready, then enters
 *    it by name (so the line shows its type, as `kubectl ws <name>` prints);
 * 4. ensures the syncer's ServiceAccount, RBAC and token there (re-runs replace);
 * 5. writes the WEC manifest atomically (mode 0600: it holds a token) and prints the
 *    seed's instructions;
 * 6. always switches back to the workspace that was current at the start, also on
 *    failure and on SIGINT/SIGTERM (`withWorkspaceRestored`).
 *
 * @example
 * ```ts
 * await prepForSyncer(session, args); // args from parsePrepForSyncerArgs
 * ```
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { UserError } from "../cli/errors.ts";
import { outRaw } from "../cli/io.ts";
import { API_EXPORTS } from "../core/workspace_checks.ts";
import { imwPath } from "../core/location_args.ts";
import { EDGE_EXPORT_NAME } from "../edge/api_export.ts";
import { EDGE_GROUP, EDGE_KEYS, EDGE_VERSION, mailboxName } from "../edge/api_types.ts";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import { realClock } from "../controller/clock.ts";
import { useWorkspace } from "../workspace/use_workspace.ts";
import { serverBase, workspaceServer } from "../workspace/workspace_path.ts";
import { type RestoreOptions, withWorkspaceRestored } from "../workspace/workspace_restore.ts";
import { requireCurrentWorkspace, type WorkspaceSession } from "../workspace/workspace_session.ts";
import { ensureSyncerCredentials } from "./mailbox_credentials.ts";
import type { PrepArgs } from "./prep_args.ts";
import { syncerId } from "./syncer_identity.ts";
import { renderWecManifest } from "./wec_manifest.ts";

const SYNC_TARGETS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" };
const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

/** What a run produced. */
export interface PrepResult {
  syncerId: string;
  mailboxPath: string;
  /** Where the manifest went (`-` = stdout). */
  output: string;
  syncTargetUid: string;
}

/** Hooks for tests and in-process callers. */
export interface PrepHooks {
  /** Informational lines (default: the session's `err`). */
  info?: (line: string) => void;
  /** Whether to show wait progress (default: unless `-s`, terminal or not). */
  progress?: boolean;
  /**
   * Switch back to the starting workspace at the end, on failure and on SIGINT/SIGTERM
   * (default true). False when a caller that does so itself runs this flow.
   */
  restore?: boolean;
  /** Aborts the flow (the caller's `withWorkspaceRestored` passes its own). */
  signal?: AbortSignal;
  /** Options of the restoring wrapper (tests). */
  restoreOptions?: RestoreOptions;
}

/** Throws a one-line error unless a file can be created at `path`'s place. */
export async function checkWritable(path: string): Promise<void> {
  if (path === "-") return;
  const full = resolve(path);
  try {
    const st = await Deno.stat(full);
    if (st.isDirectory) {
      throw new UserError(`output ${path} is a directory: pass a file name to -o`);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  const probe = `${dirname(full)}/.prep-for-syncer-probe-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const f = await Deno.open(probe, { write: true, createNew: true, mode: 0o600 });
    f.close();
    await Deno.remove(probe);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split(":")[0] : String(e);
    throw new UserError(
      `cannot write the output file ${path} (${reason}): pass a writable path to -o`,
    );
  }
}

async function readSyncTarget(client: RestClient, imw: string, name: string): Promise<KubeObject> {
  const c = client.withCluster(imw);
  try {
    return await c.get<KubeObject>({ ...SYNC_TARGETS, name });
  } catch (e) {
    if (isNotFound(e)) {
      throw new UserError(
        `SyncTarget "${name}" not found in workspace ${imw}: create it first ` +
          `(kubectl kubestellar ensure location --imw ${imw} ${name} key=value)`,
      );
    }
    throw e;
  } finally {
    c.close();
  }
}

async function requireEdgeExport(client: RestClient, espw: string): Promise<void> {
  const c = client.withCluster(espw);
  try {
    await c.get({ ...API_EXPORTS, name: EDGE_EXPORT_NAME });
  } catch (e) {
    if (isNotFound(e)) {
      throw new UserError(`it looks like '${espw}' is not the edge service provider workspace`, 2);
    }
    throw e;
  } finally {
    c.close();
  }
}

/** How often the wait for the mailbox reports progress (ms). */
export const PROGRESS_EVERY_MS = 5_000;

/**
 * Waits until Workspace `name` in `parent` is Ready; a clear error (exit 5) at the bound.
 * Reports progress every 5 s through `progress`; `signal` ends the wait at once.
 */
export async function waitForMailbox(
  client: RestClient,
  parent: string,
  name: string,
  timeoutMs: number,
  progress: ((line: string) => void) | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const c = client.withCluster(parent);
  const start = Date.now();
  let lastReport = start;
  let phase = "absent";
  try {
    while (true) {
      try {
        const ws = await c.get<KubeObject>({ ...WORKSPACES, name });
        phase = String((ws.status as { phase?: string } | undefined)?.phase ?? "unset");
        if (phase === "Ready") return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const now = Date.now();
      if (now - start >= timeoutMs) break;
      if (progress && now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        progress(
          `waiting for the mailbox workspace ${parent}:${name} (${phase}, ` +
            `${Math.round((now - start) / 1000)}s of ${Math.round(timeoutMs / 1000)}s)`,
        );
      }
      await realClock.sleep(Math.min(250, timeoutMs), signal);
      signal?.throwIfAborted();
    }
  } finally {
    c.close();
  }
  throw new UserError(
    `did not find the mailbox workspace ${parent}:${name} ready within ` +
      `${Math.round(timeoutMs / 1000)}s (${phase}); is the mailbox controller running?`,
    5,
  );
}

/**
 * Runs prep-for-syncer in `session`; the starting workspace is current again afterwards,
 * also after a failure or SIGINT/SIGTERM (unless `hooks.restore` is false).
 */
export async function prepForSyncer(
  session: WorkspaceSession,
  args: PrepArgs,
  hooks: PrepHooks = {},
): Promise<PrepResult> {
  const savedOut = session.out;
  if (args.silent) session.out = () => {};
  try {
    await checkWritable(args.output);
    requireCurrentWorkspace(session);
    if (hooks.restore === false) return await prepFlow(session, args, hooks, hooks.signal);
    return await withWorkspaceRestored(
      session,
      (signal) => prepFlow(session, args, hooks, signal),
      hooks.restoreOptions,
    );
  } finally {
    session.out = savedOut;
  }
}

async function prepFlow(
  session: WorkspaceSession,
  args: PrepArgs,
  hooks: PrepHooks,
  signal: AbortSignal | undefined,
): Promise<PrepResult> {
  const info = args.silent ? () => {} : (hooks.info ?? session.err);
  const trace = args.trace ? (l: string) => session.err(`+ ${l}`) : () => {};
  const original = requireCurrentWorkspace(session).path;
  // As the script's `kubectl ws <imw>`: the line is printed even when already there.
  const imw = imwPath(args.imw) ?? original;
  await useWorkspace(session, imw);
  trace(`get synctargets.${EDGE_GROUP} ${args.syncTargetName}`);
  const st = await readSyncTarget(session.client, imw, args.syncTargetName);
  const uid = st.metadata?.uid ?? "";
  const cluster = st.metadata?.annotations?.[EDGE_KEYS.kcpCluster] ?? "";
  if (!uid || !cluster) {
    throw new UserError(`SyncTarget "${args.syncTargetName}" has no uid or kcp.io/cluster`);
  }
  const espw = imwPath(args.espw) ?? original;
  await useWorkspace(session, espw);
  await requireEdgeExport(session.client, espw);
  const mbName = mailboxName(cluster, uid);
  trace(`wait for workspace ${espw}:${mbName}`);
  const showProgress = hooks.progress ?? !args.silent;
  await waitForMailbox(
    session.client,
    espw,
    mbName,
    args.waitTimeoutMs,
    showProgress ? session.err : undefined,
    signal,
  );
  const mbPath = `${espw}:${mbName}`;
  // Entered by name from the ESPW, so `ws` prints its type as kcp's plugin does.
  await useWorkspace(session, mbName);
  signal?.throwIfAborted();
  const id = syncerId(args.syncTargetName, uid);
  const mb = session.client.withCluster(mbPath);
  let token: string;
  try {
    token = await ensureSyncerCredentials(mb, { id, syncTargetUid: uid, say: info });
  } finally {
    mb.close();
  }
  signal?.throwIfAborted();
  const manifest = renderWecManifest({
    id,
    syncTargetName: args.syncTargetName,
    syncTargetUid: uid,
    image: args.syncerImage,
    server: workspaceServer(serverBase(session.config.server), mbPath),
    caData: session.config.caData,
    token,
  });
  if (args.output === "-") {
    outRaw(manifest);
  } else {
    await atomicWriteFile(args.output, manifest, { mode: 0o600 });
    for (
      const line of [
        `Wrote WEC manifest to ${args.output} for namespace "${id}". Use`,
        "",
        `  KUBECONFIG=<workload-execution-cluster-config> kubectl apply -f "${args.output}"`,
        "",
        "to apply it. Use",
        "",
        `  KUBECONFIG=<workload-execution-cluster-config> kubectl get deployment -n "${id}" ${id}`,
        "",
        "to verify the syncer pod is running.",
      ]
    ) info(line);
  }
  return { syncerId: id, mailboxPath: mbPath, output: args.output, syncTargetUid: uid };
}
