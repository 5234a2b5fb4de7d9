/**
 * One request and its reply on kcp-lite's HTTP/1.1 connections ({@link
 * ./http1_server_connection.ts}): the part of Node's `IncomingMessage` and `ServerResponse`
 * that kcp-lite's handlers use, with the same names and events, so a handler reads as it
 * would on `node:http`.
 *
 * - {@link ServerRequest}: `method`, `url`, `headers` (lower-case names), `socket` (the TLS
 *   socket, for the client certificate), `complete`; the body as `data` events then `end`
 *   (buffered until a `data` listener or `resume()` asks for it, which also discards it),
 *   then `close`; `bodyIfComplete()` hands over a body that is all in without an event.
 * - {@link ServerReply}: `statusCode`, `setHeader`, `writeHead`, `flushHeaders`, `write`,
 *   `end`, `headersSent`, `writableEnded`, `writableLength`, `destroyed`, `destroy()`; events
 *   `drain`, `finish` (all written to the socket) and `close` (finished or the connection
 *   went away), each once. A body whose length is not known when the head goes out is
 *   sent chunked; `HEAD`, 204 and 304 replies carry no body.
 *
 * @module
 */
import { EventEmitter } from "node:events";
import type { TLSSocket } from "node:tls";
import { type Http1RequestHead, isHeaderName } from "./http1_request_parser.ts";
import { concatBytes } from "../../http/concat_bytes.ts";

const encoder = new TextEncoder();
/** Unread body bytes a request holds before the connection stops reading. */
const BODY_BACKLOG_BYTES = 64 * 1024;
/** Bodies up to this size go out in one write with their head. */
const JOINED_WRITE_BYTES = 64 * 1024;

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  417: "Expectation Failed",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

/** The reason phrase of a status code. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "Unknown";
}

let dateSecond = 0;
let dateText = "";
/** The `Date` header's value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** What a request and its reply need from their connection. */
export interface ExchangeConnection {
  readonly socket: TLSSocket;
  /** Stop or go on reading the socket (a body nobody reads yet piles up). */
  backlog(full: boolean): void;
  /** The reply's last bytes were handed to the socket; `close` ends the connection. */
  replyEnded(reply: ServerReply, close: boolean): void;
}

/** A request being served; see the module documentation. */
export class ServerRequest extends EventEmitter {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly headers: Record<string, string | undefined>;
  /** The whole body has arrived. */
  complete = false;
  readonly #conn: ExchangeConnection;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #flowing = false;
  #scheduled = false;
  #delivered = false;
  #closed = false;

  constructor(head: Http1RequestHead, conn: ExchangeConnection) {
    super();
    this.method = head.method;
    this.url = head.url;
    this.httpVersion = head.httpVersion;
    this.headers = head.headers as Record<string, string | undefined>;
    this.#conn = conn;
  }

  get socket(): TLSSocket {
    return this.#conn.socket;
  }

  override on(event: string | symbol, listener: Parameters<EventEmitter["on"]>[1]): this {
    super.on(event, listener);
    if (event === "data") this.#flow();
    return this;
  }

  /** Reads the body and drops it unless a `data` listener takes it. */
  resume(): this {
    this.#flow();
    return this;
  }

