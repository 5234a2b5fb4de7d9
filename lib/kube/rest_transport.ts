/**
 * The HTTPS transport under the REST client: `fetch` with a `Deno.HttpClient` holding
 * the CA, the client certificate and the proxy, so TLS is verified against the
 * kubeconfig's CA.
 *
 * - Proxy: the cluster's `proxy-url` (http, https or socks5), else the environment by
 *   Go's rules (`proxy_environment.ts`), else a direct connection. Deno's own reading
 *   of `HTTPS_PROXY` (which proxies loopback too) is kept out: a direct client is
 *   created with the proxy variables hidden for that one synchronous call.
 * - Client certificates may differ per request (an exec plugin can rotate them), so
 *   one `Deno.HttpClient` is kept per certificate (the last few).
 *
 * Deno's fetch cannot skip verification or verify against a name other than the
 * URL's host, and joins repeated headers into one line, so the kubeconfig settings that
 * need those (`insecure-skip-tls-verify`, `tls-server-name`, impersonating several
 * groups) use `node:https` instead, and only then; through a proxy it uses client-node's proxy agents (from
 * `KubeConfig.applyToHTTPSOptions`).
 * Both transports return a standard `Response`.
 *
 * @module
 */
import { loadClientNode } from "./client_node.ts";
import { Http1Transport } from "./http1_transport.ts";
import { proxyFromEnvironment } from "./proxy_environment.ts";
import type { RestConfig } from "./rest_config.ts";

/** One HTTP request. */
export interface TransportRequest {
  method: string;
  url: string;
  /** Header values; an array repeats the header (`Impersonate-Group`). */
  headers: Record<string, string | string[]>;
  body?: string;
  signal?: AbortSignal;
  /** PEM client certificate and key for this request. */
  clientCert?: { certData: string; keyData: string };
  /** The answer is read as a stream (a watch), not whole. */
  streaming?: boolean;
}

/** What a transport answers with: the part of a `Response` the client reads. */
export interface TransportResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** The body as a stream (a watch's events). */
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  /** Releases an answer the caller will not read (absent: read it with `text`). */
  discard?(): Promise<void>;
}

/** Sends requests; shared by clients derived with `withCluster`. */
export interface HttpTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

/**
 * True when the connection needs `node:https`: TLS settings Deno's fetch lacks, or a
 * header that must repeat (Deno's fetch joins repeated headers into one line, which a
 * Kubernetes API server would read as one group named "a, b").
 */
function needsNodeTransport(config: RestConfig): boolean {
  const as = config.impersonate;
  const repeats = (as?.groups?.length ?? 0) > 1 ||
    Object.values(as?.extra ?? {}).some((values) => values.length > 1);
  return config.insecureSkipTlsVerify === true || !!config.tlsServerName || repeats;
}

/** `KUBESTELLAR_HTTP_TRANSPORT=fetch`: every request through `fetch`. */
function fetchOnly(): boolean {
  try {
    return Deno.env.get("KUBESTELLAR_HTTP_TRANSPORT") === "fetch";
  } catch {
    return false;
  }
}

/**
 * Chooses the transport for a connection: `node:https` for the TLS settings `fetch`
 * lacks, `fetch` through a proxy, else HTTP/1.1 keep-alive for whole answers with
 * `fetch` for watches (`http1_transport.ts`).
 */
export function transportFor(config: RestConfig): HttpTransport {
  const proxy = config.proxyUrl ?? proxyFromEnvironment(config.server);
  if (needsNodeTransport(config)) return new NodeHttpsTransport(config, proxy);
  const viaFetch = new FetchTransport(config, proxy);
  if (proxy || fetchOnly()) return viaFetch;
  return new Http1Transport(config.caData, viaFetch);
}

const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
];

/** Runs `fn` with the proxy variables hidden from Deno (restored before returning). */
function withoutProxyEnvironment<T>(fn: () => T): T {
  const saved: [string, string][] = [];
  try {
    for (const name of PROXY_VARIABLES) {
      const value = Deno.env.get(name);
      if (value === undefined) continue;
      saved.push([name, value]);
      Deno.env.delete(name);
    }
  } catch {
    // no env permission: Deno cannot read the variables either
  }
  try {
    return fn();
  } finally {
    for (const [name, value] of saved) Deno.env.set(name, value);
  }
}

/** Deno's form of a proxy URL (credentials in `basicAuth`). */
export function denoProxy(proxyUrl: string): Deno.Proxy {
  const u = new URL(proxyUrl);
  const transport = u.protocol === "https:"
    ? "https"
    : u.protocol.startsWith("socks5")
    ? "socks5"
    : "http";
  const basicAuth = u.username || u.password
    ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
    : undefined;
  u.username = "";
  u.password = "";
  return { transport, url: u.toString().replace(/\/$/, ""), ...(basicAuth ? { basicAuth } : {}) };
}

