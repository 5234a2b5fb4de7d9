/**
 * kcp-lite's side of one HTTP/1.1 connection over TLS: reads requests with {@link
 * Http1RequestParser}, hands each to the handler as a {@link ServerRequest} and {@link
 * ServerReply}, one at a time (a pipelined request waits until the reply before it has
 * ended), and keeps the connection open between requests.
 *
 * Why not `node:https`: kcp-lite answers many small requests (a fleet's mailbox writes),
 * and through Deno's Node-compatible HTTP server each cost about 140 µs of CPU before the
 * handler ran, against about 66 µs for the same exchange framed here on the same TLS socket
 * (measured with an empty handler; see docs/kcp-lite.md). `Deno.serve` would be cheaper
 * still, but it cannot ask for client certificates, which kcp-lite authenticates.
 *
 * The connection ends:
 * - after a reply when the request asked for it (`Connection: close`, or HTTP/1.0 without
 *   `keep-alive`), or when the reply went out before the request's body was all in (an
 *   early 401 or 413: the rest of the body cannot be told from a next request);
 * - after a request the parser refuses (answered with its 4xx or 5xx status);
 * - after `idleMs` without a request in progress (the first request's deadline is the
 *   listener's, see {@link ./connection_guard.ts}).
 *
 * @module
 */
import type { TLSSocket } from "node:tls";
import {
  type Http1ParserLimits,
  Http1RequestError,
  type Http1RequestHead,
  Http1RequestParser,
} from "./http1_request_parser.ts";
import {
  type ExchangeConnection,
  reasonPhrase,
  ServerReply,
  ServerRequest,
} from "./http1_exchange.ts";
import { concatBytes } from "../../http/concat_bytes.ts";

/** Serves one request; the reply may end later. */
export type Http1Handler = (req: ServerRequest, res: ServerReply) => void;

/** How a connection is served. */
export interface Http1ConnectionOptions {
  handler: Http1Handler;
  limits?: Http1ParserLimits;
  /** Between requests, the connection is closed after this long. */
  idleMs: number;
  /** The first request's head is in (the listener stops its own deadline). */
  onFirstRequest?: () => void;
}

/** Received bytes of pipelined requests held before the connection stops reading. */
const PIPELINE_BACKLOG_BYTES = 1024 * 1024;
const encoder = new TextEncoder();
/** After the last reply of a closing connection, how long the peer has to close its side. */
const CLOSE_GRACE_MS = 5_000;

