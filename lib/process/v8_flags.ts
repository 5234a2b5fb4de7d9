/**
 * The V8 flags this toolkit's long-running processes run with: `--optimize-for-size`
 * and a 1 MiB young generation keep the heap tight. Measured with the three
 * controllers in one process at 1,000 SyncTargets and 10,000 placed copies, after 5
 * changes to a placed object: 109 MiB RSS instead of 184 MiB, at about the same
 * propagation latency; kcp-lite's create throughput and CLI start-up are unchanged.
 *
 * The price is CPU: under `--optimize-for-size` V8 keeps the young generation small
 * whatever `--max-semi-space-size` says, and collects the old generation whenever it grew a
 * little. At 10,000 mailboxes the controllers spent 760–970 µs of CPU per placed copy
 * with these flags, 360–390 µs without them, but then their RSS was 437–575 MiB
 * (`--predictable-gc-schedule`, a 4 MiB young generation and 30 % heap growth: 321–444
 * MiB) against the 300 MiB target, so the flags stay (`docs/performance.md`). Run from
 * source, the controllers take a user's own `DENO_V8_FLAGS` first, and those win
 * (`withTightHeap`).
 *
 * `kubestellar start` hands them to the controllers process as `DENO_V8_FLAGS`
 * (comma-separated). Compiled binaries ignore that variable (denoland/deno#19808), so
 * `deno task compile` builds them in with `--v8-flags`.
 *
 * @example
 * ```ts
 * withTightHeap("--stack-size=2000"); // "--stack-size=2000,--optimize-for-size,--max-semi-space-size=1"
 * ```
 *
 * @module
 */

/** The flags, in `DENO_V8_FLAGS` / `--v8-flags` order. */
export const TIGHT_HEAP_V8_FLAGS: readonly string[] = [
  "--optimize-for-size",
  "--max-semi-space-size=1",
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
