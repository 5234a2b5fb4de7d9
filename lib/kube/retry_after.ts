/**
 * client-go's answer to a server that asks to be called again later: a 429 (the API
 * server's in-flight limits) or a 5xx carrying `Retry-After` was not processed, so the
 * request is sent again after the delay the server names, up to ten times
 * (`rest.Request`'s `checkWait` and `maxRetries`).
 *
 * @module
 */
import type { TransportResponse } from "./rest_transport.ts";

/** How many times a request is sent again, as client-go's default. */
export const MAX_RETRIES = 10;
/** The longest wait honoured between two attempts (a misbehaving server cannot stall us). */
const MAX_WAIT_SECONDS = 10;

/**
 * The seconds to wait before sending again, or undefined when `response` does not ask
 * for a retry.
 */
export function retryAfterSeconds(
  response: Pick<TransportResponse, "status" | "headers">,
): number | undefined {
  const header = response.headers.get("Retry-After");
  if (response.status !== 429 && !(response.status >= 500 && header !== null)) return undefined;
  const seconds = Number(header ?? "1");
  if (!Number.isInteger(seconds) || seconds < 0) return 1;
  return Math.min(seconds, MAX_WAIT_SECONDS);
}

/** Waits `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
