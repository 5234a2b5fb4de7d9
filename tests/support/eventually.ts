/**
 * Polling for a condition that becomes true some time after a test's action: `eventually`
 * reruns a probe until it yields a value, and names what it waited for when it gives up.
 *
 * @module
 */

/** How long `eventually` waits between two probes, in milliseconds. */
const PROBE_INTERVAL_MS = 25;

/**
 * Reruns `fn` until it returns a value other than undefined or false, and returns that
 * value; a probe that throws counts as not yet. After `timeoutMs` it throws, naming `what`
 * and the last probe's error if the last probe threw.
 */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
      last = undefined;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}
