/**
 * kcp-lite's request limits (issue 13): separate in-flight budgets for mutating and
 * read-only requests answered with kube-apiserver's 429 (`Retry-After: 1`), watches and
 * `system:masters` exempt; connections that send nothing are closed after the header
 * timeout; a half-sent body is cut: at once when the request is unauthenticated (401), after
 * the body timeout (408) otherwise. The limits are set small here; the defaults are
 * kube-apiserver's.
 *
 * @module
 */
import { join } from "node:path";
import tls from "node:tls";
import { parse as parseYaml } from "yaml";
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { type ControlPlane, startControlPlane } from "../../../support/control_plane.ts";
import { InflightLimiter, requestLimits } from "../../../../lib/kcplite/server/request_limits.ts";

/** A raw TLS connection to the server, with what it received and whether it closed. */
interface RawConnection {
  socket: tls.TLSSocket;
  received(): string;
  closed: Promise<void>;
}

async function connect(cp: ControlPlane): Promise<RawConnection> {
  const ca = await Deno.readTextFile(join(cp.rootDirectory, "ca.crt"));
  const url = new URL(cp.url);
  let text = "";
  const closed = Promise.withResolvers<void>();
  const connected = Promise.withResolvers<void>();
  const socket = tls.connect(
    { host: url.hostname, port: Number(url.port), ca, servername: "localhost" },
    () => connected.resolve(),
  );
  socket.on("data", (d: Uint8Array) => text += new TextDecoder().decode(d));
  socket.on("error", () => {});
  socket.on("close", () => closed.resolve());
  await connected.promise;
  return { socket, received: () => text, closed: closed.promise };
}

/** Resolves when `p` does, rejects after `ms` (a hung connection fails the test). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => timer = setTimeout(() => reject(new Error(what)), ms)),
  ]);
}

async function tokens(cp: ControlPlane): Promise<{ kcpAdmin: string; shardAdmin: string }> {
  const doc = parseYaml(await Deno.readTextFile(cp.kubeconfigPath)) as {
    users: { name: string; user: { token: string } }[];
  };
  const of = (n: string) => doc.users.find((u) => u.name === n)!.user.token;
  return { kcpAdmin: of("kcp-admin"), shardAdmin: of("shard-admin") };
}

const CMS = "/clusters/root/api/v1/namespaces/default/configmaps";

/** Starts a POST whose body stops after 10 of its 100 bytes. */
function halfPost(c: RawConnection, token?: string): void {
  const auth = token ? `Authorization: Bearer ${token}\r\n` : "";
  c.socket.write(
    `POST ${CMS} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\n` +
      'Content-Length: 100\r\n\r\n{"metadata',
  );
}

async function fetchAs(cp: ControlPlane, token: string, path: string, init: RequestInit = {}) {
  const ca = await Deno.readTextFile(join(cp.rootDirectory, "ca.crt"));
  const client = Deno.createHttpClient({ caCerts: [ca] });
  try {
    const res = await fetch(`${cp.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      client,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } finally {
    client.close();
  }
}

Deno.test("InflightLimiter: two budgets, slots given back once", () => {
  const limiter = new InflightLimiter(
    requestLimits({ maxRequestsInflight: 1, maxMutatingRequestsInflight: 2 }),
  );
  const w1 = limiter.tryAcquire(true)!;
  const w2 = limiter.tryAcquire(true)!;
  assertEquals(limiter.tryAcquire(true), undefined);
  const r1 = limiter.tryAcquire(false)!;
  assertEquals(limiter.tryAcquire(false), undefined);
  w1();
  w1();
  assertEquals(limiter.stats(), { readOnly: 1, mutating: 1, rejected: 2 });
  w2();
  r1();
  assertEquals(limiter.stats().mutating + limiter.stats().readOnly, 0);
});

Deno.test("kcp-lite: in-flight budgets, header and body timeouts, half-sent bodies", async (t) => {
  const cp = await startControlPlane({
    limits: {
      maxRequestsInflight: 2,
      maxMutatingRequestsInflight: 2,
      requestHeaderTimeoutMs: 500,
      requestBodyTimeoutMs: 1500,
    },
  });
  const open: RawConnection[] = [];
  try {
    const { kcpAdmin, shardAdmin } = await tokens(cp);

    await t.step("a connection that sends nothing is closed after the header timeout", async () => {
      const idle = await connect(cp);
      await within(idle.closed, 15_000, "the idle connection stayed open");
      assertEquals(idle.received(), "");
    });

    await t.step("an unauthenticated half-sent body: 401 and the connection closes", async () => {
      const conns = await Promise.all(Array.from({ length: 20 }, () => connect(cp)));
      for (const c of conns) halfPost(c);
      for (const c of conns) {
        await within(c.closed, 15_000, "an unauthenticated connection stayed open");
        assertStringIncludes(c.received(), "HTTP/1.1 401");
      }
    });

    await t.step(
      "mutating budget spent: 429 with Retry-After; reads, watches, masters pass",
      async () => {
        const holders = [await connect(cp), await connect(cp)];
        open.push(...holders);
        for (const c of holders) halfPost(c, kcpAdmin);
        await new Promise((r) => setTimeout(r, 200)); // both requests are in
        const body = JSON.stringify({ metadata: { name: "third" } });
        const third = await fetchAs(cp, kcpAdmin, CMS, { method: "POST", body });
        assertEquals(third.status, 429);
        assertEquals(third.headers.get("retry-after"), "1");
        assertEquals(third.text, "Too many requests, please try again later.\n");
        assertEquals((await fetchAs(cp, kcpAdmin, CMS)).status, 200);
        const watch = await fetchAs(cp, kcpAdmin, `${CMS}?watch=true&timeoutSeconds=1`);
        assertEquals(watch.status, 200);
        const masters = await fetchAs(cp, shardAdmin, CMS, { method: "POST", body });
        assertEquals(masters.status, 201);
      },
    );

    await t.step("a half-sent authenticated body gets 408 and frees its slot", async () => {
      for (const c of open.splice(0)) {
        await within(c.closed, 15_000, "the half-sent body was not cut");
        assertStringIncludes(c.received(), "HTTP/1.1 408");
      }
      const body = JSON.stringify({ metadata: { name: "after" } });
      const after = await fetchAs(cp, kcpAdmin, CMS, { method: "POST", body });
      assertEquals(after.status, 201);
    });

    await t.step(
      "a connection that made a request stays open past the header timeout",
      async () => {
        const c = await connect(cp);
        open.push(c);
        c.socket.write(`GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n`);
        await new Promise((r) => setTimeout(r, 1000));
        assertStringIncludes(c.received(), "HTTP/1.1 200");
        c.socket.write(`GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n`);
        await new Promise((r) => setTimeout(r, 200));
        assertEquals(c.received().split("HTTP/1.1 200").length, 3);
      },
    );
  } finally {
    for (const c of open) c.socket.destroy();
    await cp.stop();
  }
});
