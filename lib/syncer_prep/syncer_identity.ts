/**
 * The syncer's identity for one SyncTarget: `kubestellar-syncer-<name>-<8 chars>`,
 * where the 8 characters are the lower-case base-36 SHA-224 of the SyncTarget's UID
 * (upstream hashed a fresh random UUID instead, so every run made a new identity and
 * left the previous one behind; ours is stable, so re-runs replace in place), and the
 * project's default syncer image.
 *
 * @example
 * ```ts
 * syncerId("demo1", "406c54d1-64ce-4fdc-99b3-cef9c4fc5010"); // "kubestellar-syncer-demo1-…"
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";

export { DEFAULT_SYNCER_IMAGE } from "./syncer_image.ts";

/** Label on the mailbox objects made for a syncer: the SyncTarget's UID. */
export const SYNCER_FOR_LABEL = "edge.kubestellar.io/sync-target-uid";

/** The 8-character hash of `uid`. */
export function syncerHash(uid: string): string {
  const hex = createHash("sha224").update(uid).digest("hex");
  return BigInt(`0x${hex}`).toString(36).padStart(8, "0").slice(0, 8);
}

/** The syncer ID (also its WEC namespace and object names). */
export function syncerId(syncTargetName: string, syncTargetUid: string): string {
  // Namespace names are DNS labels (≤ 63 characters, no dots).
  const room = 63 - "kubestellar-syncer-".length - 9;
  const name = syncTargetName.replaceAll(".", "-").slice(0, room).replace(/-+$/, "");
  return `kubestellar-syncer-${name}-${syncerHash(syncTargetUid)}`;
}
