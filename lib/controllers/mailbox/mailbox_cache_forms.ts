/**
 * What the mailbox controller's informers keep of each object (their `cachedForm`):
 * exactly what its handlers and `MailboxReconciler` read later, so 10,000 mailboxes
 * cost the controller a few hundred bytes each rather than whole objects (a `bind-edge`
 * APIBinding alone carries every bound resource's schema in its status, ~10 KiB).
 *
 * - SyncTarget: name, uid (the mailbox name) and cluster, deletionTimestamp.
 * - Workspace: name, uid (delete precondition), deletionTimestamp, the two annotations
 *   the reconcile compares, `spec.cluster`, `status.phase`.
 * - APIBinding: its key only (the reconcile asks whether it exists).
 *
 * @module
 */
import { identityForm, keptMetadata } from "../../controller/cached_form.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";
import { SYNC_TARGET_WORKSPACE_ANNOTATION, type WorkspaceObject } from "./mailbox_reconciler.ts";

/** A SyncTarget as the mailbox controller keeps it. */
export function mailboxSyncTargetForm(o: KubeObject): KubeObject {
  return { metadata: keptMetadata(o, { uid: true, deletionTimestamp: true }) };
}

/** A Workspace of the ESPW as the mailbox controller keeps it. */
export function mailboxWorkspaceForm(o: KubeObject): WorkspaceObject {
  const ws = o as WorkspaceObject;
  return {
    metadata: keptMetadata(o, {
      uid: true,
      deletionTimestamp: true,
      annotations: [EDGE_KEYS.syncTargetName, SYNC_TARGET_WORKSPACE_ANNOTATION],
    }),
    spec: { cluster: ws.spec?.cluster },
    status: { phase: ws.status?.phase },
  };
}

/** A mailbox's `bind-edge` APIBinding as the mailbox controller keeps it. */
export const mailboxBindingForm: (o: KubeObject) => KubeObject = identityForm;
