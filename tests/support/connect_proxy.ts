/**
 * A local HTTP CONNECT proxy for tests: tunnels TCP to the requested `host:port` and
 * records each CONNECT target, so a test can tell that a client went through it.
 * Optional basic authentication (`Proxy-Authorization`) is checked when set.
 *
 * @example
 * ```ts
 * const proxy = await startConnectProxy();
 * try { ... kubeconfig cluster `proxy-url: ${proxy.url}` ...; proxy.connects.length > 0 } finally { await proxy.close(); }
 * ```
 *
 * @module
 */

/** A running proxy. */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every CONNECT target (`host:port`), in order. */
  connects: string[];
  close(): Promise<void>;
}

async function readHead(conn: Deno.Conn): Promise<{ head: string; rest: Uint8Array } | undefined> {
  const chunks: number[] = [];
  const buf = new Uint8Array(4096);
  while (chunks.length < 65536) {
    const n = await conn.read(buf);
    if (n === null) return undefined;
    chunks.push(...buf.subarray(0, n));
    const text = new TextDecoder().decode(new Uint8Array(chunks));
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      const headBytes = new TextEncoder().encode(text.slice(0, end + 4)).length;
      return { head: text.slice(0, end), rest: new Uint8Array(chunks.slice(headBytes)) };
    }
  }
  return undefined;
}

/** Options of `startConnectProxy`. */
export interface ConnectProxyOptions {
  /** "user:password" the client must send in `Proxy-Authorization`. */
  auth?: string;
  /** Where to connect for a requested host (default: the host itself). */
  resolve?: (host: string) => string;
}

/** Starts the proxy on a free loopback port. */
export function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const { auth, resolve = (h: string) => h } = options;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connects: string[] = [];
  const open = new Set<Deno.Conn>();
  const write = (c: Deno.Conn, s: string) => c.write(new TextEncoder().encode(s));
  const serve = async (client: Deno.Conn) => {
    open.add(client);
    try {
      const req = await readHead(client);
      const m = req?.head.match(/^CONNECT (\S+) HTTP\/1\.[01]/);
      if (!req || !m) {
        await write(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        return client.close();
      }
      if (auth) {
        const given = req.head.match(/^proxy-authorization: basic (\S+)$/im)?.[1];
        if (given !== btoa(auth)) {
          await write(client, "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
          return client.close();
        }
      }
      const [host, port] = [
        m[1].slice(0, m[1].lastIndexOf(":")),
        m[1].slice(m[1].lastIndexOf(":") + 1),
      ];
      const upstream = await Deno.connect({
        hostname: resolve(host.replace(/^\[|\]$/g, "")),
        port: Number(port),
      });
      open.add(upstream);
      connects.push(m[1]);
      await write(client, "HTTP/1.1 200 Connection established\r\n\r\n");
      if (req.rest.length) await upstream.write(req.rest);
      await Promise.allSettled([
        client.readable.pipeTo(upstream.writable),
        upstream.readable.pipeTo(client.writable),
      ]);
      open.delete(upstream);
    } catch {
      // a client or server that went away: nothing to do
    } finally {
      open.delete(client);
      try {
        client.close();
      } catch {
        // already closed by the pipe
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) serve(conn);
  })().catch(() => {});
  return Promise.resolve({
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    connects,
    async close() {
      listener.close();
      for (const c of open) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      await accepting;
    },
  });
}
