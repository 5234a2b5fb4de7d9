/**
 * A local OpenID Connect provider for tests, over HTTPS with a CA of its own: OIDC
 * discovery (`/.well-known/openid-configuration`) and a token endpoint answering the
 * OAuth2 `refresh_token` grant for one client, rotating the refresh token each time.
 * The id_token it hands out comes from the test (e.g. a service-account token the API
 * server accepts), so the refreshed token really authenticates.
 *
 * @example
 * ```ts
 * const idp = await startOidcProvider({ clientId: "kubectl", clientSecret: "s", idToken: () => saToken });
 * const user = idp.user(expiredJwt());
 * ... idp.refreshes ...
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createCertificateAuthority, issueCertificate } from "../../lib/pki/certificates.ts";

/** Options of `startOidcProvider`. */
export interface OidcProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The id_token of each refresh. */
  idToken: () => string | Promise<string>;
}

/** A running provider. */
export interface OidcProvider {
  /** The issuer URL (`https://127.0.0.1:<port>`). */
  issuer: string;
  /** PEM of the CA that signed its certificate. */
  caPem: string;
  /** How many refresh grants it answered. */
  refreshes: number;
  /** The refresh token it accepts now. */
  refreshToken: string;
  /** A kubeconfig `user` value with the `oidc` auth-provider and `idToken`. */
  user(idToken: string): Record<string, unknown>;
  close(): Promise<void>;
}

/** A JWT (unsigned, as the client never checks signatures) with this `exp` (seconds). */
export function jwtWithExpiry(exp: number): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ sub: "alice", exp })}.c2ln`;
}

/** Starts the provider on a free loopback port. */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProvider> {
  const ca = await createCertificateAuthority({ commonName: "test-idp-ca" });
  const serving = await issueCertificate(ca, {
    commonName: "idp",
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  const state = {
    refreshes: 0,
    refreshToken: "refresh-1",
  };
  let issuer = "";
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: serving.certPem,
    key: serving.keyPem,
    onListen() {},
  }, async (req) => {
    const url = new URL(req.url);
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return Response.json({ issuer, token_endpoint: `${issuer}/token` });
    }
    if (req.method !== "POST" || url.pathname !== "/token") {
      return new Response("not found", { status: 404 });
    }
    const form = new URLSearchParams(await req.text());
    const basic = `Basic ${btoa(`${options.clientId}:${options.clientSecret}`)}`;
    if (req.headers.get("authorization") !== basic) {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    if (
      form.get("grant_type") !== "refresh_token" ||
      form.get("refresh_token") !== state.refreshToken
    ) {
      return Response.json({ error: "invalid_grant" }, { status: 400 });
    }
    state.refreshes++;
    state.refreshToken = `refresh-${state.refreshes + 1}`;
    return Response.json({
      access_token: `access-${state.refreshes}`,
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: state.refreshToken,
      id_token: await options.idToken(),
    });
  });
  issuer = `https://127.0.0.1:${server.addr.port}`;
  return {
    issuer,
    caPem: ca.certPem,
    get refreshes() {
      return state.refreshes;
    },
    get refreshToken() {
      return state.refreshToken;
    },
    user(idToken: string) {
      return {
        "auth-provider": {
          name: "oidc",
          config: {
            "idp-issuer-url": issuer,
            "client-id": options.clientId,
            "client-secret": options.clientSecret,
            "id-token": idToken,
            "refresh-token": state.refreshToken,
            "idp-certificate-authority-data": Buffer.from(ca.certPem).toString("base64"),
          },
        },
      };
    },
    close: () => server.shutdown(),
  };
}
