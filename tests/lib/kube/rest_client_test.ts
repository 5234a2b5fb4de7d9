import { assertEquals, assertMatch, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  type FakeApiServer,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
  type TestPki,
} from "../../support/fake_apiserver.ts";
import { restClientFor } from "../../../lib/kube/rest_client.ts";
import { fakeServerConfig } from "../controller/fake_server_client.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";
import {
  ApiError,
  ConnectionError,
  GoneError,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
} from "../../../lib/kube/rest_errors.ts";
import { resourcePath, serverForCluster } from "../../../lib/kube/rest_paths.ts";

const CM = { version: "v1", resource: "configmaps", namespace: "ns1" };

async function withServer(
  fn: (server: FakeApiServer, config: RestConfig, pki: TestPki) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rest-client-" });
  const pki = await makeTestPki(dir);
  const server = await startFakeApiServer(pki);
  const config = fakeServerConfig(server, {
    server: `${server.url}/clusters/root`,
    token: "t0ken",
  });
  try {
    await fn(server, config, pki);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("resource paths and kcp cluster addressing", () => {
  assertEquals(resourcePath({ version: "v1", resource: "namespaces" }), "/api/v1/namespaces");
  assertEquals(
    resourcePath({
      group: "apps",
      version: "v1",
      resource: "deployments",
      namespace: "n",
      name: "d",
    }),
    "/apis/apps/v1/namespaces/n/deployments/d",
  );
  assertEquals(
    resourcePath({ ...CM, name: "c", subresource: "status" }),
    "/api/v1/namespaces/ns1/configmaps/c/status",
  );
  assertEquals(
    serverForCluster("https://h:6443/clusters/root", "root:espw"),
    "https://h:6443/clusters/root:espw",
  );
  assertEquals(serverForCluster("https://h:6443", "root"), "https://h:6443/clusters/root");
  assertEquals(serverForCluster("https://h/prefix/", "*"), "https://h/prefix/clusters/*");
});

Deno.test("get sends the bearer token, keeps the server path, verifies TLS against the CA", async () => {
  await withServer(async (server, config) => {
    server.handler = (req, res) => sendJson(res, 200, { kind: "ConfigMap", path: req.url });
    const client = restClientFor(config);
    try {
      const cm = await client.get({ ...CM, name: "c1" });
      assertEquals(cm.path, "/clusters/root/api/v1/namespaces/ns1/configmaps/c1");
      assertEquals(server.requests[0].headers.authorization, "Bearer t0ken");
      const espw = client.withCluster("root:espw");
      await espw.getPath("/apis");
      espw.close();
      assertEquals(server.requests[1].url, "/clusters/root:espw/apis");
    } finally {
      client.close();
    }
  });
});

Deno.test("a server certificate from another CA is a ConnectionError naming the server", async () => {
  await withServer(async (server, config, pki) => {
    const client = restClientFor({ ...config, caData: pki.otherCaPem });
    try {
      const e = await assertRejects(
        () => client.getPath("/api"),
        /cannot connect to the server at/,
      );
      assertTrue(e instanceof ConnectionError);
      assertMatch(e.message, /certificate/i);
      assertTrue(e.message.includes(server.url));
      assertEquals(e.message.includes("t0ken"), false);
      assertEquals(server.requests.length, 0);
    } finally {
      client.close();
    }
  });
});

Deno.test("client certificate authentication is presented and verified", async () => {
  await withServer(async (server, config, pki) => {
    server.handler = (req, res) => sendJson(res, 200, { cn: req.clientCommonName ?? null });
    const client = restClientFor({
      ...config,
      token: undefined,
      certData: pki.clientCertPem,
      keyData: pki.clientKeyPem,
    });
    try {
      assertEquals(await client.getPath("/api"), { cn: "alice" });
      assertEquals(server.requests[0].headers.authorization, undefined);
    } finally {
      client.close();
    }
  });
});

Deno.test("insecure-skip-tls-verify and tls-server-name use the node transport", async () => {
  await withServer(async (server, config, pki) => {
    server.handler = (_req, res) => sendJson(res, 200, { ok: true });
    const insecure = restClientFor({ ...config, caData: undefined, insecureSkipTlsVerify: true });
    const named = restClientFor({
      ...config,
      server: `https://127.0.0.1:${server.port}`,
      tlsServerName: "localhost",
    });
    const wrongName = restClientFor({ ...config, tlsServerName: "elsewhere.example" });
    const wrongCa = restClientFor({
      ...config,
      tlsServerName: "localhost",
      caData: pki.otherCaPem,
    });
    try {
      assertEquals(await insecure.getPath("/api"), { ok: true });
      assertEquals(await named.getPath("/api"), { ok: true });
      await assertRejects(() => wrongName.getPath("/api"), /cannot connect to the server/);
      await assertRejects(() => wrongCa.getPath("/api"), /cannot connect to the server/);
    } finally {
      insecure.close();
      named.close();
      wrongName.close();
      wrongCa.close();
    }
  });
});

Deno.test("401, 404 and 409 answers become ApiErrors carrying the Status", async () => {
  await withServer(async (server, config) => {
    server.handler = (req, res) => {
      if (req.headers.authorization !== "Bearer t0ken") {
        return sendStatus(res, 401, "Unauthorized", "Unauthorized");
      }
      if (req.method === "GET") {
        return sendStatus(res, 404, "NotFound", 'configmaps "c1" not found');
      }
      if (req.method === "POST") {
        return sendStatus(res, 409, "AlreadyExists", 'configmaps "c1" already exists');
      }
      if (req.method === "PUT") {
        return sendStatus(res, 409, "Conflict", "the object has been modified");
      }
      res.writeHead(500);
      res.end("plain text failure\n");
    };
    const client = restClientFor(config);
    const anonymous = restClientFor({ ...config, token: "wrong" });
    try {
      const e401 = await assertRejects(() => anonymous.get({ ...CM, name: "c1" }), /Unauthorized/);
      assertTrue(e401 instanceof ApiError);
      assertEquals([e401.code, e401.reason], [401, "Unauthorized"]);
      const e404 = await assertRejects(() => client.get({ ...CM, name: "c1" }), /not found/);
      assertTrue(isNotFound(e404));
      assertEquals((e404 as ApiError).status.message, 'configmaps "c1" not found');
      const e409 = await assertRejects(() => client.create(CM, { metadata: { name: "c1" } }));
      assertTrue(isAlreadyExists(e409));
      const conflict = await assertRejects(() => client.update({ ...CM, name: "c1" }, {}));
      assertTrue(isConflict(conflict));
      const e500 = await assertRejects(() => client.delete({ ...CM, name: "c1" }));
      assertEquals([(e500 as ApiError).code, e500.message], [500, "plain text failure"]);
    } finally {
      client.close();
      anonymous.close();
    }
  });
});

Deno.test("list, create, patch types, delete options and status subresource", async () => {
  await withServer(async (server, config) => {
    server.handler = (req, res) =>
      sendJson(res, 200, { kind: "X", items: [], metadata: {}, echo: req.method });
    const client = restClientFor(config);
    try {
      await client.list(CM, { labelSelector: "a=b,c in (d)", limit: 5, continue: "tok" });
      await client.create(CM, { metadata: { name: "x" } }, { fieldManager: "ks" });
      await client.patch({ ...CM, name: "x" }, { data: { a: "1" } }, "merge");
      await client.patch({ ...CM, name: "x" }, [{ op: "remove", path: "/data" }], "json");
      await client.patch({ ...CM, name: "x" }, { data: {} }, "strategic");
      await client.delete({ ...CM, name: "x" }, {
        propagationPolicy: "Foreground",
        preconditions: { uid: "u1" },
      });
      await client.updateStatus({ ...CM, name: "x" }, { status: {} });
      await client.getStatus({ ...CM, name: "x" });
      const r = server.requests;
      const list = new URL(r[0].url, "https://x");
      assertEquals(list.pathname, "/clusters/root/api/v1/namespaces/ns1/configmaps");
      assertEquals(list.searchParams.get("labelSelector"), "a=b,c in (d)");
      assertEquals([list.searchParams.get("limit"), list.searchParams.get("continue")], [
        "5",
        "tok",
      ]);
      assertEquals([r[1].method, r[1].url.endsWith("configmaps?fieldManager=ks")], ["POST", true]);
      assertEquals(r[2].headers["content-type"], "application/merge-patch+json");
      assertEquals(r[3].headers["content-type"], "application/json-patch+json");
      assertEquals(r[4].headers["content-type"], "application/strategic-merge-patch+json");
      assertEquals(r[5].method, "DELETE");
      assertEquals(JSON.parse(r[5].body), {
        kind: "DeleteOptions",
        apiVersion: "v1",
        propagationPolicy: "Foreground",
        preconditions: { uid: "u1" },
      });
      assertEquals([r[6].method, r[6].url.endsWith("/configmaps/x/status")], ["PUT", true]);
      assertEquals([r[7].method, r[7].url.endsWith("/configmaps/x/status")], ["GET", true]);
    } finally {
      client.close();
    }
  });
});

Deno.test("watch streams NDJSON events, including split lines and bookmarks", async () => {
  await withServer(async (server, config) => {
    server.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const a = JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } });
      res.write(a.slice(0, 10));
      res.write(a.slice(10) + "\n");
      res.write(
        JSON.stringify({ type: "BOOKMARK", object: { metadata: { resourceVersion: "7" } } }),
      );
      res.end(
        "\n" + JSON.stringify({ type: "DELETED", object: { metadata: { name: "a" } } }) + "\n",
      );
    };
    const client = restClientFor(config);
    try {
      const stream = await client.watch(CM, {
        resourceVersion: "5",
        allowWatchBookmarks: true,
        timeoutSeconds: 30,
      });
      const seen: string[] = [];
      for await (const ev of stream) seen.push(`${ev.type}:${ev.object.metadata?.name ?? ""}`);
      assertEquals(seen, ["ADDED:a", "BOOKMARK:", "DELETED:a"]);
      const q = new URL(server.requests[0].url, "https://x").searchParams;
      assertEquals(
        [
          q.get("watch"),
          q.get("resourceVersion"),
          q.get("allowWatchBookmarks"),
          q.get("timeoutSeconds"),
        ],
        ["true", "5", "true", "30"],
      );
    } finally {
      client.close();
    }
  });
});