/** TLS settings of a `Deno.HttpClient`. */
export interface HttpClientTls {
  /** PEM certificate authorities to trust (absent: the system roots). */
  caCerts?: string[];
  /** PEM client certificate and key. */
  certData?: string;
  keyData?: string;
}

/**
 * A `Deno.HttpClient` that goes through `proxyUrl`, or connects directly when it is
 * undefined (whatever Deno would read from the environment).
 */
export function createHttpClient(
  tls: HttpClientTls,
  proxyUrl: string | undefined,
): Deno.HttpClient {
  const options: Deno.CreateHttpClientOptions & { cert?: string; key?: string } = {
    caCerts: tls.caCerts,
  };
  if (tls.certData && tls.keyData) {
    options.cert = tls.certData;
    options.key = tls.keyData;
  }
  if (proxyUrl) return Deno.createHttpClient({ ...options, proxy: denoProxy(proxyUrl) });
  return withoutProxyEnvironment(() => Deno.createHttpClient(options));
}

/** How many clients (one per client certificate) a fetch transport keeps. */
const MAX_CLIENTS = 4;

class FetchTransport implements HttpTransport {
  readonly #caCerts: string[] | undefined;
  readonly #proxy: string | undefined;
  readonly #clients = new Map<string, Deno.HttpClient>();

  constructor(config: RestConfig, proxy: string | undefined) {
    this.#caCerts = config.caData ? [config.caData] : undefined;
    this.#proxy = proxy;
  }

  #client(cert: TransportRequest["clientCert"]): Deno.HttpClient {
    const key = cert ? `${cert.certData}\0${cert.keyData}` : "";
    let client = this.#clients.get(key);
    if (client) return client;
    client = createHttpClient({ caCerts: this.#caCerts, ...cert }, this.#proxy);
    if (this.#clients.size >= MAX_CLIENTS) {
      const [oldest, old] = this.#clients.entries().next().value!;
      this.#clients.delete(oldest);
      old.close();
    }
    this.#clients.set(key, client);
    return client;
  }

  send(request: TransportRequest): Promise<Response> {
    const headers = new Headers();
    for (const [k, v] of Object.entries(request.headers)) {
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    return fetch(request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal: request.signal,
      client: this.#client(request.clientCert),
    });
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}

class NodeHttpsTransport implements HttpTransport {
  readonly #config: RestConfig;
  readonly #proxy: string | undefined;
  // deno-lint-ignore no-explicit-any
  #agent: Promise<any> | undefined;

  constructor(config: RestConfig, proxy: string | undefined) {
    this.#config = config;
    this.#proxy = proxy;
  }

  // deno-lint-ignore no-explicit-any
  async #makeAgent(): Promise<any> {
    const c = this.#config;
    if (!this.#proxy) {
      const https = await import("node:https");
      return new https.Agent({ keepAlive: true });
    }
    const { KubeConfig } = await loadClientNode(() =>
      import("@kubernetes/client-node/dist/config.js")
    );
    const kc = new KubeConfig();
    const cluster = {
      name: "proxied",
      server: c.server,
      proxyUrl: this.#proxy,
      skipTLSVerify: c.insecureSkipTlsVerify === true,
      tlsServerName: c.tlsServerName,
      caData: c.caData === undefined ? undefined : btoa(c.caData),
    };
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: "proxied" }],
      contexts: [{ name: "proxied", cluster: "proxied", user: "proxied" }],
      currentContext: "proxied",
    });
    // Only the agent is taken: credentials go with each request.
    const options: { agent?: unknown } = {};
    await kc.applyToHTTPSOptions(options);
    return options.agent;
  }

  async send(request: TransportRequest): Promise<Response> {
    const https = await import("node:https");
    const { Readable } = await import("node:stream");
    const c = this.#config;
    this.#agent ??= this.#makeAgent();
    const agent = await this.#agent;
    return await new Promise<Response>((resolve, reject) => {
      // Node sends a DELETE body without framing unless told its length.
      const headers = request.body === undefined ? request.headers : {
        ...request.headers,
        "Content-Length": String(new TextEncoder().encode(request.body).length),
      };
      const req = https.request(request.url, {
        method: request.method,
        headers,
        agent,
        ca: c.caData,
        cert: request.clientCert?.certData,
        key: request.clientCert?.keyData,
        rejectUnauthorized: !c.insecureSkipTlsVerify,
        servername: c.tlsServerName,
        signal: request.signal,
      }, (res) => {
        const status = res.statusCode ?? 500;
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
          else if (v !== undefined) headers.set(k, String(v));
        }
        const noBody = status === 204 || status === 304 || request.method === "HEAD";
        if (noBody) res.resume();
        const body = noBody ? null : Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
        resolve(new Response(body, { status, headers }));
      });
      req.on("error", reject);
      req.end(request.body);
    });
  }

  close(): void {
    this.#agent?.then((a) => a.destroy()).catch(() => {});
    this.#agent = undefined;
  }
}
