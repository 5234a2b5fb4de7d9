/**
 * One clear log line for each kind of failure the syncer meets, without stack traces
 * and without credentials: rejected credentials (401/403), an unreachable server,
 * resources a server does not serve yet, conflicts (retried quietly), and objects a
 * server rejects (reported; the other objects keep syncing).
 *
 * @module
 */
import {
  ApiError,
  ConnectionError,
  isConflict,
  isReportedUnauthorized,
} from "../kube/rest_errors.ts";
import { NotServedError } from "./downsync.ts";

/** How to log one failure. */
export interface SyncErrorLine {
  line: string;
  fields: Record<string, unknown>;
  /** Expected and retried soon: log only when verbose. */
  quiet: boolean;
}

/** Describes `e`, met while working on `where` (a queue key or an informer name). */
export function describeSyncError(where: string, e: unknown): SyncErrorLine {
  if (e instanceof ApiError && e.code === 401) {
    if (isReportedUnauthorized(e)) {
      // The credential source logged the refusal once; retries stay quiet.
      return { line: "refused (401), retrying", fields: { where }, quiet: true };
    }
    return {
      line: "the server rejected the syncer's credentials (401 Unauthorized): the token is " +
        "wrong or expired; check the syncer's kubeconfig; retrying with back-off",
      fields: { where },
      quiet: false,
    };
  }
  if (e instanceof ApiError && e.code === 403) {
    return {
      line: "the server denied the syncer access (403 Forbidden); check the syncer's RBAC; " +
        "retrying with back-off",
      fields: { where, message: e.message },
      quiet: false,
    };
  }
  if (e instanceof ConnectionError) {
    return {
      line: `cannot reach ${e.server}; retrying with back-off`,
      fields: { where },
      quiet: false,
    };
  }
  if (e instanceof NotServedError) {
    return { line: e.message, fields: { where }, quiet: false };
  }
  if (isConflict(e)) return { line: "conflict, retrying", fields: { where }, quiet: true };
  if (e instanceof ApiError && e.code === 404) {
    return { line: "not found (yet), retrying", fields: { where }, quiet: true };
  }
  if (e instanceof ApiError) {
    return {
      line: `the server rejected a request (${e.code} ${e.reason})`,
      fields: { where, message: e.message },
      quiet: false,
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { line: "sync failed", fields: { where, message }, quiet: false };
}
