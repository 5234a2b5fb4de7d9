/**
 * The V8 flags this toolkit's long-running processes run with: a 4 MiB semi-space and a
 * heap that grows by 10 % over what the last full collection kept (V8's default lets it
 * grow by up to about ×2), so that memory follows what a process holds.
 *
 * Measured with `deno task bench fleet` at 10,000 SyncTargets and 100,000 placed copies
 * (`docs/performance.md`): the controllers' RSS was 284–290 MiB with these flags (target
 * 300 MiB) and their CPU per placed copy 281–353 µs. The flags before,
 * `--optimize-for-size,--max-semi-space-size=1`, held RSS at 252–303 MiB but cost 512–787
 * µs per copy: under `--optimize-for-size` V8 keeps the young generation at 1 MiB whatever
 * `--max-semi-space-size` says, and each scavenge costs the controllers about 2.5 ms
 * whatever the young generation's size, so a 4 MiB one takes a quarter of them; and it
 * marks the old generation almost all the time. Without any flags the RSS was 437–575 MiB.
 * Run from source, the controllers take a user's own `DENO_V8_FLAGS` first, and those win
 * (`withTightHeap`).
 *
 * `kubestellar start` hands them to the controllers process as `DENO_V8_FLAGS`
 * (comma-separated). Compiled binaries ignore that variable (denoland/deno#19808), so
 * `deno task compile` builds them in with `--v8-flags`.
 *
 * @example
 * ```ts
 * withTightHeap("--stack-size=2000"); // "--stack-size=2000,--max-semi-space-size=4,--heap-growing-percent=10"
 * ```
 *
 * @module
 */

/** The flags, in `DENO_V8_FLAGS` / `--v8-flags` order. */
export const TIGHT_HEAP_V8_FLAGS: readonly string[] = [
  "--max-semi-space-size=4",
  "--heap-growing-percent=10",
];

/**
 * A `DENO_V8_FLAGS` value: the user's own flags first, then ours, except those the
 * user set already (with any value, or turned off with `--no-`).
 */
export function withTightHeap(userFlags: string | undefined): string {
  const theirs = (userFlags ?? "").split(/[,\s]+/).filter((f) => f !== "");
  // `--no-x` is the user's say on `--x` too.
  const nameOf = (flag: string) => flag.split("=")[0].replace(/^--no-/, "--");
  const ours = TIGHT_HEAP_V8_FLAGS.filter((flag) =>
    !theirs.some((f) => nameOf(f) === nameOf(flag))
  );
  return [...theirs, ...ours].join(",");
}
