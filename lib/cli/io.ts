/**
 * Synchronous, unformatted writes to stdout and stderr.
 *
 * Commands print exact documented lines; `console.log` would format objects and
 * buffer differently, so commands use these helpers instead.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Where writes go while `captureOutput` runs (instead of stdout and stderr). */
let captured: string[] | undefined;

function writeAll(fd: { writeSync(p: Uint8Array): number }, text: string): void {
  if (captured) {
    captured.push(text);
    return;
  }
  let data = encoder.encode(text);
  while (data.length > 0) {
    const n = fd.writeSync(data);
    data = data.subarray(n);
  }
}

/** Writes `line` plus a newline to stdout. */
export function out(line = ""): void {
  writeAll(Deno.stdout, line + "\n");
}

/** Writes `text` to stdout as is. */
export function outRaw(text: string): void {
  writeAll(Deno.stdout, text);
}

/** Writes `line` plus a newline to stderr. */
export function err(line = ""): void {
  writeAll(Deno.stderr, line + "\n");
}

/** Writes `text` to stderr as is. */
export function errRaw(text: string): void {
  writeAll(Deno.stderr, text);
}

/**
 * Runs `fn` with everything written through these helpers collected instead of printed,
 * and resolves to that text (shell completion reads a command's usage this way).
 */
export async function captureOutput(fn: () => Promise<unknown>): Promise<string> {
  const previous = captured;
  const mine: string[] = [];
  captured = mine;
  try {
    await fn();
  } finally {
    captured = previous;
  }
  return mine.join("");
}