  /** The body, when all of it is in and nothing read it yet; it counts as read. */
  bodyIfComplete(): Uint8Array | undefined {
    if (!this.complete || this.#flowing || this.#delivered) return undefined;
    const body = this.#chunks.length === 1 ? this.#chunks[0] : concatBytes(this.#chunks);
    this.#chunks = [];
    this.#buffered = 0;
    this.#flowing = true;
    this.#delivered = true;
    this.#conn.backlog(false);
    queueMicrotask(() => this.#close());
    return body;
  }

  /** Body bytes from the connection. */
  pushBody(bytes: Uint8Array): void {
    if (this.#flowing && !this.#scheduled) {
      this.emit("data", bytes);
      return;
    }
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
    if (!this.#flowing && this.#buffered > BODY_BACKLOG_BYTES) this.#conn.backlog(true);
  }

  /** The body's end from the connection. */
  endBody(): void {
    this.complete = true;
    if (this.#flowing && !this.#scheduled) this.#deliverEnd();
  }

  /** The connection went away before the request was done. */
  abort(): void {
    if (this.#closed) return;
    if (!this.complete && this.listenerCount("error") > 0) {
      this.emit("error", new Error("aborted"));
    }
    this.#close();
  }

  #flow(): void {
    if (this.#flowing) return;
    this.#flowing = true;
    this.#scheduled = true;
    // Listeners attached together (data, end, close) all see the buffered body.
    queueMicrotask(() => {
      this.#scheduled = false;
      const chunks = this.#chunks;
      this.#chunks = [];
      this.#buffered = 0;
      this.#conn.backlog(false);
      for (const chunk of chunks) this.emit("data", chunk);
      if (this.complete) this.#deliverEnd();
    });
  }

  #deliverEnd(): void {
    if (this.#delivered) return;
    this.#delivered = true;
    this.emit("end");
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit("close");
  }
}

type HeaderValue = string | number | readonly string[];

/** The reply to a {@link ServerRequest}; see the module documentation. */
export class ServerReply extends EventEmitter {
  statusCode = 200;
  /** The head was made (by `writeHead`, a write or the end). */
  headersSent = false;
  writableEnded = false;
  readonly #req: ServerRequest;
  readonly #conn: ExchangeConnection;
  readonly #headers = new Map<string, [string, HeaderValue]>();
  /** The head is made and waits for the first bytes to go out with. */
  #head: string | undefined;
  #chunked = false;
  #noBody: boolean;
  #closeAfter: boolean;
  #closed = false;

  constructor(req: ServerRequest, conn: ExchangeConnection, closeAfter: boolean) {
    super();
    this.#req = req;
    this.#conn = conn;
    this.#noBody = req.method === "HEAD";
    this.#closeAfter = closeAfter;
  }

  get socket(): TLSSocket {
    return this.#conn.socket;
  }

  /** Bytes written and not yet sent by the socket. */
  get writableLength(): number {
    return this.#conn.socket.writableLength;
  }

  get destroyed(): boolean {
    return this.#closed || this.#conn.socket.destroyed;
  }

  setHeader(name: string, value: HeaderValue): this {
    if (this.headersSent) throw new Error("the headers were already sent");
    checkHeader(name, value);
    this.#headers.set(name.toLowerCase(), [name, value]);
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.#headers.get(name.toLowerCase())?.[1];
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  writeHead(status: number, headers?: Record<string, HeaderValue>): this {
    if (this.headersSent) throw new Error("the headers were already sent");
    if (headers) { for (const [k, v] of Object.entries(headers)) this.setHeader(k, v); }
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }

  /** Sends the head now (a body to follow is chunked unless its length was set). */
  flushHeaders(): void {
    if (this.#head === undefined && !this.writableEnded) this.#send(this.#makeHead(undefined));
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.writableEnded) return false;
    const body = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    const head = this.#head === undefined ? this.#makeHead(undefined) : "";
    if (body.length === 0 && head === "") return true;
    return this.#send(head, this.#frame(body));
  }

  end(chunk?: string | Uint8Array): this {
    if (this.writableEnded) return this;
    this.writableEnded = true;
    const body = chunk === undefined
      ? new Uint8Array(0)
      : typeof chunk === "string"
      ? encoder.encode(chunk)
      : chunk;
    if (!this.#req.complete) this.#closeAfter = true;
    const head = this.#head === undefined ? this.#makeHead(body.length) : "";
    const last = this.#chunked && !this.#noBody
      ? concatBytes([this.#frame(body), encoder.encode("0\r\n\r\n")])
      : this.#frame(body);
    this.#send(head, last, () => this.#finished());
    this.#conn.replyEnded(this, this.#closeAfter);
    return this;
  }

  destroy(): void {
    this.#conn.socket.destroy();
    this.connectionClosed();
  }

  /** The connection closed: `close`, once. */
  connectionClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit("close");
  }

  #finished(): void {
    if (this.#closed) return;
    this.emit("finish");
    this.connectionClosed();
  }

  /** The head's text; `length` is the whole body's when it is known now. */
  #makeHead(length: number | undefined): string {
    this.headersSent = true;
    const status = this.statusCode;
    const noBody = this.#noBody || status === 204 || status === 304 || status < 200;
    if (noBody) this.#noBody = true;
    let text = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
    for (const [name, value] of this.#headers.values()) {
      if (Array.isArray(value)) { for (const v of value) text += `${name}: ${v}\r\n`; }
      else text += `${name}: ${value}\r\n`;
    }
    if (!this.#headers.has("date")) text += `Date: ${httpDate()}\r\n`;
    if (!this.#headers.has("content-length") && !(noBody && this.#req.method !== "HEAD")) {
      if (length !== undefined) text += `Content-Length: ${length}\r\n`;
      else if (this.#req.httpVersion === "1.1") {
        this.#chunked = true;
        text += "Transfer-Encoding: chunked\r\n";
      } else this.#closeAfter = true;
    }
    if (this.#closeAfter) text += "Connection: close\r\n";
    else if (this.#req.httpVersion === "1.0") text += "Connection: keep-alive\r\n";
    this.#head = text + "\r\n";
    return this.#head;
  }

  /** Body bytes as they go on the wire (a chunk when chunked; nothing without a body). */
  #frame(body: Uint8Array): Uint8Array {
    if (this.#noBody || body.length === 0) return new Uint8Array(0);
    if (!this.#chunked) return body;
    return concatBytes([encoder.encode(`${body.length.toString(16)}\r\n`), body, CRLF]);
  }

  #send(head: string, body: Uint8Array = new Uint8Array(0), done?: () => void): boolean {
    const socket = this.#conn.socket;
    if (socket.destroyed) {
      if (done) queueMicrotask(done);
      return false;
    }
    const headBytes = head === "" ? undefined : encoder.encode(head);
    const callback = done ? () => done() : undefined;
    if (!headBytes && body.length === 0) {
      if (done) socket.write(EMPTY, callback);
      return true;
    }
    if (headBytes && body.length > 0 && body.length <= JOINED_WRITE_BYTES) {
      return socket.write(concatBytes([headBytes, body]), callback);
    }
    if (headBytes && body.length === 0) return socket.write(headBytes, callback);
    if (headBytes) socket.write(headBytes);
    return socket.write(body, callback);
  }
}

const CRLF = new Uint8Array([13, 10]);
const EMPTY = new Uint8Array(0);

/** Refuses header names that are not tokens and values that would break the head. */
function checkHeader(name: string, value: HeaderValue): void {
  if (!isHeaderName(name)) {
    throw new TypeError(`invalid header name: ${JSON.stringify(name)}`);
  }
  const values = Array.isArray(value) ? value : [String(value)];
  for (const v of values) {
    if (/[\r\n\0]/.test(v)) throw new TypeError(`header ${name} holds a line break`);
  }
}