/** Serves the requests of one TLS connection; see the module documentation. */
export class Http1ServerConnection implements ExchangeConnection {
  readonly socket: TLSSocket;
  readonly #options: Http1ConnectionOptions;
  readonly #parser: Http1RequestParser;
  /** The request being served and its reply, until the reply ends. */
  #request: ServerRequest | undefined;
  #reply: ServerReply | undefined;
  /** The request whose body is being read. */
  #body: ServerRequest | undefined;
  /** A request whose head is in and whose handler has not run yet. */
  #pending: { req: ServerRequest; res: ServerReply } | undefined;
  #pumping = false;
  #closing = false;
  #peerEnded = false;
  #bodyBacklog = false;
  #pipelineBacklog = false;
  #served = 0;
  #idleSince = performance.now();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: TLSSocket, options: Http1ConnectionOptions) {
    this.socket = socket;
    this.#options = options;
    this.#parser = new Http1RequestParser(options.limits);
    socket.on("data", (chunk: Uint8Array) => {
      if (this.#closing) return;
      this.#parser.feed(chunk);
      this.#pump();
    });
    socket.on("end", () => {
      this.#peerEnded = true;
      if (this.#reply === undefined) socket.destroy();
    });
    socket.on("drain", () => this.#reply?.emit("drain"));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.#closing = true;
      clearTimeout(this.#timer);
      this.#request?.abort();
      this.#reply?.connectionClosed();
    });
    this.#armIdleTimer(options.idleMs);
  }

  /** Requests served on this connection so far. */
  get served(): number {
    return this.#served;
  }

  backlog(full: boolean): void {
    this.#bodyBacklog = full;
    this.#updateReading();
  }

  replyEnded(reply: ServerReply, close: boolean): void {
    if (reply !== this.#reply) return;
    this.#reply = undefined;
    this.#request = undefined;
    this.#idleSince = performance.now();
    if (close || this.#peerEnded) {
      this.#closing = true;
      reply.once("close", () => this.#end());
      return;
    }
    this.#updateReading();
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closing) {
        // A pipelined request waits until the reply before it has ended.
        if (this.#body === undefined && this.#reply !== undefined) break;
        let event;
        try {
          event = this.#parser.next();
        } catch (error) {
          this.#refuse(error);
          return;
        }
        if (event === undefined) break;
        if (event.kind === "head") this.#start(event);
        else if (event.kind === "data") this.#body?.pushBody(event.bytes);
        else {
          const req = this.#body;
          this.#body = undefined;
          req?.endBody();
          this.#dispatch();
        }
      }
      this.#dispatch();
    } finally {
      this.#pumping = false;
    }
    this.#updateReading();
  }

  #start(head: Http1RequestHead): void {
    if (this.#served++ === 0) this.#options.onFirstRequest?.();
    const req = new ServerRequest(head, this);
    const connection = String(head.headers.connection ?? "").toLowerCase();
    const close = head.httpVersion === "1.0"
      ? !/\bkeep-alive\b/.test(connection)
      : /\bclose\b/.test(connection);
    const res = new ServerReply(req, this, close);
    this.#request = req;
    this.#reply = res;
    this.#pending = { req, res };
    if (!head.hasBody) {
      req.endBody();
      return;
    }
    this.#body = req;
    const expect = head.headers.expect as string | undefined;
    if (expect !== undefined) {
      if (expect.toLowerCase() !== "100-continue") {
        this.#pending = undefined;
        this.#request = undefined;
        this.#reply = undefined;
        this.#refuse(new Http1RequestError(417, `unsupported expectation: ${expect}`));
        return;
      }
      this.socket.write(encoder.encode("HTTP/1.1 100 Continue\r\n\r\n"));
    }
  }

  /** Runs the handler of the request whose head came in. */
  #dispatch(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    try {
      this.#options.handler(pending.req, pending.res);
    } catch {
      if (!pending.res.headersSent) {
        pending.res.writeHead(500, { "Content-Type": "text/plain" }).end("internal error\n");
      } else this.socket.destroy();
    }
  }

  /** Answers a request the parser refused, then closes the connection. */
  #refuse(error: unknown): void {
    this.#closing = true;
    if (this.#reply !== undefined || !(error instanceof Http1RequestError)) {
      // A body went wrong mid-request: its handler sees the request aborted.
      this.socket.destroy();
      return;
    }
    const reason = reasonPhrase(error.status);
    const body = encoder.encode(`${error.status} ${reason}: ${error.message}\n`);
    const head = `HTTP/1.1 ${error.status} ${reason}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    this.socket.write(concatBytes([encoder.encode(head), body]));
    this.#end();
  }

  /**
   * Ends the connection after what was written: TLS close_notify, then FIN; a peer that
   * does not close its side in `CLOSE_GRACE_MS` is cut off.
   */
  #end(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    this.socket.once("close", () => clearTimeout(timer));
  }

  /** Reads unless a body nobody reads or pipelined requests pile up. */
  #updateReading(): void {
    this.#pipelineBacklog = this.#reply !== undefined && this.#body === undefined &&
      this.#parser.buffered() > PIPELINE_BACKLOG_BYTES;
    const stop = this.#bodyBacklog || this.#pipelineBacklog;
    if (stop && !this.socket.isPaused()) this.socket.pause();
    else if (!stop && this.socket.isPaused()) this.socket.resume();
  }

  /** One timer per connection, re-armed when it fires, closes it once idle for `idleMs`. */
  #armIdleTimer(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.#closing || this.socket.destroyed) return;
      if (this.#reply !== undefined) return this.#armIdleTimer(this.#options.idleMs);
      const idle = performance.now() - this.#idleSince;
      if (idle >= this.#options.idleMs) this.socket.destroy();
      else this.#armIdleTimer(this.#options.idleMs - idle);
    }, Math.max(1, ms));
  }
}
