/**
 * The HTTP endpoint every controller process serves on loopback: `/healthz`,
 * `/readyz` (ok once the informers have synced) and `/metrics` (Prometheus text).
 *
 * @module
 */
import type { MetricsRegistry } from "./metrics.ts";

/** Options of `serveHealth`. */
export interface HealthServerOptions {
  /** Port (0 picks a free one). */
  port: number;
  /** Address (default 127.0.0.1). */
  hostname?: string;
  metrics: MetricsRegistry;
  /** True once the process is ready. */
  ready: () => boolean;
  signal?: AbortSignal;
}

/** A running health server. */
export interface HealthServer {
  port: number;
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

/** Starts the server. */
export function serveHealth(options: HealthServerOptions): HealthServer {
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname ?? "127.0.0.1",
    signal: options.signal,
    onListen: () => {},
  }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/healthz" || path === "/livez") return new Response("ok");
    if (path === "/readyz") {
      return options.ready() ? new Response("ok") : new Response("not ready", { status: 503 });
    }
    if (path === "/metrics") {
      return new Response(options.metrics.render(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    }
    return new Response("not found", { status: 404 });
  });
  return { port: server.addr.port, finished: server.finished, shutdown: () => server.shutdown() };
}
