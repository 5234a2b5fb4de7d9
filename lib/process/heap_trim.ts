/**
 * Gives the C heap's free memory back to the system now and then, by calling glibc's
 * `malloc_trim(0)` through Deno's FFI. A long-running process of this toolkit keeps its
 * objects in V8's heap, but V8 and Deno's runtime allocate from the C heap too (compiler
 * zones, buffers, TLS), and glibc returns freed memory there only from the top of the heap.
 * The controllers at 10,000 mailboxes held about 20 MiB of such free memory in their
 * resident set for good (`malloc_trim` from a debugger took their C heap from 41 to 21
 * MiB; `docs/performance.md`). Go's runtime, which client-go's controllers run on,
 * returns free memory on its own; this is the same for ours. A trim there took about
 * 1.6 ms, so every 10 s costs nothing to speak of.
 *
 * Only where it applies, and silently otherwise: Linux with glibc (`libc.so.6`), and
 * only with the FFI permission already granted (never a prompt). The timer never keeps
 * the process alive.
 *
 * @example
 * ```ts
 * const trim = startHeapTrim();
 * // … later
 * console.log(trim.trims, trim.seconds);
 * trim.stop();
 * ```
 *
 * @module
 */

/** How often the heap is trimmed by default. */
export const HEAP_TRIM_INTERVAL_MS = 10_000;

/** A running trimmer and what it did. */
export interface HeapTrim {
  /** Whether trimming applies here (glibc found and FFI allowed). */
  readonly active: boolean;
  /** Trims done. */
  readonly trims: number;
  /** Time spent in them, in seconds. */
  readonly seconds: number;
  stop(): void;
}

/** Options, for tests. */
export interface HeapTrimOptions {
  intervalMs?: number;
  /** The trim itself (default: glibc's `malloc_trim(0)`, when there is one). */
  trim?: () => void;
}

/** Starts trimming every `intervalMs`; a no-op trimmer where it does not apply. */
export function startHeapTrim(options: HeapTrimOptions = {}): HeapTrim {
  const trim = options.trim ?? glibcTrim();
  let trims = 0;
  let seconds = 0;
  if (!trim) return { active: false, trims, seconds, stop() {} };
  const timer = setInterval(() => {
    const t0 = performance.now();
    trim();
    seconds += (performance.now() - t0) / 1000;
    trims++;
  }, options.intervalMs ?? HEAP_TRIM_INTERVAL_MS);
  Deno.unrefTimer(timer);
  return {
    active: true,
    get trims() {
      return trims;
    },
    get seconds() {
      return seconds;
    },
    stop: () => clearInterval(timer),
  };
}

/** The library is opened once per process, however many trimmers start (tests start many). */
let opened: { trim: (() => void) | undefined } | undefined;

/** glibc's `malloc_trim(0)`, or undefined where there is none or FFI is not allowed. */
function glibcTrim(): (() => void) | undefined {
  return (opened ??= { trim: openGlibcTrim() }).trim;
}

function openGlibcTrim(): (() => void) | undefined {
  if (Deno.build.os !== "linux") return undefined;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
    const lib = Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
    });
    return () => void lib.symbols.malloc_trim(0n);
  } catch {
    return undefined; // not glibc (musl has no libc.so.6 nor malloc_trim)
  }
}
