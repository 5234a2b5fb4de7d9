/**
 * Synchronous, unformatted writes to stdout and stderr.
 *
 * Commands print exact documented lines; `console.log` would format objects and
 * buffer differently, so commands use these helpers instead.
 *
 * @module
 */

const encoder = new TextEncoder();

function writeAll(fd: { writeSync(p: Uint8Array): number }, text: string): void {
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
