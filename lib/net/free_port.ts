/**
 * A loopback TCP port that nothing listens on right now, for a server to bind next.
 *
 * @example
 * ```ts
 * const port = freeLoopbackPort();
 * Deno.serve({ hostname: "127.0.0.1", port }, handler);
 * ```
 *
 * @module
 */

/** Asks the kernel for a free loopback port and releases it at once. */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
