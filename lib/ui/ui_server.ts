/**
 * The HTTP server of `kubestellar ui`: the single-page app and its JSON API, every
 * request authenticated with the run's token (`?token=` or `Authorization: Bearer`;
 * anything else gets 401 before any other check). Read-only by construction: the only
 * POST is the what-if, which computes and writes nothing. Hostile input gets a 4xx:
 * bad paths and parameters 400, bodies over 64 KiB 413, other media types 415, other
 * methods 405, too many event streams 429. Responses are never cached, never framed,
 * never sent with a Referer (the token is in the page's address); the page runs under
 * a Content-Security-Policy that allows only its own inline script and style.
 *
 * | path | answer |
 * | --- | --- |
 * | `GET /` | the page |
 * | `GET /api/hub` | the hub's state (`HubStatus`) |
 * | `GET /api/fleet` | `FleetView` |
 * | `GET /api/placements` | `PlacementsView` |
 * | `GET /api/placements/WMW/NAME?offset&limit&q&state` | `PlacementDetail` |
 * | `POST /api/whatif` | `WhatIfView` |
 * | `GET /api/events` | server-sent events `hello`, `change` |
 *
 * @module
 */
import { BodyTooLargeError, readBoundedBody } from "../http/bounded_body.ts";
import type { ChangeFeed } from "./change_feed.ts";
import type { CopyStateName } from "./copy_state.ts";
import type { FleetModel } from "./fleet_model.ts";
import { fleetView } from "./fleet_view.ts";
import { placementDetail, placementsView } from "./placement_view.ts";
import { sameToken, tokenOf } from "./ui_token.ts";
import { whatIf, WhatIfError } from "./whatif.ts";

/** The page and the policy it runs under. */
export interface UiPage {
  html: string;
  csp: string;
}

/** Options of `startUiServer`. */
export interface UiServerOptions {
  hostname: string;
  port: number;
  token: string;
  model: FleetModel;
  feed: ChangeFeed;
  page: UiPage;
}

/** A running server. */
export interface UiServer {
  hostname: string;
  port: number;
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const STATES = new Set<CopyStateName>(["pending", "mailbox", "edge", "status", "error", "unknown"]);

const COMMON = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...COMMON, "content-type": "application/json; charset=utf-8" },
  });
}

function problem(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { ...COMMON, ...extra, "content-type": "application/json; charset=utf-8" },
  });
}

function intParam(url: URL, name: string, max: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) > max) {
    throw new HttpError(400, `${name} must be a whole number from 0 to ${max}`);
  }
  return Number(v);
}

function segment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, "malformed path");
  }
}

async function readBody(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "send application/json");
  let bytes: Uint8Array;
  try {
    bytes = await readBoundedBody(req, MAX_BODY);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw new HttpError(413, e.message);
    throw e;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
}

/** Answers one request (exported for tests). */
export async function handle(req: Request, o: Omit<UiServerOptions, "hostname" | "port">) {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return problem(400, "malformed URL");
  }
  if (!sameToken(o.token, tokenOf(req, url))) {
    return problem(401, "this needs the token kubestellar ui printed (?token= or Bearer)", {
      "www-authenticate": 'Bearer realm="kubestellar-ui"',
    });
  }
  const path = url.pathname;
  const method = req.method === "HEAD" ? "GET" : req.method;
  const allowed = path === "/api/whatif" ? "POST" : "GET";
  if (method !== allowed) return problem(405, `use ${allowed}`, { allow: allowed });
  const gen = o.feed.generation;
  try {
    if (path === "/" || path === "/index.html") {
      return new Response(o.page.html, {
        headers: {
          ...COMMON,
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": o.page.csp,
        },
      });
    }
    if (path === "/api/hub") return json(o.model.health.status());
    if (path === "/api/fleet") return json(fleetView(o.model, gen));
    if (path === "/api/placements") return json(placementsView(o.model, gen));
    const m = /^\/api\/placements\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const state = url.searchParams.get("state") || undefined;
      if (state && !STATES.has(state as CopyStateName)) {
        throw new HttpError(400, `state must be one of ${[...STATES].join(", ")}`);
      }
      const q = url.searchParams.get("q") ?? undefined;
      if (q && q.length > 200) throw new HttpError(400, "q is limited to 200 characters");
      const detail = placementDetail(o.model, segment(m[1]), segment(m[2]), {
        offset: intParam(url, "offset", 1_000_000),
        limit: intParam(url, "limit", 200),
        q,
        state: state as CopyStateName | undefined,
      }, gen);
      if (detail) return json(detail);
      return problem(404, `no EdgePlacement ${segment(m[2])} in ${segment(m[1])}`);
    }
    if (path === "/api/whatif") return json(whatIf(o.model, await readBody(req) as never));
    if (path === "/api/events") {
      const body = o.feed.open({ hub: o.model.health.status() });
      if (!body) return problem(429, "too many event streams are open");
      return new Response(body, {
        headers: {
          ...COMMON,
          "content-type": "text/event-stream; charset=utf-8",
          "x-accel-buffering": "no",
        },
      });
    }
    return problem(404, "not found");
  } catch (e) {
    if (e instanceof HttpError) return problem(e.status, e.message);
    if (e instanceof WhatIfError) return problem(400, e.message);
    throw e;
  }
}

/** Starts serving; resolves once listening. */
export function startUiServer(options: UiServerOptions): UiServer {
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: () => {},
    onError: () => problem(500, "internal error"),
  }, (req) => handle(req, options));
  const addr = server.addr as Deno.NetAddr;
  return {
    hostname: addr.hostname,
    port: addr.port,
    finished: server.finished,
    shutdown: () => server.shutdown(),
  };
}
