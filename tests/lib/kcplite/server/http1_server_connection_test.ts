/**
 * kcp-lite's HTTP/1.1 connections, seen from a raw TLS client: keep-alive and pipelined
 * requests answered in order; chunked request bodies and `Expect: 100-continue`; replies
 * framed by length or chunked, none for HEAD; the connection closed cleanly when a request
 * asks for it, after an early answer, after a refused request, and when idle.
 *
 * @module
 */
import tls from "node:tls";
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { createCertificateAuthority, issueCertificate } from "../../../../lib/pki/certificates.ts";
import {
  startTlsListener,
  type TlsListener,
} from "../../../../lib/kcplite/server/https_listener.ts";
import type { ServerReply, ServerRequest } from "../../../../lib/kcplite/server/http1_exchange.ts";
import { readBody } from "../../../../lib/kcplite/server/body_codec.ts";

const ca = await createCertificateAuthority({ commonName: "http1-test-ca", validityDays: 2 });
const serving = await issueCertificate(ca, {
  commonName: "localhost",
  dnsNames: ["localhost"],
  ipAddresses: ["127.0.0.1"],
  usage: "server",
  validityDays: 2,
});

/** Echoes the method, URL and body; `/stream` answers in pieces, `/early` without reading. */
function handler(req: ServerRequest, res: ServerReply): void {
  const url = req.url;
  if (url === "/early") {
    res.writeHead(401, { "Content-Length": 6 }).end("denied");
    return;
  }
  if (url === "/stream") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.flushHeaders();
    res.write("one,");
    setTimeout(() => res.end("two"), 5);
    return;
  }
  readBody(req, 1 << 20, 5_000).then((body) => {
    const text = `${req.method} ${url} ${new TextDecoder().decode(body)}`;
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": text.length });
    res.end(text);
  }, () => res.destroy());
}

async function listen(idleMs = 90_000): Promise<TlsListener> {
  return await startTlsListener({
    certPem: serving.certPem,
    keyPem: serving.keyPem,
    clientCaPem: ca.certPem,
    host: "127.0.0.1",
    port: 0,
    handler,
    timeouts: { headerMs: 10_000, idleMs },
  });
}

/** A raw client: what it received, whether the server closed (cleanly: close_notify). */
async function connect(port: number) {
  let text = "";
  let waiter: (() => void) | undefined;
  const closed = Promise.withResolvers<void>();
  const ready = Promise.withResolvers<void>();
  const socket = tls.connect({ host: "127.0.0.1", port, ca: ca.certPem }, () => ready.resolve());
  socket.on("data", (d: Uint8Array) => {
    text += new TextDecoder().decode(d);
    waiter?.();
  });
  let error: unknown;
  socket.on("error", (e) => error = e);
  socket.on("close", () => {
    closed.resolve();
    waiter?.();
  });
  await ready.promise;
  return {
    socket,
    closed: closed.promise,
    error: () => error,
    send: (s: string) => socket.write(s),
    /** Waits until what was received contains `part` (or matches it); returns all of it. */
    async until(part: string | RegExp, ms = 5_000): Promise<string> {
      const deadline = Date.now() + ms;
      while (typeof part === "string" ? !text.includes(part) : !part.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(part)} in ${text}`);
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 50);
        });
      }
      return text;
    },
    received: () => text,
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test("keep-alive and pipelined requests are answered in order on one connection", async () => {
  const server = await listen();
  const c = await connect(server.port);
  try {
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    await c.until("GET /a ");
    c.send(
      "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
        "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
        "HEAD /d HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    // HEAD: the length of the body that GET would send ("HEAD /d "), and no body.
    const text = await c.until(/Content-Length: 8\r\n[^]*\r\n\r\n$/);
    await new Promise((r) => setTimeout(r, 100));
    assertEquals(c.received(), text, "nothing after the HEAD reply's head");
    assertEquals(count(text, "HTTP/1.1 200 OK"), 4);
    assertTrue(text.indexOf("POST /b hello") < text.indexOf("PUT /c abc"), text);
    assertEquals(c.socket.destroyed, false);
  } finally {
    c.socket.destroy();
    await server.close();
  }
});

Deno.test("a streamed reply is chunked; 100-continue comes before the body", async () => {
  const server = await listen();
  const c = await connect(server.port);
  try {
    c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await c.until("0\r\n\r\n");
    assertStringIncludes(text, "Transfer-Encoding: chunked\r\n");
    assertStringIncludes(text, "\r\n\r\n4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n");
    c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    await c.until("HTTP/1.1 100 Continue\r\n\r\n");
    c.send("ok");
    await c.until("POST /e ok");
  } finally {
    c.socket.destroy();
    await server.close();
  }
});

Deno.test("the server closes cleanly when asked, after an early answer, after refusing", async () => {
  const server = await listen();
  try {
    const cases: [string, string][] = [
      ["GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /a"],
      ["GET /a HTTP/1.0\r\n\r\n", "GET /a"],
      ["POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npart", "denied"],
      ["GET / HTTP/1.1\r\nHost : x\r\n\r\n", "HTTP/1.1 400 Bad Request"],
      [`GET / HTTP/1.1\r\nX: ${"a".repeat(70_000)}\r\n\r\n`, "HTTP/1.1 431 "],
      ["GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\n", " 417 "],
    ];
    for (const [request, answer] of cases) {
      const c = await connect(server.port);
      c.send(request);
      await c.until(answer);
      await c.closed;
      assertEquals(c.error(), undefined, `${request.slice(0, 30)}: a clean close`);
      if (answer === "GET /a") assertStringIncludes(c.received(), "Connection: close\r\n");
    }
    // HTTP/1.0 with keep-alive stays open.
    const c = await connect(server.port);
    c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const text = await c.until("GET /a");
    assertStringIncludes(text, "Connection: keep-alive\r\n");
    assertEquals(c.socket.destroyed, false);
    c.socket.destroy();
  } finally {
    await server.close();
  }
});

Deno.test("an idle connection is closed after the idle time", async () => {
  const server = await listen(300);
  try {
    const c = await connect(server.port);
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    await c.until("GET /a");
    const started = Date.now();
    await c.closed;
    assertTrue(Date.now() - started < 5_000, "closed for idleness");
  } finally {
    await server.close();
  }
});
