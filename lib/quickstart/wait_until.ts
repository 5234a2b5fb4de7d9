/**
 * Polls a condition with back-off until it holds or a deadline passes, keeping the
 * last reason it did not hold for the error message.
 *
 * @module
 */

/** What a probe says: true when done, or a reason why not yet. */
export type Probe = () => Promise<true | string>;

/** Resolves when `probe` returns true; throws after `timeoutMs` with its last reason. */
export async function waitUntil(what: string, probe: Probe, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let reason = "not checked yet";
  while (true) {
    try {
      const r = await probe();
      if (r === true) return;
      reason = r;
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what}: not done after ${timeoutMs / 1000}s (${reason})`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}
