/**
 * Syncer liveness as the UI shows it, from what the syncer itself reports: the
 * heartbeat it stamps on its mailbox's SyncerConfig (`lib/syncer/syncer_heartbeat.ts`).
 *
 * - `live`: the last heartbeat is younger than `SYNCER_STALE_AFTER_MS`;
 * - `stale`: it is older (the syncer stopped, or cannot reach the hub);
 * - `silent`: the SyncerConfig exists but no syncer ever stamped it;
 * - `absent`: there is no SyncerConfig yet (mailbox not ready or placement translator
 *   not running), so no syncer can have reported.
 *
 * @example
 * ```ts
 * syncerLiveness(config, new Date()).state; // "live"
 * ```
 *
 * @module
 */
import type { SyncerConfig } from "../edge/api_types.ts";
import { SYNCER_STALE_AFTER_MS } from "../syncer/syncer_heartbeat.ts";

/** One syncer's liveness. */
export interface SyncerLiveness {
  state: "live" | "stale" | "silent" | "absent";
  /** The last heartbeat (RFC 3339), when there is one. */
  lastHeartbeat?: string;
  /** One line for people. */
  detail: string;
  /** Milliseconds until a `live` state turns `stale` without news (for timers). */
  staleInMs?: number;
}

/** The liveness shown for the syncer of a mailbox whose SyncerConfig is `config`. */
export function syncerLiveness(
  config: Pick<SyncerConfig, "status"> | undefined,
  now: Date,
  staleAfterMs = SYNCER_STALE_AFTER_MS,
): SyncerLiveness {
  if (!config) {
    return { state: "absent", detail: "no SyncerConfig in the mailbox yet: no syncer reports" };
  }
  const last = config.status?.lastSyncerHeartbeatTime;
  const at = last ? Date.parse(last) : NaN;
  if (!last || Number.isNaN(at)) {
    return { state: "silent", detail: "no heartbeat yet: the syncer has not reported" };
  }
  const age = now.getTime() - at;
  if (age <= staleAfterMs) {
    return {
      state: "live",
      lastHeartbeat: last,
      detail: `live: last heartbeat at ${last}`,
      staleInMs: staleAfterMs - age + 1,
    };
  }
  return {
    state: "stale",
    lastHeartbeat: last,
    detail: `last heartbeat at ${last}, over ${Math.round(staleAfterMs / 1000)}s ago: ` +
      "the syncer stopped or cannot reach the hub",
  };
}
