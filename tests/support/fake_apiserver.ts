/**
 * A tiny HTTPS server for client tests: certificates made with the project's own PKI
 * code, so no `openssl` is needed (a CA, a server certificate for 127.0.0.1/localhost, a
 * client certificate, and an unrelated CA), and a handler the test programs per request.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const server = await startFakeApiServer(await makeTestPki(dir), (req, res) => {
 *   sendJson(res, 200, { kind: "NamespaceList", items: [] });
 * });
 * try { ... } finally { await server.close(); await Deno.remove(dir, { recursive: true }); }
 * ```
 *
 * @module
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { createCertificateAuthority, issueCertificate } from "../../lib/pki/certificates.ts";

/** Certificates for a test. */
export interface TestPki {
  dir: string;
  caFile: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertFile: string;
  clientKeyFile: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A CA that signed nothing the server uses (for verification failures). */
  otherCaFile: string;
  otherCaPem: string;
}

/** Makes a CA, a server cert (IP:127.0.0.1, DNS:localhost), a client cert and another CA in `dir`. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const write = async (name: string, text: string) => {
    await Deno.writeTextFile(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };
  const ca = await createCertificateAuthority({ commonName: "ca", validityDays: 2 });
  const other = await createCertificateAuthority({ commonName: "other-ca", validityDays: 2 });
  const server = await issueCertificate(ca, {
    commonName: "server",
    dnsNames: ["localhost"],
    ipAddresses: ["127.0.0.1"],
    usage: "server",
    validityDays: 2,
  });
  const client = await issueCertificate(ca, {
    commonName: "alice",
    organizations: ["devs"],
    usage: "client",
    validityDays: 2,
  });
  await write("server.crt", server.certPem);
  await write("server.key", server.keyPem);
  return {
    dir,
    caFile: await write("ca.crt", ca.certPem),
    caPem: ca.certPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    clientCertFile: await write("client.crt", client.certPem),
    clientKeyFile: await write("client.key", client.keyPem),
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
    otherCaFile: await write("other-ca.crt", other.certPem),
    otherCaPem: other.certPem,
  };
}

/** A request as the fake server saw it. */
export interface FakeRequest {
  method: string;
  /** Path and query, e.g. `/clusters/root/api/v1/namespaces?limit=1`. */
  url: string;
  headers: Record<string, string>;
  /** Header lines as sent (name, value, name, value, …): repeated headers stay apart. */
  rawHeaders: string[];
  body: string;
  /** CN of the verified client certificate, if one was presented. */
  clientCommonName?: string;
}

/** Answers one request. */
export type FakeHandler = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

/** A running fake server. */
export interface FakeApiServer {
  url: string;
  port: number;
  pki: TestPki;
  requests: FakeRequest[];
  handler: FakeHandler;
  close(): Promise<void>;
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Writes a failure `Status`. */
export function sendStatus(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
): void {
  sendJson(res, code, {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    code,
    reason,
    message,
  });
}

/** Starts the server on a free loopback port. */
export async function startFakeApiServer(
  pki: TestPki,
  handler: FakeHandler = (_req, res) => sendStatus(res, 404, "NotFound", "not found"),
): Promise<FakeApiServer> {
  const sockets = new Set<Socket>();
  const state: FakeApiServer = {
    url: "",
    port: 0,
    pki,
    requests: [],
    handler,
    close: () => Promise.resolve(),
  };
  const server = https.createServer({
    key: pki.serverKeyPem,
    cert: pki.serverCertPem,
    ca: pki.caPem,
    requestCert: true,
    rejectUnauthorized: false,
  }, async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of req) body += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // The client went away mid-request (a timed-out poll): nothing to answer.
      res.destroy();
      return;
    }
    body += decoder.decode();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
    // deno-lint-ignore no-explicit-any
    const sock = req.socket as any;
    const peer = sock.authorized ? sock.getPeerCertificate?.() : undefined;
    const fake: FakeRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers,
      rawHeaders: req.rawHeaders,
      body,
      clientCommonName: peer?.subject?.CN,
    };
    state.requests.push(fake);
    try {
      await state.handler(fake, res);
    } catch (e) {
      if (!res.headersSent) sendStatus(res, 500, "InternalError", String(e));
      else res.destroy();
    }
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  state.port = port;
  state.url = `https://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A kubeconfig (YAML text) with one context `test` for `server`, authenticated by `token`. */
export function kubeconfigFor(
  server: string,
  pki: TestPki,
  options: { token?: string; clientCert?: boolean; caPem?: string } = {},
): string {
  const b64 = (s: string) => btoa(s);
  const user = options.clientCert
    ? `    client-certificate-data: ${b64(pki.clientCertPem)}\n    client-key-data: ${
      b64(pki.clientKeyPem)
    }\n`
    : `    token: ${options.token ?? "secret-token"}\n`;
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(options.caPem ?? pki.caPem)}`,
    `    server: ${server}`,
    "  name: test",
    "contexts:",
    "- context:",
    "    cluster: test",
    "    user: test",
    "  name: test",
    "current-context: test",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: test",
    "  user:",
    user.trimEnd(),
    "",
  ].join("\n");
}
