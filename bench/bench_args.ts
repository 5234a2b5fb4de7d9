/**
 * The size a benchmark runs at: `deno task bench NAME 1000` (the first numeric word),
 * else an environment variable, else the benchmark's default.
 *
 * @module
 */

/** The first numeric argument, else `$<envName>`, else `fallback`; a positive integer. */
export function countArgument(envName: string, fallback: number): number {
  const text = Deno.args.find((a) => /^\d+$/.test(a)) ?? Deno.env.get(envName);
  const n = Number(text ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`the benchmark size must be a positive integer, not "${text}"`);
  }
  return n;
}
