/**
 * How long deploy and the get-*-kubeconfig commands wait for the hosting cluster:
 * `$KUBESTELLAR_WAIT_TIMEOUT` (a duration such as `90s` or `10m`), else a default.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { parseDuration } from "../kubeconfig/duration.ts";

/** The environment variable that bounds every wait. */
export const WAIT_TIMEOUT_ENV = "KUBESTELLAR_WAIT_TIMEOUT";

/** The wait limit in milliseconds; a `UserError` when the variable is not a duration. */
export function waitTimeoutMs(defaultText: string): number {
  const text = Deno.env.get(WAIT_TIMEOUT_ENV) || defaultText;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UserError(
      `invalid $${WAIT_TIMEOUT_ENV} ${
        JSON.stringify(text)
      }: give a positive duration such as 90s or 10m`,
    );
  }
  return ms;
}

/** Formats a wait limit for messages (`90s`, `10m`). */
export function formatWait(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 100) / 10}s`;
}
