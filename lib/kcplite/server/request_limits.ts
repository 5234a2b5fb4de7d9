/**
 * kcp-lite's limits on what one client can make the server hold: in-flight request budgets
 * as kube-apiserver's `--max-requests-inflight` (400) and `--max-mutating-requests-inflight`
 * (200), with its exemptions (long-running requests such as watches, and `system:masters`)
 * and its answer (`429`, `Retry-After: 1`, plain text "Too many requests, please try again
 * later."); and the time limits of a connection: TLS handshake plus the first request's
 * headers, a request body, a stalled response, and an idle keep-alive connection.
 *
 * @example
 * ```ts
 * const limiter = new InflightLimiter(DEFAULT_REQUEST_LIMITS);
 * const release = limiter.tryAcquire(true);
 * if (!release) return tooManyRequests(res);
 * res.on("close", release);
 * ```
 *
 * @module
 */
import type { ServerReply } from "./http1_exchange.ts";

/** The limits; every time is in milliseconds. */
export interface RequestLimits {
  /** Concurrent non-mutating requests (get, list; not watches); 0: unlimited. */
  maxRequestsInflight: number;
  /** Concurrent mutating requests (create, update, patch, delete); 0: unlimited. */
  maxMutatingRequestsInflight: number;
  /** From accepting a connection until its first request's headers are in. */
  requestHeaderTimeoutMs: number;
  /** From a request's headers until its whole body is in (answered 408, then closed). */
  requestBodyTimeoutMs: number;
  /** How long a response may wait for a client that does not read it. */
  responseStallTimeoutMs: number;
  /** How long a keep-alive connection may sit between requests. */
  idleConnectionTimeoutMs: number;
}

/** kube-apiserver's budgets and time limits (header timeout shorter than its 32 s). */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  requestHeaderTimeoutMs: 10_000,
  requestBodyTimeoutMs: 60_000,
  responseStallTimeoutMs: 60_000,
  idleConnectionTimeoutMs: 90_000,
};

/** The limits with defaults filled in. */
export function requestLimits(partial: Partial<RequestLimits> = {}): RequestLimits {
  return { ...DEFAULT_REQUEST_LIMITS, ...partial };
}

/** kube-apiserver's non-mutating verbs. */
const NON_MUTATING = new Set(["get", "list", "watch"]);

/** True for verbs that count against the mutating budget. */
export function isMutatingVerb(verb: string): boolean {
  return !NON_MUTATING.has(verb);
}

/** Two budgets of concurrent requests. */
export class InflightLimiter {
  #readOnly = 0;
  #mutating = 0;
  #rejected = 0;

  constructor(private readonly limits: RequestLimits) {}

  /** Takes a slot; the function that gives it back (once), or undefined when full. */
  tryAcquire(mutating: boolean): (() => void) | undefined {
    const max = mutating
      ? this.limits.maxMutatingRequestsInflight
      : this.limits.maxRequestsInflight;
    const current = mutating ? this.#mutating : this.#readOnly;
    if (max > 0 && current >= max) {
      this.#rejected++;
      return undefined;
    }
    if (mutating) this.#mutating++;
    else this.#readOnly++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mutating) this.#mutating--;
      else this.#readOnly--;
    };
  }

  /** Figures for tests and diagnostics. */
  stats(): { readOnly: number; mutating: number; rejected: number } {
    return { readOnly: this.#readOnly, mutating: this.#mutating, rejected: this.#rejected };
  }
}

/** kube-apiserver's 429: plain text, `Retry-After: 1`. */
export function sendTooManyRequests(res: ServerReply): void {
  const body = new TextEncoder().encode("Too many requests, please try again later.\n");
  res.writeHead(429, {
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "Retry-After": "1",
    "Content-Length": body.length,
  });
  res.end(body);
}