Deno.test("410 Gone is distinct, as an HTTP answer and as an ERROR event", async () => {
  await withServer(async (server, config) => {
    server.handler = (req, res) => {
      if (req.url.includes("resourceVersion=1&")) {
        return sendStatus(res, 410, "Expired", "too old resource version: 1 (50)");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }) + "\n");
      res.end(
        JSON.stringify({
          type: "ERROR",
          object: { kind: "Status", code: 410, reason: "Expired", message: "too old" },
        }) + "\n",
      );
    };
    const client = restClientFor(config);
    try {
      const e = await assertRejects(() => client.watch(CM, { resourceVersion: "1" }), /too old/);
      assertTrue(e instanceof GoneError);
      const stream = await client.watch(CM, { resourceVersion: "2" });
      const seen: string[] = [];
      const inStream = await assertRejects(async () => {
        for await (const ev of stream) seen.push(ev.type);
      }, /too old/);
      assertTrue(isGone(inStream));
      assertEquals(seen, ["ADDED"]);
    } finally {
      client.close();
    }
  });
});

Deno.test("a watch stops early, on abort while it waits for the server, and not at all when aborted before", async () => {
  await withServer(async (server, config) => {
    let open = 0;
    server.handler = (_req, res) => {
      open++;
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }) + "\n");
      res.on("close", () => open--);
      // never ends on its own, and sends nothing more
    };
    const client = restClientFor(config);
    try {
      const stream = await client.watch(CM);
      for await (const ev of stream) {
        assertEquals(ev.type, "ADDED");
        break;
      }
      // Aborted while the reader waits for a line the server never sends: ends at once.
      const controller = new AbortController();
      const second = await client.watch(CM, { signal: controller.signal });
      const seen: string[] = [];
      const ended = (async () => {
        for await (const ev of second) {
          seen.push(ev.type);
          setTimeout(() => controller.abort(), 50);
        }
        return "ended";
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise((r) => timer = setTimeout(() => r("still streaming"), 2000));
      assertEquals(await Promise.race([ended, bound]), "ended");
      clearTimeout(timer);
      assertEquals(seen, ["ADDED"]);
      // Aborted before it started: no request goes out.
      const before = server.requests.length;
      await assertRejects(() => client.watch(CM, { signal: AbortSignal.abort() }));
      assertEquals(server.requests.length, before);
    } finally {
      client.close();
    }
    // Every connection was torn down.
    for (let i = 0; i < 100 && open > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assertEquals(open, 0);
  });
});

