/**
 * One HTTP/1.1 keep-alive connection (TLS or plain TCP): writes a request and reads its
 * response whole (`Content-Length`, chunked, or up to the close), as RFC 9112 frames it.
 * Used by `Http1Transport` for the many small requests a controller makes; see there
 * for why.
 *
 * @example
 * ```ts
 * const conn = await Http1Connection.open(new URL("https://127.0.0.1:6443"), { caCerts: [ca] });
 * const res = await conn.exchange("GET", "/version", { host: "127.0.0.1:6443" }, undefined);
 * console.log(res.status, new TextDecoder().decode(res.body), res.reusable);
 * ```
 *
 * @module
 */
import { concatBytes } from "../http/concat_bytes.ts";

/** A response read whole. */
export interface Http1Response {
  status: number;
  /** Header lines as received (names in the server's case). */
  headers: [string, string][];
  body: Uint8Array;
  /** The connection may carry another request. */
  reusable: boolean;
}

/** TLS settings of a connection. */
export interface Http1Tls {
  caCerts?: string[];
  cert?: string;
  key?: string;
}

/** The connection ended before a whole response arrived. */
export class ConnectionClosedError extends Error {
  constructor(
    /** No byte of the response had arrived. */
    readonly beforeResponse: boolean,
    options?: ErrorOptions,
  ) {
    super(
      beforeResponse ? "connection closed before the response" : "connection closed early",
      options,
    );
    this.name = "ConnectionClosedError";
  }
}

/** Largest response head accepted (the status line and the header lines). */
const MAX_HEAD_BYTES = 1 << 20;
const CRLF_CRLF = [13, 10, 13, 10];
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");
/** Requests up to this many bytes are encoded into buffers the connection keeps. */
const REUSED_REQUEST_BYTES = 16 * 1024;
/** The read buffer's first size, and its size again after a large answer. */
const READ_BUFFER_BYTES = 16 * 1024;
/** A read buffer grown beyond this (a large list read whole) is not kept. */
const MAX_KEPT_READ_BUFFER_BYTES = 64 * 1024;

/** One header line; a value with a line break would end the head early, so it is refused. */
function headerLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError(`header ${name} holds a line break`);
  return `${name}: ${value}\r\n`;
}

