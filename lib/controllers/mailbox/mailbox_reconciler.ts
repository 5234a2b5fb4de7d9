/**
 * The mailbox controller's level-based reconcile (controllers-spec §2, design §5): for
 * a mailbox workspace name `<imw cluster id>-mb-<SyncTarget uid>`,
 *
 * - SyncTarget present, Workspace absent → create the Workspace in the ESPW, annotated
 *   with the SyncTarget's name and its inventory workspace's path;
 * - both present, Workspace Ready → ensure the APIBinding `bind-edge` to the edge
 *   export inside it (so the syncer can read its SyncerConfig), and the annotations;
 * - SyncTarget absent or deleting → delete the Workspace (UID precondition), but only
 *   one this controller made (it carries our annotation);
 * - Workspace being deleted while the SyncTarget exists → nothing now; its deletion
 *   event brings the name back and it is created again.
 *
 * State comes from informer caches and writes go through `MailboxApi`, so the logic is
 * unit-tested with fakes.
 *
 * @module
 */
import { EDGE_KEYS, parseMailboxName, type SyncTarget } from "../../edge/api_types.ts";
import type { KubeObject } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

/** Annotation holding the path of the SyncTarget's inventory workspace. */
export const SYNC_TARGET_WORKSPACE_ANNOTATION = "edge.kubestellar.io/sync-target-workspace";
/** The APIBinding the controller keeps in each mailbox. */
export const MAILBOX_BINDING_NAME = "bind-edge";

/** A Workspace as the controller reads it. */
export interface WorkspaceObject extends KubeObject {
  spec?: { cluster?: string; [k: string]: unknown };
  status?: { phase?: string; [k: string]: unknown };
}

/** What the reconciler reads (informer caches). */
export interface MailboxState {
  /** The SyncTarget whose mailbox is `name`. */
  syncTargetOf(name: string): SyncTarget | undefined;
  /** The Workspace `name` in the ESPW. */
  workspace(name: string): WorkspaceObject | undefined;
  /** True when the mailbox's logical cluster has the `bind-edge` APIBinding. */
  hasBinding(clusterId: string): boolean;
}

/** What the reconciler writes. */
export interface MailboxApi {
  /** Creates Workspace `name` (AlreadyExists is success). */
  createWorkspace(name: string, annotations: Record<string, string>): Promise<void>;
  /** Merge-patches the Workspace's annotations. */
  annotateWorkspace(name: string, annotations: Record<string, string>): Promise<void>;
  /** Deletes Workspace `name` if its UID is still `uid` (NotFound/Conflict are success). */
  deleteWorkspace(name: string, uid: string): Promise<void>;
  /** Creates `bind-edge` in logical cluster `clusterId` (AlreadyExists is success). */
  createBinding(clusterId: string): Promise<void>;
  /** The path of a logical cluster (undefined when it cannot be read now). */
  pathOf(clusterId: string): Promise<string | undefined>;
}

/** The annotations a mailbox workspace should carry. */
export function mailboxAnnotations(st: SyncTarget, imwPath?: string): Record<string, string> {
  const out: Record<string, string> = { [EDGE_KEYS.syncTargetName]: st.metadata.name };
  if (imwPath) out[SYNC_TARGET_WORKSPACE_ANNOTATION] = imwPath;
  return out;
}

/** True when a Workspace is fully usable. */
export function workspaceReady(ws: WorkspaceObject | undefined): boolean {
  return ws?.status?.phase === "Ready" && !!ws.spec?.cluster;
}

/** Reconciles one mailbox name. */
export class MailboxReconciler {
  readonly #state: MailboxState;
  readonly #api: MailboxApi;
  readonly #log: Logger;

  constructor(state: MailboxState, api: MailboxApi, log: Logger) {
    this.#state = state;
    this.#api = api;
    this.#log = log;
  }

  /** Converges mailbox `name`. */
  async reconcile(name: string): Promise<void> {
    const parsed = parseMailboxName(name);
    if (!parsed) return;
    const st = this.#state.syncTargetOf(name);
    const ws = this.#state.workspace(name);
    if (!st || st.metadata.deletionTimestamp) {
      if (!ws || ws.metadata?.deletionTimestamp) return;
      if (ws.metadata?.annotations?.[EDGE_KEYS.syncTargetName] === undefined) {
        this.#log.debug("leaving a mailbox-like workspace we did not make", { workspace: name });
        return;
      }
      await this.#api.deleteWorkspace(name, ws.metadata!.uid!);
      this.#log.info("deleted mailbox workspace: its SyncTarget is gone", { workspace: name });
      return;
    }
    if (!ws) {
      const path = await this.#api.pathOf(parsed.imwCluster);
      await this.#api.createWorkspace(name, mailboxAnnotations(st, path));
      this.#log.info("created mailbox workspace", {
        workspace: name,
        syncTarget: st.metadata.name,
        inventory: path ?? parsed.imwCluster,
      });
      return;
    }
    if (ws.metadata?.deletionTimestamp) {
      this.#log.debug("mailbox workspace is being deleted; will create it again", {
        workspace: name,
      });
      return;
    }
    const have = ws.metadata?.annotations ?? {};
    const known = have[SYNC_TARGET_WORKSPACE_ANNOTATION] ??
      await this.#api.pathOf(parsed.imwCluster);
    const want = mailboxAnnotations(st, known);
    if (Object.entries(want).some(([k, v]) => have[k] !== v)) {
      await this.#api.annotateWorkspace(name, want);
    }
    if (!workspaceReady(ws)) return;
    const cluster = ws.spec!.cluster!;
    if (!this.#state.hasBinding(cluster)) {
      await this.#api.createBinding(cluster);
      this.#log.info("bound mailbox workspace to the edge API", {
        workspace: name,
        binding: MAILBOX_BINDING_NAME,
      });
    }
  }
}
