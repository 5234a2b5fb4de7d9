/**
 * Durations written the way kubectl and Go accept them: `30s`, `5m`, `1h30m`,
 * `250ms`, or a bare number of seconds (`--request-timeout=10`).
 *
 * @example
 * ```ts
 * parseDuration("1m30s"); // 90000
 * parseDuration("10");    // 10000
 * ```
 *
 * @module
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return total;
}
