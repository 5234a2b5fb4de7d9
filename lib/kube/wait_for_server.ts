/**
 * Waits, with a deadline, until an API server answers authenticated requests.
 *
 * Each attempt asks `connect()` for the connection (so a kubeconfig that does not
 * exist yet, as while a server is starting, is simply "not ready yet") and then lists
 * namespaces (`GET /api/v1/namespaces?limit=1`), the request upstream's
 * `kubectl get ns` loop made. Failed attempts are retried with exponential back-off
 * (0.25 s doubling to 5 s); at most every `progressEveryMs` a progress line naming
 * the server, the time spent and the last error is reported. Each request is cut
 * off at the deadline, so the wait never overruns it by more than a moment.
 *
 * @example
 * ```ts
 * await waitForServer({
 *   connect: () => loadKubeconfig({ kubeconfig: "admin.kubeconfig", context: "root" })
 *     .then((kc) => kc.restConfig()),
 *   target: `the server of context 'root' in "admin.kubeconfig"`,
 *   timeoutMs: 300_000,
 *   progress: (line) => err(line),
 * });
 * ```
 *
 * @module
 */
import { describeError } from "../cli/errors.ts";
import { restClientFor } from "./rest_client.ts";
import type { RestConfig } from "./rest_config.ts";

/** Time and sleeping, injectable for tests. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const SYSTEM_CLOCK: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Options of `waitForServer`. */
export interface WaitForServerOptions {
  /** Produces the connection to try; a thrown error counts as "not ready yet". */
  connect: () => Promise<RestConfig>;
  /** Errors of `connect` that waiting cannot mend: thrown at once, as they are. */
  isFatal?: (e: unknown) => boolean;
  /**
   * What is awaited, as a noun phrase, until a connection is known (e.g.
   * `the server of context 'root' in "admin.kubeconfig"`); then `the server at <url>`.
   */
  target: string;
  /** Give up after this long (milliseconds). */
  timeoutMs: number;
  /** Receives progress lines. */
  progress?: (line: string) => void;
  /** Minimum time between progress lines (default 3 s). */
  progressEveryMs?: number;
  /** First retry delay (default 250 ms). */
  initialDelayMs?: number;
  /** Longest retry delay (default 5 s). */
  maxDelayMs?: number;
  /** Per-request limit when the connection sets none (default 10 s). */
  requestTimeoutMs?: number;
  /** The request that proves the server answers (default: list one namespace). */
  probe?: (config: RestConfig) => Promise<void>;
  clock?: WaitClock;
}

/** How the wait ended successfully. */
export interface WaitResult {
  /** The server URL that answered. */
  server: string;
  attempts: number;
  elapsedMs: number;
}

/** The server did not answer before the deadline. */
export class ServerWaitTimeoutError extends Error {
  /** What was awaited (`the server at <url>` once the URL was known). */
  readonly target: string;
  /** The last attempt's error, one line. */
  readonly lastError: string;
  readonly attempts: number;

  constructor(target: string, timeoutMs: number, lastError: string, attempts: number) {
    super(
      `${target} did not answer within ${formatSeconds(timeoutMs)} ` +
        `(${attempts} attempts; last error: ${lastError})`,
    );
    this.name = "ServerWaitTimeoutError";
    this.target = target;
    this.lastError = lastError;
    this.attempts = attempts;
  }
}

/** `1.5s`, `2m30s`: a short human form of a duration. */
export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}

/** Lists one namespace; any failure throws. */
export async function listNamespacesProbe(config: RestConfig): Promise<void> {
  const client = restClientFor(config);
  try {
    await client.list({ version: "v1", resource: "namespaces" }, { limit: 1 });
  } finally {
    client.close();
  }
}

/** Waits until the server answers; throws `ServerWaitTimeoutError` at the deadline. */
export async function waitForServer(options: WaitForServerOptions): Promise<WaitResult> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const probe = options.probe ?? listNamespacesProbe;
  const progressEvery = options.progressEveryMs ?? 3000;
  const maxDelay = options.maxDelayMs ?? 5000;
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  let delay = options.initialDelayMs ?? 250;
  let lastProgress = start;
  let target = options.target;
  let attempts = 0;
  let lastError = "";
  for (;;) {
    attempts++;
    let cutShort = false;
    try {
      const config = await options.connect();
      target = `the server at ${config.server}`;
      const remaining = Math.max(1, deadline - clock.now());
      const own = config.timeoutMs ?? requestTimeout;
      cutShort = remaining < own;
      await probe({ ...config, timeoutMs: Math.min(own, remaining) });
      return { server: config.server, attempts, elapsedMs: clock.now() - start };
    } catch (e) {
      if (options.isFatal?.(e)) throw e;
      // An attempt cut short by the deadline says less than the one before it.
      if (!(cutShort && lastError !== "")) lastError = describeError(e);
    }
    const now = clock.now();
    if (now >= deadline) {
      throw new ServerWaitTimeoutError(target, options.timeoutMs, lastError, attempts);
    }
    if (options.progress && now - lastProgress >= progressEvery) {
      lastProgress = now;
      options.progress(
        `Waiting for ${target} to answer (${formatSeconds(now - start)} so far): ${lastError}`,
      );
    }
    await clock.sleep(Math.min(delay, deadline - now));
    delay = Math.min(delay * 2, maxDelay);
  }
}
