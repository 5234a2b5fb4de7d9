/**
 * The edge view (docs/denaturing.md): an HTTPS endpoint in front of kcp through which
 * users write forcibly-denatured kinds in their usual, natured form. Every request
 * passes through to kcp unchanged — same path, query, body, and the user's own
 * `Authorization` header — except requests for the forcibly-denatured kinds, which
 * `mapped_request.ts` sends to their `denatured.kubestellar.io` resources.
 *
 * Security: TLS always (its own serving certificate), loopback by default, the user's
 * bearer token forwarded and never logged, the view's own identity never used for a
 * user's request. A request without an `Authorization` header is answered 401 (a
 * client certificate cannot pass through a TLS-terminating proxy). Bodies of mapped
 * requests are bounded (413); bad paths, bodies and media types are a 4xx; protocol
 * upgrades (exec, port-forward) are not proxied.
 *
 * @example
 * ```ts
 * const view = startEdgeView({ upstream: { server: kcpUrl, caData }, certPem, keyPem, log });
 * // kubectl --server https://127.0.0.1:<view.port>/clusters/root:wmw1 …
 * await view.stop();
 * ```
 *
 * @module
 */
import { BodyTooLargeError, readBoundedBody } from "../http/bounded_body.ts";
import type { Logger } from "../log/logger.ts";
import { handleMapped } from "./mapped_request.ts";
import { BadPathError, mapViewPath } from "./view_path.ts";
import { isGroupListPath, withoutDenaturedGroup } from "./view_discovery.ts";
import { statusResponse } from "./view_status.ts";

/** Options of `startEdgeView`. */
export interface EdgeViewOptions {
  /** kcp: its URL (only the origin is used) and the CA to verify it with. */
  upstream: { server: string; caData?: string };
  /** Listen address (default 127.0.0.1) and port (default 0: any free one). */
  hostname?: string;
  port?: number;
  /** The view's serving certificate and key (PEM). */
  certPem: string;
  keyPem: string;
  log: Logger;
  /** Largest body of a mapped request (default 3 MiB, as kube-apiserver). */
  maxBodyBytes?: number;
  /** Counts each request by outcome (tests, metrics). */
  onRequest?(mapped: boolean, status: number): void;
}

/** A running edge view. */
export interface EdgeView {
  port: number;
  /** `https://<host>:<port>`. */
  url: string;
  /** Stops listening, ends open watches, releases connections. */
  stop(): Promise<void>;
}

const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "accept-encoding",
];

/** Starts the view; see the module documentation. */
export function startEdgeView(options: EdgeViewOptions): EdgeView {
  const origin = new URL(options.upstream.server).origin;
  if (!origin.startsWith("https://")) {
    throw new Error(`the edge view needs an https kcp server, got ${origin}`);
  }
  const client = Deno.createHttpClient({
    caCerts: options.upstream.caData ? [options.upstream.caData] : undefined,
  });
  const limit = options.maxBodyBytes ?? 3 * 1024 * 1024;
  const stopping = new AbortController();
  const log = options.log;

  const upstream =
    (signal: AbortSignal) =>
    (method: string, pathAndQuery: string, headers: Headers, body?: string | ReadableStream) =>
      fetch(origin + pathAndQuery, {
        method,
        headers,
        body,
        client,
        signal: AbortSignal.any([signal, stopping.signal]),
        redirect: "manual",
      });

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (req.headers.get("upgrade")) {
      return statusResponse(400, "BadRequest", "the edge view does not proxy protocol upgrades");
    }
    if (!req.headers.get("authorization")) {
      return statusResponse(
        401,
        "Unauthorized",
        "the edge view forwards bearer tokens to kcp and this request has none " +
          "(client certificates cannot pass through the view)",
      );
    }
    let mapped;
    try {
      mapped = mapViewPath(url.pathname);
    } catch (e) {
      if (e instanceof BadPathError) return statusResponse(400, "BadRequest", e.message);
      throw e;
    }
    const headers = new Headers();
    for (const [k, v] of req.headers) if (!HOP_BY_HOP.includes(k)) headers.set(k, v);
    const send = upstream(req.signal);
    if (!mapped) {
      const res = await send(req.method, url.pathname + url.search, headers, req.body ?? undefined);
      if (req.method === "GET" && isGroupListPath(url.pathname)) {
        return await withoutDenaturedGroup(res);
      }
      const out = new Headers(res.headers);
      for (const h of ["connection", "keep-alive", "transfer-encoding", "content-length"]) {
        out.delete(h);
      }
      return new Response(res.body, { status: res.status, headers: out });
    }
    let body: string;
    try {
      body = new TextDecoder("utf-8", { fatal: true }).decode(await readBoundedBody(req, limit));
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        return statusResponse(413, "RequestEntityTooLarge", `the body is over ${limit} bytes`);
      }
      return statusResponse(400, "BadRequest", "the request body could not be read as UTF-8");
    }
    return await handleMapped({
      method: req.method,
      mapped,
      query: url.searchParams,
      headers,
      body,
      upstream: send,
    });
  }

  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    cert: options.certPem,
    key: options.keyPem,
    signal: stopping.signal,
    onListen: () => {},
    onError: (e) => {
      log.warn("edge view request failed", { error: e instanceof Error ? e.message : String(e) });
      return statusResponse(502, "BadGateway", "the edge view could not reach kcp");
    },
  }, async (req) => {
    const mapped = (() => {
      try {
        return mapViewPath(new URL(req.url).pathname) !== undefined;
      } catch {
        return false;
      }
    })();
    let res: Response;
    try {
      res = await handle(req);
    } catch (e) {
      if (stopping.signal.aborted || req.signal.aborted) {
        res = statusResponse(503, "ServiceUnavailable", "the edge view is stopping");
      } else {
        log.warn("kcp did not answer the edge view", {
          error: e instanceof Error ? e.message : String(e),
        });
        res = statusResponse(502, "BadGateway", "the edge view could not reach kcp");
      }
    }
    log.debug("request", { method: req.method, path: new URL(req.url).pathname, code: res.status });
    options.onRequest?.(mapped, res.status);
    return res;
  });
  const port = server.addr.port;
  const host = server.addr.hostname.includes(":")
    ? `[${server.addr.hostname}]`
    : server.addr.hostname;
  return {
    port,
    url: `https://${host}:${port}`,
    async stop() {
      stopping.abort();
      await server.finished.catch(() => {});
      client.close();
    },
  };
}
