/**
 * kcp-lite's HTTP/1.1 request parser: requests split anywhere give the same events;
 * bodies framed by Content-Length or chunked coding; pipelined requests; repeated headers
 * as Node joins them; and each kind of malformed request refused with its status.
 *
 * @module
 */
import { assertEquals, assertTrue as assert } from "../../../support/assert.ts";
import {
  Http1RequestError,
  type Http1RequestEvent,
  Http1RequestParser,
} from "../../../../lib/kcplite/server/http1_request_parser.ts";

const enc = new TextEncoder();

/** The error `fn` throws (fails when it returns). */
function assertThrows(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
const dec = new TextDecoder();

/** Events of `text` fed in pieces of `size` bytes, body data joined per request. */
function parse(text: string | Uint8Array, size = Infinity, maxHeadBytes = 64 * 1024) {
  const bytes = typeof text === "string" ? enc.encode(text) : text;
  const parser = new Http1RequestParser({ maxHeadBytes });
  const out: (Http1RequestEvent | { kind: "body"; text: string })[] = [];
  let body = "";
  const drain = () => {
    for (let e = parser.next(); e !== undefined; e = parser.next()) {
      if (e.kind === "data") body += dec.decode(e.bytes);
      else if (e.kind === "end") {
        out.push({ kind: "body", text: body });
        body = "";
      } else out.push(e);
    }
  };
  for (let at = 0; at < bytes.length; at += size) {
    parser.feed(bytes.subarray(at, Math.min(bytes.length, at + size)));
    drain();
  }
  return { events: out, parser };
}

function refusal(text: string, maxHeadBytes?: number): Http1RequestError {
  const error = assertThrows(() => parse(text, Infinity, maxHeadBytes));
  assert(error instanceof Http1RequestError, String(error));
  return error;
}

const PIPELINED = "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world" +
  "PUT /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
  "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: t\r\n\r\n" +
  "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";

Deno.test("requests split at any byte give the same events", () => {
  const whole = parse(PIPELINED).events;
  assertEquals(whole.map((e) => e.kind === "head" ? `${e.method} ${e.url}` : e.kind), [
    "POST /a?x=1",
    "body",
    "PUT /b",
    "body",
    "GET /c",
  ]);
  assertEquals(whole.filter((e) => e.kind === "body").map((e) => (e as { text: string }).text), [
    "hello world",
    "hello world",
  ]);
  for (let size = 1; size <= 40; size++) assertEquals(parse(PIPELINED, size).events, whole);
  for (let cut = 1; cut < PIPELINED.length; cut++) {
    const parser = new Http1RequestParser();
    const events: unknown[] = [];
    const bytes = enc.encode(PIPELINED);
    for (const piece of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
      parser.feed(piece);
      for (let e = parser.next(); e !== undefined; e = parser.next()) events.push(e.kind);
    }
    assertEquals(events.filter((k) => k !== "data"), ["head", "end", "head", "end", "head"]);
  }
});

Deno.test("a head: method, target, version, lower-case headers joined as Node joins them", () => {
  const { events, parser } = parse(
    "\r\nGET /x HTTP/1.0\r\nAccept: a\r\naccept: b\r\nAuthorization: Bearer one\r\n" +
      "Authorization: Bearer two\r\nSet-Cookie: c1\r\nSet-Cookie: c2\r\nX-Empty:\r\n" +
      "Content-Length: 0, 0\r\n\r\n",
  );
  assertEquals(events.length, 1);
  const head = events[0] as Extract<Http1RequestEvent, { kind: "head" }>;
  assertEquals([head.method, head.url, head.httpVersion, head.hasBody], [
    "GET",
    "/x",
    "1.0",
    false,
  ]);
  assertEquals({ ...head.headers }, {
    accept: "a, b",
    authorization: "Bearer one",
    "set-cookie": ["c1", "c2"],
    "x-empty": "",
    "content-length": "0",
  });
  assert(parser.idle());
});

Deno.test("malformed requests are refused with the status Go's server gives", () => {
  const cases: [string, number][] = [
    ["GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
    ["POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", 400],
    ["GET /\r\n\r\n", 400],
    ["GET / HTTP/2.0\r\n\r\n", 505],
    ["G(T / HTTP/1.1\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nNo-Colon\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY", 400],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", 400],
  ];
  for (const [text, status] of cases) {
    assertEquals(refusal(text).status, status, JSON.stringify(text));
  }
});

Deno.test("a head over the limit is a 431, found without the whole head", () => {
  const big = `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(2000)}\r\n\r\n`;
  assertEquals(refusal(big, 1024).status, 431);
  // The limit holds before the head ends: an endless header is refused once it passes it.
  const parser = new Http1RequestParser({ maxHeadBytes: 1024 });
  parser.feed(enc.encode(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(1000)}`));
  assertEquals(parser.next(), undefined);
  parser.feed(enc.encode("a".repeat(100)));
  const error = assertThrows(() => parser.next()) as Http1RequestError;
  assertEquals(error.status, 431);
  // The parser stays failed: the connection's framing is lost.
  assertEquals((assertThrows(() => parser.next()) as Http1RequestError).status, 431);
});

Deno.test("a large body comes out as views of what arrived, without joining", () => {
  const body = "x".repeat(100_000);
  const parser = new Http1RequestParser();
  parser.feed(enc.encode(`PUT /big HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n`));
  assertEquals(parser.next()?.kind, "head");
  let got = 0;
  let events = 0;
  for (let at = 0; at < body.length; at += 16_384) {
    const piece = enc.encode(body.slice(at, at + 16_384));
    parser.feed(piece);
    const e = parser.next();
    assert(e !== undefined && e.kind === "data");
    assertEquals(e.bytes.buffer, piece.buffer, "a view of the received bytes");
    got += e.bytes.length;
    events++;
  }
  assertEquals(got, body.length);
  assertEquals(events, 7);
  assertEquals(parser.next()?.kind, "end");
  assert(parser.idle());
});
