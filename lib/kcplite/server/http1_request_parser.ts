/**
 * Reads HTTP/1.1 requests from a connection's bytes (RFC 9112): the request line and the
 * header section, then the body framed by `Content-Length` or by chunked transfer coding,
 * then the next request. Bytes are fed as they arrive, split anywhere; events are pulled
 * one at a time, so the connection can stop after a request's end and keep the bytes of a
 * pipelined next request until its response is done.
 *
 * Anything the server should not guess at is refused with the status kube-apiserver's
 * (Go's) server gives it: a header section over the limit is a 431; a malformed request
 * line or header, a bad or conflicting `Content-Length`, `Transfer-Encoding` together with
 * `Content-Length`, or a malformed chunk is a 400; a transfer coding other than chunked
 * is a 501; an HTTP version other than 1.0 or 1.1 is a 505. After such an error the
 * connection must be closed: the framing is lost.
 *
 * @example
 * ```ts
 * const parser = new Http1RequestParser();
 * parser.feed(new TextEncoder().encode("GET /version HTTP/1.1\r\nHost: x\r\n\r\n"));
 * const head = parser.next(); // { kind: "head", method: "GET", url: "/version", hasBody: false, … }
 * parser.next(); // undefined: no more bytes
 * ```
 *
 * @module
 */

/** The request line and headers of one request. */
export interface Http1RequestHead {
  kind: "head";
  method: string;
  url: string;
  /** "1.0" or "1.1". */
  httpVersion: string;
  /** Header names in lower case; repeated headers joined as Node joins them. */
  headers: Record<string, string | string[]>;
  /** The request has a body: its data events follow, then "end" (none without a body). */
  hasBody: boolean;
}

/** One event of the request stream. */
export type Http1RequestEvent =
  | Http1RequestHead
  | { kind: "data"; bytes: Uint8Array }
  | { kind: "end" };

/** A request the server refuses; the connection is closed after the answer. */
export class Http1RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "Http1RequestError";
  }
}

/** Limits of one request's framing. */
export interface Http1ParserLimits {
  /** The request line and the header section (431 above it). */
  maxHeadBytes: number;
}

/**
 * kcp-lite's default: 64 KiB of request line and headers, four times Node's 16 KiB and far
 * below Go's 1 MiB; a bearer token or a long list URL fits many times over.
 */
export const DEFAULT_PARSER_LIMITS: Http1ParserLimits = { maxHeadBytes: 64 * 1024 };

/** A chunk-size line (size and extensions) may be at most this long. */
const MAX_CHUNK_LINE = 4096;
const CR = 13;
const LF = 10;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\s]+) HTTP\/(\d)\.(\d)$/;
/** Control characters other than HTAB may not appear in a header value. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
/** Headers that Node keeps once (the first); every other repeated header is joined with ", ". */
const SINGLE = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);
const latin1 = new TextDecoder("latin1");

type State =
  | { at: "head" }
  | { at: "end" }
  | { at: "fixed"; left: number }
  | { at: "chunk-size" }
  | { at: "chunk-data"; left: number }
  | { at: "chunk-end" }
  | { at: "trailers"; bytes: number };

/** Parses the requests of one connection; see the module documentation. */
export class Http1RequestParser {
  readonly #limits: Http1ParserLimits;
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  /** Where the search for the end of the current line or head resumes. */
  #scan = 0;
  #state: State = { at: "head" };
  #failed: Http1RequestError | undefined;

  constructor(limits: Http1ParserLimits = DEFAULT_PARSER_LIMITS) {
    this.#limits = limits;
  }

  /** Adds bytes received. */
  feed(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#pos >= this.#buf.length) {
      this.#buf = bytes;
      this.#pos = 0;
      this.#scan = 0;
      return;
    }
    const rest = this.#buf.length - this.#pos;
    const joined = new Uint8Array(rest + bytes.length);
    joined.set(this.#buf.subarray(this.#pos));
    joined.set(bytes, rest);
    this.#scan -= this.#pos;
    this.#buf = joined;
    this.#pos = 0;
  }

  /** Bytes received and not yet returned as events. */
  buffered(): number {
    return this.#buf.length - this.#pos;
  }

