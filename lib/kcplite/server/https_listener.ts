/**
 * The TLS listener of kcp-lite on `node:tls` (toolchain "Server-side facts"): a default
 * serving certificate, extra certificates chosen by SNI (`--tls-sni-cert-key`), and client
 * certificates requested but not required (`requestCert: true, rejectUnauthorized: false`),
 * so that authentication can accept a verified certificate or a bearer token. It speaks
 * HTTP/1.1 ({@link ./http1_server_connection.ts}; ALPN offers only `http/1.1`, as
 * kube-apiserver's clients fall back to it). Connections are held to time limits by a
 * {@link ConnectionGuard} until their first request, then by their idle time.
 *
 * @module
 */
import type { Socket } from "node:net";
import tls, { type TLSSocket } from "node:tls";
import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  ConnectionGuard,
  type ConnectionTimeouts,
  DEFAULT_CONNECTION_TIMEOUTS,
} from "./connection_guard.ts";
import type { ServerReply, ServerRequest } from "./http1_exchange.ts";
import { Http1ServerConnection } from "./http1_server_connection.ts";

/** A certificate and key served for some SNI names. */
export interface SniCertificate {
  certPem: string;
  keyPem: string;
  /** Names to serve it for; empty: the DNS names (and CN) of the certificate. */
  names?: string[];
}

/** What the listener serves. */
export interface TlsListenerOptions {
  certPem: string;
  keyPem: string;
  /** CAs that client certificates are verified against. */
  clientCaPem: string;
  sni?: SniCertificate[];
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler: (req: ServerRequest, res: ServerReply) => void;
  /** Connection time limits (default: 10 s to the first request's headers, 90 s idle). */
  timeouts?: ConnectionTimeouts;
}

/** A listening server. */
export interface TlsListener {
  port: number;
  /** Stops listening and closes every open connection (watches included). */
  close(): Promise<void>;
}

/** The names a certificate is valid for: DNS SANs, else its common name. */
export function certificateNames(certPem: string): string[] {
  const cert = new X509Certificate(certPem);
  const names = (cert.subjectAltName ?? "").split(",").map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:")).map((s) => s.slice(4).toLowerCase());
  if (names.length > 0) return names;
  const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

/**
 * Checks that a certificate and a private key are PEM and belong together (Deno's
 * `tls.createSecureContext` does not); throws one line saying which part is wrong.
 */
export function checkCertificatePair(certPem: string, keyPem: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new Error("the certificate file does not hold a PEM certificate");
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new Error("the key file does not hold a PEM private key");
  }
  if (!cert.checkPrivateKey(key)) {
    throw new Error("the private key does not belong to the certificate");
  }
}

/** Picks the SNI entry for a server name: exact names first, then wildcard names. */
export function selectSniEntry<T extends { names: string[] }>(
  entries: T[],
  serverName: string,
): T | undefined {
  const name = serverName.toLowerCase();
  const exact = entries.find((e) => e.names.includes(name));
  if (exact) return exact;
  const dot = name.indexOf(".");
  if (dot < 0) return undefined;
  const wildcard = `*${name.slice(dot)}`;
  return entries.find((e) => e.names.includes(wildcard));
}

/** Starts listening; resolves once the port is bound. */
export function startTlsListener(options: TlsListenerOptions): Promise<TlsListener> {
  const ca = options.clientCaPem;
  const sni = (options.sni ?? []).map((e) => ({
    names: (e.names && e.names.length > 0 ? e.names : certificateNames(e.certPem))
      .map((n) => n.toLowerCase()),
    context: tls.createSecureContext({ cert: e.certPem, key: e.keyPem, ca }),
  }));
  const guard = new ConnectionGuard(options.timeouts ?? DEFAULT_CONNECTION_TIMEOUTS);
  const server = tls.createServer({
    cert: options.certPem,
    key: options.keyPem,
    ca,
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ["http/1.1"],
    SNICallback: (serverName, callback) => {
      callback(null, selectSniEntry(sni, serverName)?.context);
    },
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    new Http1ServerConnection(socket, {
      handler: options.handler,
      idleMs: guard.timeouts.idleMs,
      onFirstRequest: () => guard.requestStarted(socket),
    });
  });
  server.on("connection", (socket: Socket) => {
    socket.setNoDelay(true);
    guard.accepted(socket);
  });
  server.on("tlsClientError", () => {});
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            guard.destroyAll();
          }),
      });
    });
  });
}
