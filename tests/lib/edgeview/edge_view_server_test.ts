import { startEdgeView } from "../../../lib/edgeview/edge_view_server.ts";
import { Logger } from "../../../lib/log/logger.ts";
import { createCertificateAuthority, issueCertificate } from "../../../lib/pki/certificates.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

interface Seen {
  url: string;
  headers: Headers;
  body: string;
}

/** A view in front of an HTTPS upstream that records what reaches it. */
async function withView(
  fn: (
    call: (path: string, init?: RequestInit) => Promise<Response>,
    seen: Seen[],
  ) => Promise<void>,
) {
  const ca = await createCertificateAuthority({ commonName: "test-ca" });
  const leaf = await issueCertificate(ca, {
    commonName: "localhost",
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  const seen: Seen[] = [];
  const upstream = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: leaf.certPem,
    key: leaf.keyPem,
    onListen: () => {},
  }, async (req) => {
    seen.push({ url: req.url, headers: new Headers(req.headers), body: await req.text() });
    if (new URL(req.url).searchParams.get("watch") === "1") {
      const den =
        `{"type":"ADDED","object":{"apiVersion":"denatured.kubestellar.io/v1","kind":"Role"}}\n`;
      const enc = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode(den.slice(0, 20))); // a line split across chunks
          c.enqueue(enc.encode(den.slice(20) + den));
          c.close();
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    }
    return Response.json({ apiVersion: "denatured.kubestellar.io/v1", kind: "Role" });
  });
  const lines: string[] = [];
  const view = startEdgeView({
    upstream: {
      server: `https://127.0.0.1:${upstream.addr.port}/clusters/root`,
      caData: ca.certPem,
    },
    certPem: leaf.certPem,
    keyPem: leaf.keyPem,
    log: new Logger("edge-view", { verbose: true, write: (l) => lines.push(l) }),
    maxBodyBytes: 1024,
  });
  const client = Deno.createHttpClient({ caCerts: [ca.certPem] });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${view.url}${path}`, { ...init, client });
  try {
    await fn(call, seen);
    assertTrue(!lines.join("\n").includes("s3cret"), "a token reached the log");
  } finally {
    client.close();
    await view.stop();
    await upstream.shutdown();
  }
}

const auth = { authorization: "Bearer s3cret" };
const rolePath = "/clusters/root:w/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles";

Deno.test("edge view: hostile or unsupported requests are a 4xx and never reach kcp", async () => {
  await withView(async (call, seen) => {
    const code = async (path: string, init?: RequestInit) => {
      const res = await call(path, init);
      await res.body?.cancel();
      return res.status;
    };
    assertEquals(await code(rolePath), 401);
    assertEquals(
      await code("/clusters/root:w/api/v1/namespaces/a%2Fb/serviceaccounts", { headers: auth }),
      400,
    );
    assertEquals(
      await code(rolePath, { method: "POST", headers: auth, body: "x".repeat(2048) }),
      413,
    );
    assertEquals(
      await code(rolePath, {
        method: "POST",
        headers: { ...auth, "content-type": "application/vnd.kubernetes.protobuf" },
        body: "\0",
      }),
      415,
    );
    assertEquals(await code(rolePath, { headers: { ...auth, accept: "application/yaml" } }), 406);
    assertEquals(await code(rolePath, { method: "POST", headers: auth, body: "{not json" }), 400);
    assertEquals(seen.length, 0);
  });
});

Deno.test("edge view: the user's token reaches kcp; mapped paths and bodies both ways", async () => {
  await withView(async (call, seen) => {
    const res = await call(rolePath, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" }),
    });
    assertEquals(await res.json(), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" });
    assertEquals(
      new URL(seen[0].url).pathname,
      "/clusters/root:w/apis/denatured.kubestellar.io/v1/namespaces/ns/roles",
    );
    assertEquals(seen[0].headers.get("authorization"), "Bearer s3cret");
    assertEquals(JSON.parse(seen[0].body), {
      apiVersion: "denatured.kubestellar.io/v1",
      kind: "Role",
    });
    const other = await call("/clusters/root:w/api/v1/namespaces/ns/configmaps?limit=1", {
      headers: auth,
    });
    await other.body?.cancel();
    assertEquals(
      new URL(seen[1].url).pathname + new URL(seen[1].url).search,
      "/clusters/root:w/api/v1/namespaces/ns/configmaps?limit=1",
    );
    const watch = await call(`${rolePath}?watch=1`, { headers: auth });
    const lines = (await watch.text()).trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.map((l) => l.object.apiVersion), [
      "rbac.authorization.k8s.io/v1",
      "rbac.authorization.k8s.io/v1",
    ]);
  });
});
