/**
 * The REST client's transport for requests whose answer is read whole (gets, lists,
 * creates, patches, deletes): a pool of HTTP/1.1 keep-alive connections of our own,
 * with TLS verified against the kubeconfig's CA. Watches and other streamed answers go
 * to the `fetch` transport it wraps.
 *
 * Why not `fetch` for these: a controller's work is thousands of small requests a
 * second (one per mailbox copy), and Deno's `fetch` costs about twice the CPU of a
 * plain HTTP/1.1 exchange per request (its Request, Headers and stream objects, and the
 * garbage they leave), which made the controllers' one JavaScript thread the bound of
 * the fleet benchmark (`docs/performance.md`). `node:https` and undici cost as much as
 * `fetch` under Deno. `KUBESTELLAR_HTTP_TRANSPORT=fetch` turns this transport off.
 *
 * At most {@link MAX_IN_FLIGHT_PER_KEY} requests are in flight per server and client
 * certificate; the others wait their turn.
 *
 * A connection that was idle longer than {@link MAX_IDLE_MS} is closed rather than
 * reused (API servers close idle connections after 90 s). A request on a reused
 * connection that the server had closed before answering is sent once more on a new one.
 *
 * @module
 */
import { ConcurrencyLimit } from "../controller/concurrency_limit.ts";
import { ConnectionClosedError, Http1Connection, type Http1Response } from "./http1_connection.ts";
import type { HttpTransport, TransportRequest, TransportResponse } from "./rest_transport.ts";

/** Longest time a connection waits in the pool. */
export const MAX_IDLE_MS = 30_000;
/** Most idle connections kept per server and client certificate. */
const MAX_IDLE_PER_KEY = 64;
/**
 * Most requests in flight per server and client certificate; more wait for one of them
 * to end. A controller that writes a hundred mailboxes at once would otherwise open a
 * connection per write beyond the idle pool's size and close it again, a TLS handshake
 * on both sides each time (client-go shares one HTTP/2 connection instead).
 */
export const MAX_IN_FLIGHT_PER_KEY = 32;
/**
 * How long a request waits for its turn before it opens a connection beyond the limit
 * anyway: requests the server never answers (there is no timeout by default) cannot
 * hold the others up for good.
 */
export const MAX_TURN_WAIT_MS = 5_000;

interface Idle {
  conn: Http1Connection;
  since: number;
}

/** The connections to one server with one client certificate. */
interface Route {
  idle: Idle[];
  /** Turns for requests in flight. */
  slots: ConcurrencyLimit;
}

/** Statuses whose Response must have no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** `Http1Transport`'s figures (read by tests). */
export interface Http1Counters {
  /** Connections opened. */
  opened: number;
  /** Requests sent on a pooled connection. */
  reused: number;
  /** Requests sent again after a pooled connection turned out closed. */
  resent: number;
  /** Requests that waited for a turn (more than `maxInFlight` in flight). */
  waited: number;
}

/** HTTP/1.1 keep-alive for whole answers; `streamed` for the rest. */
export class Http1Transport implements HttpTransport {
  readonly #caCerts: string[] | undefined;
  readonly #streamed: HttpTransport;
  /** Idle connections and requests in flight by origin, then by client certificate ("" for none). */
  readonly #routes = new Map<string, Map<string, Route>>();
  readonly #busy = new Set<Http1Connection>();
  readonly #maxInFlight: number;
  readonly counters: Http1Counters = { opened: 0, reused: 0, resent: 0, waited: 0 };
  #closed = false;

  constructor(
    caData: string | undefined,
    streamed: HttpTransport,
    options: { maxInFlight?: number } = {},
  ) {
    this.#caCerts = caData ? [caData] : undefined;
    this.#streamed = streamed;
    this.#maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT_PER_KEY;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    if (request.streaming) return await this.#streamed.send(request);
    // The client's URLs are absolute and normalized: split, not parsed again.
    const pathAt = request.url.indexOf("/", request.url.indexOf("//") + 2);
    const origin = pathAt < 0 ? request.url : request.url.slice(0, pathAt);
    const target = pathAt < 0 ? "/" : request.url.slice(pathAt);
    const cert = request.clientCert;
    const route = this.#routeFor(origin, cert?.certData ?? "");
    const headers = { Host: origin.slice(origin.indexOf("//") + 2), ...request.headers };
    const signal = request.signal;
    if (!route.slots.free) this.counters.waited++;
    await route.slots.acquire({ signal, maxWaitMs: MAX_TURN_WAIT_MS });
    try {
      return await this.#exchange(route, origin, target, headers, request);
    } finally {
      route.slots.release();
    }
  }

