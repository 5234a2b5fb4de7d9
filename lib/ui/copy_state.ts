/**
 * The state of one copy in the placement matrix (object × cluster), with the reason
 * people read in the cell:
 *
 * - `pending`: selected for the cluster but not in its mailbox workspace (yet);
 * - `mailbox`: in the mailbox workspace, nothing from the edge about it yet;
 * - `edge`: in the mailbox, and the cluster's syncer, live, has reported (heartbeat)
 *   since the copy last changed — the syncer applies mailbox changes as they come, so
 *   the copy is on the edge unless the edge refused it (the syncer's log says so);
 * - `status`: the edge's status has come back to the mailbox copy;
 * - `error`: the returned status says the object failed (a condition such as
 *   `Available=False` or `ReplicaFailure=True`);
 * - `unknown`: the mailbox cannot be read and its SyncerConfig does not list the copy.
 *
 * @example
 * ```ts
 * copyState({ mailbox: "m", mailboxReady: true, copy, copySeenAt: 0, liveness }).state;
 * ```
 *
 * @module
 */
import type { KubeObject } from "../controller/list_watch.ts";
import type { SyncerLiveness } from "./syncer_liveness.ts";

/** The states of a copy, in the order a copy goes through them. */
export type CopyStateName = "pending" | "mailbox" | "edge" | "status" | "error" | "unknown";

/** One cell. */
export interface CopyState {
  state: CopyStateName;
  detail: string;
}

/** What the state of one copy is computed from. */
export interface CopyFacts {
  /** The mailbox workspace's name. */
  mailbox: string;
  mailboxReady: boolean;
  /** The mailbox copy; undefined when absent or not readable. */
  copy?: KubeObject;
  /** Why copies of this resource cannot be read, when they cannot. */
  copiesUnreadable?: string;
  /** True when the mailbox's SyncerConfig lists the object. */
  listed?: boolean;
  /** When the UI saw the copy last change (epoch ms). */
  copySeenAt?: number;
  liveness: SyncerLiveness;
  /**
   * The mailbox's own server writes this kind's status (Namespaces, CRDs), so a status
   * there says nothing about the edge.
   */
  serverStatus?: boolean;
  /** Objects that go to the mailbox only (APIBindings), never to the edge. */
  mailboxOnly?: boolean;
}

const FAILED_WHEN_TRUE = new Set(["Failed", "ReplicaFailure", "Degraded"]);
const FAILED_WHEN_FALSE = new Set(["Available", "Ready", "Progressing", "Complete"]);

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** The failure a returned status reports, if any. */
export function statusFailure(status: unknown): string | undefined {
  const conditions = (status as { conditions?: Condition[] } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  for (const c of conditions) {
    const bad = (c.status === "True" && FAILED_WHEN_TRUE.has(c.type ?? "")) ||
      (c.status === "False" && FAILED_WHEN_FALSE.has(c.type ?? ""));
    if (bad) {
      const why = [c.reason, c.message].filter(Boolean).join(": ");
      return `${c.type}=${c.status}${why ? ` (${why})` : ""}`;
    }
  }
  return undefined;
}

/** A short account of a returned status: its scalar fields and conditions. */
export function statusSummary(status: unknown): string {
  if (!status || typeof status !== "object") return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(status as Record<string, unknown>)) {
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") {
      parts.push(`${k} ${v}`);
    }
  }
  const conditions = (status as { conditions?: Condition[] }).conditions;
  if (Array.isArray(conditions)) {
    for (const c of conditions) parts.push(`${c.type}=${c.status}`);
  }
  return parts.slice(0, 6).join(", ");
}

function hasStatus(copy: KubeObject): boolean {
  const s = copy.status;
  return !!s && typeof s === "object" && Object.keys(s).length > 0;
}

/** The state of one copy. */
export function copyState(f: CopyFacts): CopyState {
  const mb = `mailbox ${f.mailbox}`;
  if (!f.mailboxReady) return { state: "pending", detail: `${mb} is not ready yet` };
  if (f.copiesUnreadable !== undefined) {
    return f.listed
      ? { state: "mailbox", detail: `listed in the SyncerConfig of ${mb} (${f.copiesUnreadable})` }
      : {
        state: "unknown",
        detail: `not listed in the SyncerConfig of ${mb} (${f.copiesUnreadable})`,
      };
  }
  const copy = f.copy;
  if (!copy) {
    return { state: "pending", detail: `not in ${mb} yet (is the placement translator running?)` };
  }
  if (f.mailboxOnly) {
    return { state: "mailbox", detail: `in ${mb}; objects of this kind stay in the mailbox` };
  }
  if (!f.serverStatus && hasStatus(copy)) {
    const failure = statusFailure(copy.status);
    if (failure) return { state: "error", detail: `the edge reports ${failure}` };
    return {
      state: "status",
      detail: `status returned from the edge: ${statusSummary(copy.status)}`,
    };
  }
  const beat = f.liveness.lastHeartbeat ? Date.parse(f.liveness.lastHeartbeat) : NaN;
  // Heartbeats have a resolution of one second.
  if (f.liveness.state === "live" && beat + 1000 >= (f.copySeenAt ?? Infinity)) {
    return {
      state: "edge",
      detail: `in ${mb}; its syncer is live and has reported since the copy last changed`,
    };
  }
  return { state: "mailbox", detail: `in ${mb}; syncer: ${f.liveness.detail}` };
}
