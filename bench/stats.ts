/**
 * Timing helpers for benchmarks.
 *
 * @module
 */

/** The `p`-th percentile (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** The median of `values`. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Runs `fn` `runs` times and returns the wall times in milliseconds. */
export async function timeRuns(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Formats milliseconds. */
export function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