  /** Between requests: the last request's end was returned and no byte of the next is in. */
  idle(): boolean {
    return this.#state.at === "head" && this.buffered() === 0;
  }

  /** The next event, or undefined until more bytes arrive; throws {@link Http1RequestError}. */
  next(): Http1RequestEvent | undefined {
    if (this.#failed) throw this.#failed;
    try {
      return this.#next();
    } catch (error) {
      if (error instanceof Http1RequestError) this.#failed = error;
      throw error;
    }
  }

  #next(): Http1RequestEvent | undefined {
    for (;;) {
      const state = this.#state;
      switch (state.at) {
        case "head":
          return this.#head();
        case "end":
          this.#state = { at: "head" };
          return { kind: "end" };
        case "fixed":
          return this.#counted(state, { at: "end" });
        case "chunk-size": {
          const line = this.#line(MAX_CHUNK_LINE, "chunk size line");
          if (line === undefined) return undefined;
          const size = chunkSize(line);
          this.#state = size === 0
            ? { at: "trailers", bytes: 0 }
            : { at: "chunk-data", left: size };
          continue;
        }
        case "chunk-data":
          return this.#counted(state, { at: "chunk-end" });
        case "chunk-end": {
          if (this.buffered() < 2) return undefined;
          if (this.#buf[this.#pos] !== CR || this.#buf[this.#pos + 1] !== LF) {
            throw new Http1RequestError(400, "malformed chunked encoding: no CRLF after a chunk");
          }
          this.#consume(2);
          this.#state = { at: "chunk-size" };
          continue;
        }
        case "trailers": {
          const line = this.#line(this.#limits.maxHeadBytes - state.bytes, "trailer section");
          if (line === undefined) return undefined;
          state.bytes += line.length + 2;
          if (line === "") {
            this.#state = { at: "head" };
            return { kind: "end" };
          }
          continue;
        }
      }
    }
  }

