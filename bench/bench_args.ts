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

/** The value of `--<name> N` or `--<name>=N` among the arguments, else `fallback`. */
export function flagArgument(name: string, fallback: number): number {
  const args = Deno.args;
  let text: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) text = args[i + 1];
    else if (args[i].startsWith(`--${name}=`)) text = args[i].slice(name.length + 3);
  }
  const n = Number(text ?? fallback);
  if (!(n > 0)) throw new Error(`--${name} needs a positive number, not "${text}"`);
  return n;
}
