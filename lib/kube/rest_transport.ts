/**
 * The HTTPS transport under the REST client: `fetch` with a `Deno.HttpClient` holding
 * the CA and client certificate, so TLS is verified against the kubeconfig's CA.
 *
 * Deno's fetch cannot skip verification or verify against a name other than the
 * URL's host, so the two kubeconfig settings that need that
 * (`insecure-skip-tls-verify`, `tls-server-name`) use `node:https` instead, and only
 * then. Both transports return a standard `Response`.
 *
 * @module
 */
import type { RestConfig } from "./rest_config.ts";

/** One HTTP request. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Sends requests; shared by clients derived with `withCluster`. */
export interface HttpTransport {
  send(request: TransportRequest): Promise<Response>;
  close(): void;
}

/** Chooses the transport for a connection. */
export function transportFor(config: RestConfig): HttpTransport {
  if (config.insecureSkipTlsVerify || config.tlsServerName) return new NodeHttpsTransport(config);
  return new FetchTransport(config);
}

class FetchTransport implements HttpTransport {
  #client: Deno.HttpClient | undefined;

  constructor(config: RestConfig) {
    const caCerts = config.caData ? [config.caData] : undefined;
    this.#client = config.certData && config.keyData
      ? Deno.createHttpClient({ caCerts, cert: config.certData, key: config.keyData })
      : Deno.createHttpClient({ caCerts });
  }

  send(request: TransportRequest): Promise<Response> {
    return fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      client: this.#client,
    });
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}

class NodeHttpsTransport implements HttpTransport {
  readonly #config: RestConfig;
  // deno-lint-ignore no-explicit-any
  #agent: any;

  constructor(config: RestConfig) {
    this.#config = config;
  }

  async send(request: TransportRequest): Promise<Response> {
    const https = await import("node:https");
    const { Readable } = await import("node:stream");
    const c = this.#config;
    this.#agent ??= new https.Agent({ keepAlive: true });
    return await new Promise<Response>((resolve, reject) => {
      const req = https.request(request.url, {
        method: request.method,
        headers: request.headers,
        agent: this.#agent,
        ca: c.caData,
        cert: c.certData,
        key: c.keyData,
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
    this.#agent?.destroy();
    this.#agent = undefined;
  }
}