  /** Body bytes of a run whose length is known; `then` follows once all of it is out. */
  #counted(state: { left: number }, then: State): Http1RequestEvent | undefined {
    const bytes = this.#take(state.left);
    if (bytes === undefined) return undefined;
    state.left -= bytes.length;
    if (state.left === 0) this.#state = then;
    return { kind: "data", bytes };
  }

  /** Up to `max` bytes of body (a view of what was received), undefined when none is in. */
  #take(max: number): Uint8Array | undefined {
    const available = this.buffered();
    if (available === 0) return undefined;
    const n = Math.min(available, max);
    const bytes = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#consume(n);
    return bytes;
  }

  #consume(n: number): void {
    this.#pos += n;
    this.#scan = this.#pos;
  }

  /** One CRLF-ended line (without it), undefined until it is complete. */
  #line(max: number, what: string): string | undefined {
    const buf = this.#buf;
    for (let i = Math.max(this.#scan, this.#pos); i < buf.length; i++) {
      if (buf[i] === LF) {
        if (i === this.#pos || buf[i - 1] !== CR) {
          throw new Http1RequestError(400, `malformed ${what}: a line ends without CR`);
        }
        const line = latin1.decode(buf.subarray(this.#pos, i - 1));
        this.#consume(i + 1 - this.#pos);
        return line;
      }
    }
    this.#scan = buf.length;
    if (buf.length - this.#pos > max) {
      throw new Http1RequestError(what === "trailer section" ? 431 : 400, `${what} too long`);
    }
    return undefined;
  }

  #head(): Http1RequestHead | undefined {
    const buf = this.#buf;
    // Empty lines before a request line are ignored (RFC 9112 §2.2).
    while (this.#pos < buf.length && (buf[this.#pos] === CR || buf[this.#pos] === LF)) {
      if (buf[this.#pos] === CR && this.#pos + 1 >= buf.length) return undefined;
      if (buf[this.#pos] === CR && buf[this.#pos + 1] !== LF) {
        throw new Http1RequestError(400, "malformed request: a bare CR");
      }
      this.#consume(buf[this.#pos] === CR ? 2 : 1);
    }
    let end = -1;
    for (let i = Math.max(this.#scan, this.#pos + 3); i < buf.length; i++) {
      if (
        buf[i] === LF && buf[i - 1] === CR && buf[i - 2] === LF && buf[i - 3] === CR
      ) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      this.#scan = Math.max(this.#pos, buf.length - 3);
      if (buf.length - this.#pos > this.#limits.maxHeadBytes) {
        throw new Http1RequestError(431, "request header fields too large");
      }
      return undefined;
    }
    if (end - this.#pos > this.#limits.maxHeadBytes) {
      throw new Http1RequestError(431, "request header fields too large");
    }
    const text = latin1.decode(buf.subarray(this.#pos, end - 4));
    this.#consume(end - this.#pos);
    const head = parseHead(text);
    const framing = bodyFraming(head);
    this.#state = framing === "chunked"
      ? { at: "chunk-size" }
      : framing > 0
      ? { at: "fixed", left: framing }
      : { at: "head" };
    head.hasBody = framing === "chunked" || framing > 0;
    return head;
  }
}

/** The request line and header lines of a head (without its final CRLF CRLF). */
function parseHead(text: string): Http1RequestHead {
  const lines = text.split("\r\n");
  const request = REQUEST_LINE.exec(lines[0]);
  if (!request) throw new Http1RequestError(400, "malformed request line");
  const [, method, url, major, minor] = request;
  if (major !== "1" || (minor !== "0" && minor !== "1")) {
    throw new Http1RequestError(505, `HTTP version ${major}.${minor} is not supported`);
  }
  const headers: Record<string, string | string[]> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Http1RequestError(400, "malformed header line");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new Http1RequestError(400, "malformed header name");
    const value = trimSpaceAndTab(line, colon + 1);
    if (hasControlCharacter(value)) throw new Http1RequestError(400, "malformed header value");
    addHeader(headers, name.toLowerCase(), value);
  }
  return { kind: "head", method, url, httpVersion: `1.${minor}`, headers, hasBody: false };
}

function addHeader(headers: Record<string, string | string[]>, name: string, value: string) {
  const prior = headers[name];
  if (prior === undefined) {
    headers[name] = name === "set-cookie" ? [value] : value;
  } else if (name === "content-length") {
    // Repeated lengths must agree (RFC 9112 §6.3); checked with the framing.
    headers[name] = `${prior}, ${value}`;
  } else if (Array.isArray(prior)) {
    prior.push(value);
  } else if (!SINGLE.has(name)) {
    headers[name] = `${prior}, ${value}`;
  }
}

/** The body's framing: "chunked", or its length in bytes (0: none). */
function bodyFraming(head: Http1RequestHead): "chunked" | number {
  const te = head.headers["transfer-encoding"] as string | undefined;
  const cl = head.headers["content-length"] as string | undefined;
  if (te !== undefined) {
    if (cl !== undefined) {
      throw new Http1RequestError(400, "Transfer-Encoding and Content-Length together");
    }
    if (head.httpVersion === "1.0") {
      throw new Http1RequestError(400, "Transfer-Encoding in an HTTP/1.0 request");
    }
    const codings = te.split(",").map((c) => c.trim().toLowerCase());
    if (codings[codings.length - 1] !== "chunked") {
      throw new Http1RequestError(400, `the last transfer coding is not chunked: ${te}`);
    }
    if (codings.length > 1) {
      throw new Http1RequestError(501, `unsupported transfer coding: ${te}`);
    }
    return "chunked";
  }
  if (cl === undefined) return 0;
  const values = cl.split(",").map((v) => v.trim());
  if (values.some((v) => !/^\d{1,15}$/.test(v) || v !== values[0])) {
    throw new Http1RequestError(400, `invalid Content-Length: ${cl}`);
  }
  head.headers["content-length"] = String(Number(values[0]));
  return Number(values[0]);
}

/** The size of a chunk from its size line (hex digits, then optional extensions). */
function chunkSize(line: string): number {
  const match = /^([0-9A-Fa-f]{1,12})[ \t]*(;.*)?$/.exec(line);
  if (!match) throw new Http1RequestError(400, "malformed chunked encoding: bad chunk size");
  return parseInt(match[1], 16);
}

/** `line` from `start` without leading and trailing spaces and tabs. */
function trimSpaceAndTab(line: string, start: number): string {
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return line.slice(start, end);
}

/** Whether `name` is a valid header field name (a token). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}