Deno.test("an unreachable server is a ConnectionError; a slow one times out", async () => {
  await withServer(async (server, config) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const freePort = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const down = restClientFor({ ...config, server: `https://127.0.0.1:${freePort}` });
    let release: () => void = () => {};
    server.handler = (_req, res) =>
      new Promise<void>((resolve) => {
        release = () => {
          sendJson(res, 200, {});
          resolve();
        };
      });
    const slow = restClientFor({ ...config, timeoutMs: 200 });
    try {
      const e = await assertRejects(() => down.getPath("/api"), /cannot connect/);
      assertTrue(e instanceof ConnectionError);
      assertEquals((e as ConnectionError).server, `https://127.0.0.1:${freePort}`);
      await assertRejects(() => slow.getPath("/api"), /no answer within 0.2s/);
    } finally {
      release();
      down.close();
      slow.close();
    }
  });
});

Deno.test("429 and a 5xx with Retry-After are sent again after the server's delay, as client-go does", async () => {
  await withServer(async (server, config) => {
    let calls = 0;
    server.handler = (req, res) => {
      calls++;
      if (req.url?.includes("throttled") && calls <= 2) {
        res.setHeader("Retry-After", "0");
        return sendStatus(
          res,
          429,
          "TooManyRequests",
          "Too many requests, please try again later.",
        );
      }
      if (req.method === "POST" && calls <= 1) {
        res.setHeader("Retry-After", "0");
        return sendStatus(res, 503, "ServiceUnavailable", "try later");
      }
      if (req.url?.includes("broken")) return sendStatus(res, 500, "InternalError", "no header");
      if (req.url?.includes("always")) {
        res.setHeader("Retry-After", "0");
        return sendStatus(res, 429, "TooManyRequests", "still too many");
      }
      return sendJson(res, 200, { kind: "ConfigMap", metadata: { name: "ok" } });
    };
    const client = restClientFor(config);
    try {
      assertEquals((await client.get({ ...CM, name: "throttled" })).metadata?.name, "ok");
      assertEquals(calls, 3, "two 429s, then the answer");
      calls = 0;
      assertEquals(
        (await client.create(CM, { metadata: { name: "c1" } })).kind,
        "ConfigMap",
      );
      assertEquals(calls, 2, "a 503 with Retry-After, then the answer");
      calls = 0;
      await assertRejects(() => client.get({ ...CM, name: "broken" }), /no header/);
      assertEquals(calls, 1, "a 500 without Retry-After is not sent again");
      calls = 0;
      const e = await assertRejects(() => client.get({ ...CM, name: "always" }), /still too many/);
      assertEquals([(e as ApiError).code, calls], [429, 11], "ten retries, then the 429");
    } finally {
      client.close();
    }
  });
});
