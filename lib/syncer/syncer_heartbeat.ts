/**
 * The syncer's liveness signal: every `intervalMs` (default 30 s) it stamps
 * `status.lastSyncerHeartbeatTime` on its mailbox's SyncerConfig `the-one` — the field
 * upstream's SyncerConfig type defines for exactly this — with a merge patch that
 * touches nothing else. Readers (`kubestellar ui`) call a syncer live while the stamp is
 * younger than `SYNCER_STALE_AFTER_MS`. A missing SyncerConfig (not written yet) is
 * skipped quietly; other failures go to `onError` and the next beat tries again.
 *
 * @example
 * ```ts
 * const done = runHeartbeat(mailboxClient, { onError: (e) => log.warn("heartbeat", { e }) }, signal);
 * ```
 *
 * @module
 */
import { EDGE_GROUP, EDGE_VERSION, SYNCER_CONFIG_NAME } from "../edge/api_types.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isNotFound } from "../kube/rest_errors.ts";

/** How often a syncer stamps its heartbeat. */
export const SYNCER_HEARTBEAT_INTERVAL_MS = 30_000;
/** Age after which a heartbeat no longer shows a live syncer (three beats missed). */
export const SYNCER_STALE_AFTER_MS = 3 * SYNCER_HEARTBEAT_INTERVAL_MS + 5_000;

const THE_ONE = {
  group: EDGE_GROUP,
  version: EDGE_VERSION,
  resource: "syncerconfigs",
  name: SYNCER_CONFIG_NAME,
};

/** A heartbeat time as Kubernetes writes `metav1.Time` (seconds, UTC). */
export function heartbeatTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * True when a SyncerConfig update changed its spec: a heartbeat changes only the
 * status, which gives the syncer nothing to re-plan.
 */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec);
}

/** Options of `runHeartbeat`. */
export interface HeartbeatOptions {
  /** Starts beating once this resolves (the syncer's first plan). */
  after?: Promise<void>;
  intervalMs?: number;
  now?: () => Date;
  onError?(e: unknown): void;
  /** Told after each stamp written (tests). */
  onBeat?(time: string): void;
}

/** Stamps the heartbeat now and every interval until `signal` aborts. */
export async function runHeartbeat(
  mailbox: RestClient,
  options: HeartbeatOptions,
  signal: AbortSignal,
): Promise<void> {
  const interval = options.intervalMs ?? SYNCER_HEARTBEAT_INTERVAL_MS;
  const now = options.now ?? (() => new Date());
  if (options.after) {
    const aborted = new Promise<void>((r) => signal.addEventListener("abort", () => r()));
    await Promise.race([options.after, aborted]);
  }
  while (!signal.aborted) {
    const time = heartbeatTime(now());
    try {
      await mailbox.patch(THE_ONE, { status: { lastSyncerHeartbeatTime: time } }, "merge");
      options.onBeat?.(time);
    } catch (e) {
      if (!signal.aborted && !isNotFound(e)) options.onError?.(e);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, interval);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