/** A keep-alive connection; one request at a time. */
export class Http1Connection {
  readonly #conn: Deno.Conn;
  #buf = new Uint8Array(READ_BUFFER_BYTES);
  #start = 0;
  #end = 0;
  #closed = false;
  /** Some byte of the current exchange's response has arrived. */
  #received = false;
  /** Where small requests are encoded (see `#requestBytes`); made at the first one. */
  #requestBuf: Uint8Array | undefined;
  #bodyBuf: Uint8Array | undefined;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Connects to `url`'s host (TLS for https, verified against `tls.caCerts` or the system roots). */
  static async open(url: URL, tls: Http1Tls): Promise<Http1Connection> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const https = url.protocol === "https:";
    const port = Number(url.port || (https ? 443 : 80));
    const conn = https
      ? await Deno.connectTls({
        hostname,
        port,
        caCerts: tls.caCerts,
        alpnProtocols: ["http/1.1"],
        ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      })
      : await Deno.connect({ hostname, port });
    return new Http1Connection(conn);
  }

  /** Bytes held by the read buffer (its capacity, not what it holds now). */
  get readBufferBytes(): number {
    return this.#buf.length;
  }

  /** The connection was closed (by either side). */
  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  /**
   * Sends one request and reads its response. Throws `ConnectionClosedError` when the
   * server closed the connection first; any failure closes the connection.
   */
  async exchange(
    method: string,
    target: string,
    headers: Record<string, string | string[]>,
    body: string | undefined,
  ): Promise<Http1Response> {
    try {
      this.#received = this.#end > this.#start;
      await this.#writeAll(this.#requestBytes(method, target, headers, body));
      const response = await this.#readResponse(method);
      this.#shrinkReadBuffer();
      return response;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * The request's bytes: head and body in one array, so that they go out in one write. A
   * request of up to {@link REUSED_REQUEST_BYTES} is encoded into this connection's own
   * buffers, reused by its next request (it is written whole before that one starts), so
   * that the many small requests of a controller allocate no bytes of their own.
   */
  #requestBytes(
    method: string,
    target: string,
    headers: Record<string, string | string[]>,
    body: string | undefined,
  ): Uint8Array {
    let head = `${method} ${target} HTTP/1.1\r\n`;
    for (const k in headers) {
      const v = headers[k];
      if (typeof v === "string") head += headerLine(k, v);
      else for (const one of v) head += headerLine(k, one);
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const small = (head.length + (body?.length ?? 0)) * 3 + 256 <= REUSED_REQUEST_BYTES;
    let bodyBytes: Uint8Array | undefined;
    if (body !== undefined) {
      if (small) {
        const scratch = this.#bodyBuf ??= new Uint8Array(REUSED_REQUEST_BYTES);
        bodyBytes = scratch.subarray(0, encoder.encodeInto(body, scratch).written);
      } else bodyBytes = encoder.encode(body);
    }
    if (bodyBytes) head += `Content-Length: ${bodyBytes.length}\r\n`;
    else if (method === "POST" || method === "PUT" || method === "PATCH") {
      head += "Content-Length: 0\r\n";
    }
    head += "\r\n";
    if (!small) {
      const headBytes = encoder.encode(head);
      return bodyBytes ? concatBytes([headBytes, bodyBytes]) : headBytes;
    }
    const out = this.#requestBuf ??= new Uint8Array(REUSED_REQUEST_BYTES);
    const headLength = encoder.encodeInto(head, out).written;
    if (bodyBytes) out.set(bodyBytes, headLength);
    return out.subarray(0, headLength + (bodyBytes?.length ?? 0));
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    try {
      for (let off = 0; off < bytes.length;) off += await this.#conn.write(bytes.subarray(off));
    } catch (e) {
      throw closedBy(e, true);
    }
  }

  /** Reads more bytes into the buffer; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    if (this.#start > 0 && this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      const live = this.#end - this.#start;
      const next = live * 2 > this.#buf.length ? new Uint8Array(this.#buf.length * 2) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
      this.#start = 0;
      this.#end = live;
    }
    let n: number | null;
    try {
      n = await this.#conn.read(this.#buf.subarray(this.#end));
    } catch (e) {
      throw closedBy(e, !this.#received);
    }
    if (n === null) return false;
    this.#received = true;
    this.#end += n;
    return true;
  }

  /**
   * Back to a small read buffer after a large answer: a pooled connection that once read
   * a list of 10,000 objects would otherwise keep a buffer of megabytes for its life (the
   * answer's body was copied out by `#take`, so nothing else refers to it).
   */
  #shrinkReadBuffer(): void {
    const live = this.#end - this.#start;
    if (this.#buf.length <= MAX_KEPT_READ_BUFFER_BYTES || live > READ_BUFFER_BYTES) return;
    const next = new Uint8Array(READ_BUFFER_BYTES);
    next.set(this.#buf.subarray(this.#start, this.#end));
    this.#buf = next;
    this.#start = 0;
    this.#end = live;
  }

  /** Index of the first CRLF CRLF at or after `from` in the buffer, or -1. */
  #findHeadEnd(from: number): number {
    const b = this.#buf;
    for (let i = from; i + 3 < this.#end; i++) {
      if (
        b[i] === CRLF_CRLF[0] && b[i + 1] === CRLF_CRLF[1] && b[i + 2] === CRLF_CRLF[2] &&
        b[i + 3] === CRLF_CRLF[3]
      ) return i;
    }
    return -1;
  }

  async #readHead(): Promise<string> {
    let scanned = 0; // bytes after #start known to hold no CRLF CRLF start (#fill may move #start)
    for (;;) {
      const at = this.#findHeadEnd(this.#start + scanned);
      if (at >= 0) {
        const text = latin1.decode(this.#buf.subarray(this.#start, at));
        this.#start = at + 4;
        return text;
      }
      scanned = Math.max(0, this.#end - this.#start - 3);
      if (this.#end - this.#start > MAX_HEAD_BYTES) throw new Error("response head too large");
      if (!await this.#fill()) throw new ConnectionClosedError(!this.#received);
    }
  }

  /** Takes `n` bytes (reading as needed). */
  async #take(n: number): Promise<Uint8Array> {
    while (this.#end - this.#start < n) {
      if (!await this.#fill()) throw new ConnectionClosedError(false);
    }
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  async #line(): Promise<string> {
    for (;;) {
      const b = this.#buf;
      for (let i = this.#start; i + 1 < this.#end; i++) {
        if (b[i] === 13 && b[i + 1] === 10) {
          const text = latin1.decode(b.subarray(this.#start, i));
          this.#start = i + 2;
          return text;
        }
      }
      if (this.#end - this.#start > MAX_HEAD_BYTES) throw new Error("chunk line too long");
      if (!await this.#fill()) throw new ConnectionClosedError(false);
    }
  }

  async #chunked(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const size = parseInt((await this.#line()).split(";")[0].trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error("bad chunk size");
      if (size === 0) break;
      parts.push(await this.#take(size));
      if ((await this.#line()) !== "") throw new Error("bad chunk end");
    }
    while ((await this.#line()) !== "") {
      // trailer fields: ignored
    }
    return parts.length === 1 ? parts[0] : concatBytes(parts);
  }

  async #toEnd(): Promise<Uint8Array> {
    while (await this.#fill()) {
      // read until the server closes
    }
    const out = this.#buf.slice(this.#start, this.#end);
    this.#start = this.#end;
    return out;
  }

  async #readResponse(method: string): Promise<Http1Response> {
    for (;;) {
      const head = await this.#readHead();
      const lines = head.split("\r\n");
      const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]);
      if (!m) throw new Error(`not an HTTP/1.1 response: ${lines[0].slice(0, 40)}`);
      const status = Number(m[2]);
      const headers: [string, string][] = [];
      let length: number | undefined;
      let chunked = false;
      let keepAlive = m[1] === "1";
      for (let i = 1; i < lines.length; i++) {
        const colon = lines[i].indexOf(":");
        if (colon <= 0) continue;
        const name = lines[i].slice(0, colon).trim();
        const value = lines[i].slice(colon + 1).trim();
        headers.push([name, value]);
        const lower = name.toLowerCase();
        if (lower === "content-length") length = Number(value);
        else if (lower === "transfer-encoding") chunked = /chunked/i.test(value);
        else if (lower === "connection") {
          if (/close/i.test(value)) keepAlive = false;
          else if (/keep-alive/i.test(value)) keepAlive = true;
        }
      }
      if (status >= 100 && status < 200) continue; // interim (100 Continue): the real one follows
      const noBody = method === "HEAD" || status === 204 || status === 304;
      let body: Uint8Array;
      if (noBody) body = new Uint8Array(0);
      else if (chunked) body = await this.#chunked();
      else if (length !== undefined) {
        if (!Number.isSafeInteger(length) || length < 0) throw new Error("bad Content-Length");
        body = await this.#take(length);
      } else {
        body = await this.#toEnd();
        keepAlive = false;
      }
      if (!keepAlive) this.close();
      return { status, headers, body, reusable: keepAlive && !this.#closed };
    }
  }
}

/** A reset or broken connection as `ConnectionClosedError`; other errors as they are. */
function closedBy(e: unknown, beforeResponse: boolean): unknown {
  const reset = e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.UnexpectedEof;
  return reset ? new ConnectionClosedError(beforeResponse, { cause: e }) : e;
}
