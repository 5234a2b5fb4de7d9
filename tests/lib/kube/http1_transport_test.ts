import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  type FakeApiServer,
  makeTestPki,
  sendJson,
  startFakeApiServer,
} from "../../support/fake_apiserver.ts";
import { Http1Connection } from "../../../lib/kube/http1_connection.ts";
import { Http1Transport, MAX_IN_FLIGHT_PER_KEY } from "../../../lib/kube/http1_transport.ts";
import type {
  HttpTransport,
  TransportRequest,
  TransportResponse,
} from "../../../lib/kube/rest_transport.ts";

/** Stands in for the fetch transport: counts what is handed to it. */
class StreamedTransport implements HttpTransport {
  sent: TransportRequest[] = [];
  send(request: TransportRequest): Promise<TransportResponse> {
    this.sent.push(request);
    return Promise.resolve(new Response("streamed"));
  }
  close(): void {}
}

async function withServer(
  fn: (server: FakeApiServer, transport: Http1Transport, streamed: StreamedTransport) => unknown,
  caOf: (server: FakeApiServer) => string = (s) => s.pki.caPem,
  options: { maxInFlight?: number } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const server = await startFakeApiServer(await makeTestPki(dir));
  const streamed = new StreamedTransport();
  const transport = new Http1Transport(caOf(server), streamed, options);
  try {
    await fn(server, transport, streamed);
  } finally {
    transport.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const get = (server: FakeApiServer, path: string, extra: Partial<TransportRequest> = {}) => ({
  method: "GET",
  url: `${server.url}${path}`,
  headers: { Accept: "application/json" },
  ...extra,
});

Deno.test("http1 transport: one kept-alive connection carries sequential requests", async () => {
  await withServer(async (server, transport) => {
    server.handler = (req, res) => sendJson(res, 200, { path: req.url });
    for (let i = 0; i < 5; i++) {
      const res = await transport.send(get(server, `/api/v1/namespaces/n${i}?limit=1`));
      assertEquals(res.status, 200);
      assertEquals(JSON.parse(await res.text()), { path: `/api/v1/namespaces/n${i}?limit=1` });
    }
    assertEquals(transport.counters.opened, 1);
    assertEquals(transport.counters.reused, 4);
    assertEquals(server.requests[0].headers.host, `127.0.0.1:${server.port}`);
  });
});

Deno.test("http1 transport: bodies framed by chunks, by length, and none", async () => {
  await withServer(async (server, transport) => {
    const big = "x".repeat(200_000);
    server.handler = (req, res) => {
      if (req.url === "/chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write(`{"a":"${big}",`);
        res.end(`"b":${JSON.stringify(req.body)}}`);
      } else if (req.url === "/empty") {
        res.writeHead(204);
        res.end();
      } else sendJson(res, 201, { ok: true });
    };
    const chunked = await transport.send({
      ...get(server, "/chunked"),
      method: "POST",
      body: "ünïcode",
      headers: { "Content-Type": "application/json" },
    });
    assertEquals(JSON.parse(await chunked.text()), { a: big, b: "ünïcode" });
    assertEquals(chunked.headers.get("Content-Type"), "application/json");
    const empty = await transport.send({ ...get(server, "/empty"), method: "DELETE" });
    assertEquals([empty.status, empty.ok, empty.body], [204, true, null]);
    const created = await transport.send(get(server, "/other"));
    assertEquals([created.status, await created.text()], [201, '{"ok":true}']);
    assertEquals(transport.counters.opened, 1);
  });
});

Deno.test("http1 transport: request bodies small and large, ASCII or not, arrive intact on one connection", async () => {
  await withServer(async (server, transport) => {
    server.handler = (req, res) => sendJson(res, 200, { method: req.method });
    // Small ones are encoded into the connection's own buffers, reused by the next request;
    // a large one in between takes its own.
    const bodies = [
      JSON.stringify({ data: { v: "a" } }),
      JSON.stringify({ data: { v: "x".repeat(40_000) } }),
      JSON.stringify({ data: { v: "ünïcødé ✓ 💡" } }),
      JSON.stringify({ data: { v: "b" } }),
      JSON.stringify({ data: { v: "€".repeat(5_000) } }),
      "",
    ];
    for (const body of bodies) {
      const res = await transport.send({
        method: "PATCH",
        url: `${server.url}/api/v1/namespaces/default/configmaps/cm`,
        headers: { "Content-Type": "application/merge-patch+json", "X-Multi": ["1", "2"] },
        body,
      });
      assertEquals(res.status, 200);
      await res.body?.cancel();
    }
    assertEquals(server.requests.map((r) => r.body), bodies);
    assertEquals(server.requests[0].headers["x-multi"], "1, 2");
    assertEquals(transport.counters.opened, 1);
  });
});

Deno.test("http1 transport: a pooled connection the server closed is replaced, the request sent once more", async () => {
  await withServer(async (server, transport) => {
    server.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "2" });
      // The server drops the connection right after answering (an idle timeout).
      const socket = res.socket;
      res.end("{}");
      setTimeout(() => socket?.destroy(), 5);
    };
    for (let i = 0; i < 3; i++) {
      assertEquals((await transport.send(get(server, "/x"))).status, 200);
      await new Promise((r) => setTimeout(r, 20));
    }
    assertEquals(server.requests.length, 3);
    assertEquals(transport.counters.resent, 2);
    assertEquals(transport.counters.opened, 3);
  });
});

