/**
 * A small HTTP server on a free loopback port that serves fixed files (release archives,
 * checksums) and redirects, and records every request path: the stand-in for GitHub's
 * release downloads in the `install.sh` tests.
 *
 * @example
 * ```ts
 * const server = startDownloadServer({ "/v1.0.0/checksums.txt": "…" }, { "/latest": "/tag/v1.0.0" });
 * // curl server.url + "/v1.0.0/checksums.txt"
 * await server.stop();
 * ```
 *
 * @module
 */

/** A running download server. */
export interface DownloadServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Adds or replaces a file. */
  put(path: string, body: string | Uint8Array): void;
  stop(): Promise<void>;
}

/** Starts serving `files` (path → body) and `redirects` (path → target path, 302). */
export function startDownloadServer(
  files: Record<string, string | Uint8Array> = {},
  redirects: Record<string, string> = {},
): DownloadServer {
  const content = new Map<string, Uint8Array>();
  const put = (path: string, body: string | Uint8Array) =>
    content.set(path, typeof body === "string" ? new TextEncoder().encode(body) : body);
  for (const [path, body] of Object.entries(files)) put(path, body);
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    const target = redirects[path];
    if (target) {
      return new Response(null, { status: 302, headers: { location: target } });
    }
    const body = content.get(path);
    if (!body) return new Response("not found\n", { status: 404 });
    return new Response(body.slice(), {
      headers: { "content-type": "application/octet-stream" },
    });
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    requests,
    put,
    async stop() {
      await server.shutdown();
    },
  };
}
