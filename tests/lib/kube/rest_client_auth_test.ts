import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import { startConnectProxy } from "../../support/connect_proxy.ts";
import {
  type FakeApiServer,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
  type TestPki,
} from "../../support/fake_apiserver.ts";
import { fakeServerConfig } from "../controller/fake_server_client.ts";
import type { Credentials, CredentialSource } from "../../../lib/kube/credentials.ts";
import { restClientFor } from "../../../lib/kube/rest_client.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";
import { isReportedUnauthorized, UnauthorizedError } from "../../../lib/kube/rest_errors.ts";
import { createCertificateAuthority, issueCertificate } from "../../../lib/pki/certificates.ts";

async function withServer(
  fn: (server: FakeApiServer, config: RestConfig, pki: TestPki) => Promise<void>,
  pki?: TestPki,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rest-auth-" });
  pki ??= await makeTestPki(dir);
  const server = await startFakeApiServer(pki, (req, res) => {
    if (req.headers.authorization === "Bearer good") return sendJson(res, 200, { ok: true });
    sendStatus(res, 401, "Unauthorized", "Unauthorized");
  });
  try {
    await fn(server, fakeServerConfig(server, { token: undefined }), pki);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A source handing out `tokens` in turn, recording what it was told. */
function sequence(tokens: string[], reportsRefusal = false) {
  const settled: [string | undefined, boolean][] = [];
  let i = 0;
  const source: CredentialSource = {
    current: () => Promise.resolve({ token: tokens[i] }),
    refresh: (used: Credentials) => {
      if (used.token !== tokens[i] || i + 1 >= tokens.length) return Promise.resolve(undefined);
      return Promise.resolve({ token: tokens[++i] });
    },
    settled: (used, accepted) => void settled.push([used.token, accepted]),
    reportsRefusal,
  };
  return { source, settled };
}

Deno.test("a 401 asks the credential source and retries once with what it gives", async () => {
  await withServer(async (server, config) => {
    const { source, settled } = sequence(["stale", "good"]);
    const client = restClientFor({ ...config, credentials: source });
    try {
      assertEquals(await client.getPath("/api"), { ok: true });
      assertEquals(server.requests.map((r) => r.headers.authorization), [
        "Bearer stale",
        "Bearer good",
      ]);
      assertEquals(settled, [["good", true]]);
      await client.create({ version: "v1", resource: "configmaps", namespace: "n" }, { a: 1 });
      assertEquals(server.requests.at(-1)?.body, '{"a":1}');
    } finally {
      client.close();
    }
  });
});

Deno.test("a 401 that stays is an UnauthorizedError, marked when the source reported it", async () => {
  await withServer(async (server, config) => {
    for (const reports of [false, true]) {
      const { source, settled } = sequence(["bad", "worse"], reports);
      const client = restClientFor({ ...config, credentials: source });
      try {
        const e = await assertRejects(() => client.getPath("/api"));
        assertTrue(e instanceof UnauthorizedError);
        assertEquals(isReportedUnauthorized(e), reports);
        const batch = new Error("2 write(s) failed", { cause: e });
        assertEquals(isReportedUnauthorized(batch), reports, "seen through a cause");
        assertEquals(settled, [["worse", false]]);
      } finally {
        client.close();
      }
    }
    // Without a source, a 401 is final at once.
    const plain = restClientFor({ ...config, token: "bad" });
    const before = server.requests.length;
    await assertRejects(() => plain.getPath("/api"), /Unauthorized/);
    assertEquals(server.requests.length, before + 1);
    plain.close();
  });
});

Deno.test("client certificates from a credential source are presented per request", async () => {
  await withServer(async (server, config, pki) => {
    server.handler = (req, res) => sendJson(res, 200, { cn: req.clientCommonName ?? null });
    const source: CredentialSource = {
      current: () => Promise.resolve({ certData: pki.clientCertPem, keyData: pki.clientKeyPem }),
      refresh: () => Promise.resolve(undefined),
    };
    const client = restClientFor({ ...config, credentials: source });
    try {
      assertEquals(await client.getPath("/api"), { cn: "alice" });
    } finally {
      client.close();
    }
  });
});

Deno.test("impersonation: user, uid, one header per group and extra value", async () => {
  await withServer(async (server, config) => {
    server.handler = (req, res) => {
      const lines: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        if (name.startsWith("impersonate-")) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
      }
      sendJson(res, 200, lines);
    };
    const client = restClientFor({
      ...config,
      token: "good",
      impersonate: {
        user: "bob",
        uid: "u-1",
        groups: ["devs", "ops"],
        extra: { "scopes.example.com/x y": ["a", "b"] },
      },
    });
    try {
      assertEquals(await client.getPath("/api"), [
        "impersonate-user: bob",
        "impersonate-uid: u-1",
        "impersonate-group: devs",
        "impersonate-group: ops",
        "impersonate-extra-scopes.example.com%2fx%20y: a",
        "impersonate-extra-scopes.example.com%2fx%20y: b",
      ]);
    } finally {
      client.close();
    }
  });
});

Deno.test("proxy-url: requests tunnel through the proxy (fetch and node transports)", async () => {
  await withServer(async (server, config) => {
    const proxy = await startConnectProxy({ auth: "me:pw" });
    const proxyUrl = proxy.url.replace("://", "://me:pw@");
    const viaFetch = restClientFor({ ...config, token: "good", proxyUrl });
    const viaNode = restClientFor({
      ...config,
      token: "good",
      proxyUrl,
      server: `https://127.0.0.1:${server.port}`,
      tlsServerName: "localhost",
    });
    try {
      assertEquals(await viaFetch.getPath("/api"), { ok: true });
      assertEquals(proxy.connects, [`127.0.0.1:${server.port}`]);
      assertEquals(await viaNode.getPath("/api"), { ok: true });
      assertEquals(proxy.connects.length, 2);
      // A DELETE body through node:https arrives whole (it needs a Content-Length).
      await viaNode.delete({ version: "v1", resource: "configmaps", namespace: "n", name: "x" }, {
        propagationPolicy: "Background",
      });
      assertEquals(JSON.parse(server.requests.at(-1)!.body).propagationPolicy, "Background");
    } finally {
      viaFetch.close();
      viaNode.close();
      await proxy.close();
    }
  });
});

Deno.test("HTTPS_PROXY and NO_PROXY are read by Go's rules, loopback direct", async () => {
  const ca = await createCertificateAuthority({ commonName: "proxied-ca" });
  const serving = await issueCertificate(ca, {
    commonName: "api",
    dnsNames: ["api.proxied.test"],
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  const pki = {
    caPem: ca.certPem,
    serverCertPem: serving.certPem,
    serverKeyPem: serving.keyPem,
  } as TestPki;
  await withServer(async (server, config) => {
    const proxy = await startConnectProxy({ resolve: () => "127.0.0.1" });
    const names = ["HTTPS_PROXY", "NO_PROXY", "https_proxy", "no_proxy", "ALL_PROXY"];
    const saved = names.map((n) => [n, Deno.env.get(n)] as const);
    names.forEach((n) => Deno.env.delete(n));
    const named = { ...config, token: "good", server: `https://api.proxied.test:${server.port}` };
    try {
      Deno.env.set("HTTPS_PROXY", proxy.url);
      Deno.env.set("ALL_PROXY", "http://127.0.0.1:9"); // Deno would use it; Go does not
      const loopback = restClientFor({ ...config, token: "good" });
      assertEquals(await loopback.getPath("/api"), { ok: true }, "loopback: direct");
      loopback.close();
      assertEquals(proxy.connects, []);
      const proxied = restClientFor(named);
      assertEquals(await proxied.getPath("/api"), { ok: true });
      proxied.close();
      assertEquals(proxy.connects, [`api.proxied.test:${server.port}`]);
      Deno.env.set("NO_PROXY", ".proxied.test");
      const excluded = restClientFor(named);
      await assertRejects(() => excluded.getPath("/api"), /cannot connect to the server/);
      excluded.close();
      assertEquals(proxy.connects.length, 1, "NO_PROXY: direct (and the name does not resolve)");
    } finally {
      names.forEach((n) => Deno.env.delete(n));
      for (const [n, v] of saved) if (v !== undefined) Deno.env.set(n, v);
      await proxy.close();
    }
  }, pki);
});
