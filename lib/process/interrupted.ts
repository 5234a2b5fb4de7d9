/**
 * Waiting for the user to stop a long-running command: resolves at the first SIGINT
 * (Ctrl-C) or SIGTERM, then stops listening, so the caller can clean up and exit.
 *
 * @example
 * ```ts
 * print("Press Ctrl-C to stop.");
 * await interrupted();
 * await server.shutdown();
 * ```
 *
 * @module
 */

/** Resolves at the next SIGINT or SIGTERM. */
export function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}