Deno.test("http1 transport: a burst wider than the limit waits for turns and opens no more connections", async () => {
  await withServer(async (server, transport) => {
    server.handler = (_req, res) => void setTimeout(() => sendJson(res, 200, {}), 10);
    const burst = async () => {
      const answers = await Promise.all(
        Array.from(
          { length: 3 * MAX_IN_FLIGHT_PER_KEY },
          (_, i) => transport.send(get(server, `/b${i}`)),
        ),
      );
      assertEquals(answers.filter((a) => a.status === 200).length, 3 * MAX_IN_FLIGHT_PER_KEY);
    };
    await burst();
    assertTrue(
      transport.counters.opened <= MAX_IN_FLIGHT_PER_KEY,
      `${transport.counters.opened} opened`,
    );
    assertTrue(transport.counters.waited >= 2 * MAX_IN_FLIGHT_PER_KEY);
    const opened = transport.counters.opened;
    await burst(); // the second burst finds every connection in the pool
    assertEquals(transport.counters.opened, opened);
  });
});

Deno.test("http1 transport: a request waiting for its turn can be aborted", async () => {
  await withServer(
    async (server, transport) => {
      let answer = () => {};
      server.handler = (_req, res) => void (answer = () => sendJson(res, 200, {}));
      const first = transport.send(get(server, "/first"));
      const abort = new AbortController();
      const second = transport.send(get(server, "/second", { signal: abort.signal }));
      while (server.requests.length < 1) await new Promise((r) => setTimeout(r, 10));
      abort.abort(new DOMException("gave up", "AbortError"));
      await assertRejects(() => second);
      answer();
      assertEquals((await first).status, 200);
      assertEquals(server.requests.length, 1);
      server.handler = (_req, res) => sendJson(res, 200, {});
      assertEquals((await transport.send(get(server, "/third"))).status, 200); // the turn came back
      assertEquals(transport.counters.waited, 1);
    },
    undefined,
    { maxInFlight: 1 },
  );
});

Deno.test("http1 transport: an abort ends a request the server never answers", async () => {
  await withServer(async (server, transport) => {
    server.handler = () => {}; // never answers
    const abort = new AbortController();
    setTimeout(() => abort.abort(new DOMException("gave up", "AbortError")), 50);
    await assertRejects(() => transport.send(get(server, "/hang", { signal: abort.signal })));
    server.handler = (_req, res) => sendJson(res, 200, {});
    assertEquals((await transport.send(get(server, "/next"))).status, 200);
    assertEquals(transport.counters.opened, 2); // the aborted connection was not pooled
  });
});

Deno.test("http1 transport: TLS is verified against the given CA", async () => {
  await withServer(async (server, transport) => {
    server.handler = (_req, res) => sendJson(res, 200, {});
    await assertRejects(() => transport.send(get(server, "/x")));
    assertEquals(server.requests.length, 0);
  }, (s) => s.pki.otherCaPem);
});

Deno.test("http1 transport: a client certificate is presented", async () => {
  await withServer(async (server, transport) => {
    server.handler = (req, res) => sendJson(res, 200, { cn: req.clientCommonName ?? null });
    const pki = server.pki;
    const res = await transport.send(
      get(server, "/x", { clientCert: { certData: pki.clientCertPem, keyData: pki.clientKeyPem } }),
    );
    const cn = JSON.parse(await res.text()).cn;
    assertTrue(typeof cn === "string" && cn.length > 0, `client certificate seen: ${cn}`);
  });
});

Deno.test("http1 transport: streamed answers (watches) go to the fetch transport", async () => {
  await withServer(async (server, transport, streamed) => {
    const res = await transport.send(get(server, "/watch", { streaming: true }));
    assertEquals(await res.text(), "streamed");
    assertEquals(streamed.sent.length, 1);
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("http1 connection: after a large answer the read buffer goes back to its first size", async () => {
  await withServer(async (server) => {
    const big = "y".repeat(3_000_000);
    server.handler = (req, res) => {
      if (req.url === "/big-chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write(`{"a":"${big.slice(0, 1_000_000)}`);
        res.end(`${big.slice(1_000_000)}"}`);
      } else if (req.url === "/big") sendJson(res, 200, { a: big });
      else sendJson(res, 200, { small: true });
    };
    const conn = await Http1Connection.open(new URL(server.url), { caCerts: [server.pki.caPem] });
    try {
      const host = { Host: `127.0.0.1:${server.port}` };
      const first = conn.readBufferBytes;
      for (const path of ["/big", "/small", "/big-chunked", "/small"]) {
        const res = await conn.exchange("GET", path, host, undefined);
        const body = JSON.parse(new TextDecoder().decode(res.body));
        if (path.startsWith("/big")) assertEquals(body.a.length, big.length);
        else assertEquals(body, { small: true });
        assertEquals(conn.readBufferBytes, first, `after ${path}`);
        assertTrue(res.reusable);
      }
    } finally {
      conn.close();
    }
  });
});