  async #exchange(
    route: Route,
    origin: string,
    target: string,
    headers: Record<string, string | string[]>,
    request: TransportRequest,
  ): Promise<TransportResponse> {
    const idle = route.idle;
    const cert = request.clientCert;
    const signal = request.signal;
    for (let attempt = 0;; attempt++) {
      signal?.throwIfAborted();
      const pooled = take(idle);
      if (pooled) this.counters.reused++;
      const conn = pooled ?? await this.#open(new URL(origin), cert, signal);
      const onAbort = () => conn.close();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#busy.add(conn);
      let res: Http1Response;
      try {
        res = await conn.exchange(request.method, target, headers, request.body);
      } catch (e) {
        signal?.throwIfAborted();
        if (pooled && attempt === 0 && closedBeforeAnswer(e)) {
          this.counters.resent++;
          continue;
        }
        throw e;
      } finally {
        signal?.removeEventListener("abort", onAbort);
        this.#busy.delete(conn);
      }
      if (res.reusable) this.#put(idle, conn);
      return new WholeResponse(res);
    }
  }

  async #open(
    url: URL,
    cert: TransportRequest["clientCert"],
    signal: AbortSignal | undefined,
  ): Promise<Http1Connection> {
    const opening = Http1Connection.open(url, {
      caCerts: this.#caCerts,
      cert: cert?.certData,
      key: cert?.keyData,
    });
    this.counters.opened++;
    if (!signal) return await opening;
    // A connect cannot be cancelled: an abort answers at once, the late connection is closed.
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([opening, aborted]);
    } catch (e) {
      opening.then((c) => c.close(), () => {});
      throw e;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** The connections of one server and client certificate. */
  #routeFor(origin: string, cert: string): Route {
    let byCert = this.#routes.get(origin);
    if (!byCert) this.#routes.set(origin, byCert = new Map());
    let route = byCert.get(cert);
    if (!route) {
      byCert.set(cert, route = { idle: [], slots: new ConcurrencyLimit(this.#maxInFlight) });
    }
    return route;
  }

  #put(list: Idle[], conn: Http1Connection): void {
    if (this.#closed || list.length >= MAX_IDLE_PER_KEY) return conn.close();
    list.push({ conn, since: Date.now() });
  }

  close(): void {
    this.#closed = true;
    for (const byCert of this.#routes.values()) {
      for (const route of byCert.values()) for (const idle of route.idle) idle.conn.close();
    }
    this.#routes.clear();
    for (const conn of this.#busy) conn.close();
    this.#streamed.close();
  }
}

/** The newest pooled connection that is still fit to reuse. */
function take(list: Idle[]): Http1Connection | undefined {
  const now = Date.now();
  while (list.length) {
    const idle = list.pop()!;
    if (!idle.conn.closed && now - idle.since < MAX_IDLE_MS) return idle.conn;
    idle.conn.close();
  }
  return undefined;
}

/** The server closed a pooled connection before sending any of its answer. */
function closedBeforeAnswer(e: unknown): boolean {
  return e instanceof ConnectionClosedError && e.beforeResponse;
}

const utf8 = new TextDecoder();

/**
 * An answer read whole, as the client reads it: cheaper than building a `Response`
 * (its Headers and body objects) for each of many small answers.
 */
class WholeResponse implements TransportResponse {
  readonly status: number;
  readonly #res: Http1Response;

  constructor(res: Http1Response) {
    this.status = res.status;
    this.#res = res;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  readonly headers = {
    get: (name: string): string | null => {
      const lower = name.toLowerCase();
      const values = this.#res.headers.filter(([k]) => k.toLowerCase() === lower);
      return values.length ? values.map(([, v]) => v).join(", ") : null;
    },
  };

  get body(): ReadableStream<Uint8Array> | null {
    if (NULL_BODY.has(this.status)) return null;
    const bytes = this.#res.body;
    return new ReadableStream({
      start(c) {
        if (bytes.length) c.enqueue(bytes);
        c.close();
      },
    });
  }

  text(): Promise<string> {
    return Promise.resolve(utf8.decode(this.#res.body));
  }

  discard(): Promise<void> {
    return Promise.resolve();
  }
}
