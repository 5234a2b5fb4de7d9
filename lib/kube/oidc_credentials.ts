/**
 * The `oidc` auth-provider (`users[].user.auth-provider: {name: oidc, config: …}`), as
 * client-go's `plugin/pkg/client/auth/oidc` implements it:
 *
 * - the `id-token` is sent while it is valid (its JWT `exp` more than 10 s away);
 * - otherwise it is refreshed with the `refresh-token`: the token endpoint comes from
 *   `<idp-issuer-url>/.well-known/openid-configuration`, the refresh is an OAuth2
 *   `refresh_token` grant with the client credentials in a Basic header (and, if the
 *   provider refuses that, in the form, as Go's oauth2 auto-detection does); the answer
 *   must carry an `id_token`;
 * - the new `id-token` (and `refresh-token`, if another came back) are written back to
 *   the kubeconfig before use, as kubectl's persister does;
 * - the identity provider is reached with `idp-certificate-authority(-data)` as its CA
 *   (system roots without) and the environment's proxy by Go's rules;
 * - one provider per (cluster, issuer, client-id) in a process, one refresh at a time.
 *
 * client-node 1.4's `OpenIDConnectAuth` is not used: it ignores the IdP's CA, writes
 * nothing back, shares one expiry between all users, and records openid-client's
 * `expiresIn()` (seconds left) as an absolute time, which makes every later request
 * refresh again (see `docs/kubernetes-client.md`).
 *
 * @example
 * ```ts
 * const source = oidcCredentials("https://kcp.example:6443", user["auth-provider"].config, persist);
 * const { token } = await source.current();
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { UserError } from "../cli/errors.ts";
import type { Credentials, CredentialSource } from "./credentials.ts";
import { proxyFromEnvironment } from "./proxy_environment.ts";
import { createHttpClient } from "./rest_transport.ts";

/** The `auth-provider.config` keys of `oidc`. */
export type OidcConfig = Record<string, string>;

/** Writes refreshed tokens back (into the kubeconfig entry the config came from). */
export type OidcPersister = (tokens: { "id-token": string; "refresh-token": string }) => Promise<
  void
>;

/** Tokens are refreshed this long before their `exp`. */
const EXPIRY_DELTA_MS = 10_000;

function failure(message: string): UserError {
  return new UserError(`oidc auth-provider: ${message}`);
}

/** The `exp` of a JWT in epoch milliseconds; throws when it is not a JWT. */
export function jwtExpiry(token: string): number {
  const parts = token.split(".");
  if (parts.length !== 3) throw failure("ID Token is not a valid JWT");
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    const exp = Number(claims.exp);
    return Number.isFinite(exp) ? Math.trunc(exp) * 1000 : 0;
  } catch {
    throw failure("ID Token is not a valid JWT: its claims do not parse");
  }
}

class OidcSource implements CredentialSource {
  #config: OidcConfig;
  readonly #persist: OidcPersister;
  readonly #now: () => number;
  #client: Deno.HttpClient | undefined;
  #refreshing: Promise<string> | undefined;
  /** How many refreshes were made (tests). */
  refreshes = 0;

  constructor(config: OidcConfig, persist: OidcPersister, now: () => number) {
    this.#config = { ...config };
    this.#persist = persist;
    this.#now = now;
  }

  async #caCerts(): Promise<string[] | undefined> {
    const data = this.#config["idp-certificate-authority-data"];
    if (data) return [Buffer.from(data, "base64").toString("utf8")];
    const file = this.#config["idp-certificate-authority"];
    if (!file) return undefined;
    try {
      return [await Deno.readTextFile(file)];
    } catch (e) {
      throw failure(`cannot read idp-certificate-authority "${file}": ${(e as Error).message}`);
    }
  }

  async #fetch(url: string, init: RequestInit = {}): Promise<Response> {
    this.#client ??= createHttpClient(
      { caCerts: await this.#caCerts() },
      proxyFromEnvironment(url),
    );
    try {
      return await fetch(url, { ...init, client: this.#client });
    } catch (e) {
      let inner: unknown = e;
      while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
      throw failure(`cannot reach ${new URL(url).origin}: ${(inner as Error).message ?? inner}`);
    }
  }

  async #tokenEndpoint(): Promise<string> {
    const issuer = this.#config["idp-issuer-url"];
    const wellKnown = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const res = await this.#fetch(wellKnown);
    const body = await res.text();
    if (res.status !== 200) {
      throw failure(`failed to query metadata endpoint ${res.status}: "${body.slice(0, 80)}"`);
    }
    let endpoint: unknown;
    try {
      endpoint = JSON.parse(body).token_endpoint;
    } catch (e) {
      throw failure(`failed to decode provider discovery object: ${(e as Error).message}`);
    }
    if (typeof endpoint !== "string" || endpoint === "") {
      throw failure("discovery object doesn't contain a token_endpoint");
    }
    return endpoint;
  }

  /** POSTs the refresh grant, client credentials in the header first, then in the form. */
  async #grant(endpoint: string, refreshToken: string): Promise<Record<string, unknown>> {
    const id = this.#config["client-id"];
    const secret = this.#config["client-secret"] ?? "";
    let last = "";
    for (const inHeader of [true, false]) {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
      const headers: Record<string, string> = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
      };
      if (inHeader) {
        const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
        headers["Authorization"] = `Basic ${btoa(`${enc(id)}:${enc(secret)}`)}`;
      } else {
        form.set("client_id", id);
        if (secret !== "") form.set("client_secret", secret);
      }
      const res = await this.#fetch(endpoint, { method: "POST", headers, body: form.toString() });
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw failure("failed to refresh token: the token endpoint did not answer JSON");
        }
      }
      last = `${res.status} ${res.statusText}: ${text.trim().split("\n")[0].slice(0, 200)}`;
    }
    throw failure(`failed to refresh token: oauth2: cannot fetch token: ${last}`);
  }

  async #refresh(): Promise<string> {
    const refreshToken = this.#config["refresh-token"];
    if (!refreshToken) {
      throw failure("No valid id-token, and cannot refresh without refresh-token");
    }
    const answer = await this.#grant(await this.#tokenEndpoint(), refreshToken);
    if (typeof answer.access_token !== "string" || answer.access_token === "") {
      throw failure("failed to refresh token: oauth2: server response missing access_token");
    }
    const idToken = answer.id_token;
    if (typeof idToken !== "string" || idToken === "") {
      throw failure(
        'token response did not contain an id_token, either the scope "openid" wasn\'t ' +
          "requested upon login, or the provider doesn't support id_tokens as part of the " +
          "refresh response",
      );
    }
    const next: OidcConfig = { ...this.#config, "id-token": idToken };
    if (typeof answer.refresh_token === "string" && answer.refresh_token !== "") {
      next["refresh-token"] = answer.refresh_token;
    }
    try {
      await this.#persist({ "id-token": idToken, "refresh-token": next["refresh-token"] });
    } catch (e) {
      throw failure(`could not persist new tokens: ${(e as Error).message}`);
    }
    this.#config = next;
    this.refreshes++;
    return idToken;
  }

  async current(): Promise<Credentials> {
    if (this.#refreshing) return { token: await this.#refreshing };
    const idToken = this.#config["id-token"];
    if (idToken && this.#now() + EXPIRY_DELTA_MS < jwtExpiry(idToken)) return { token: idToken };
    this.#refreshing = this.#refresh().finally(() => (this.#refreshing = undefined));
    return { token: await this.#refreshing };
  }

  /** client-go does not refresh on 401: the id-token is refreshed only when it expires. */
  refresh(): Promise<Credentials | undefined> {
    return Promise.resolve(undefined);
  }
}

const providers = new Map<string, OidcSource>();

/**
 * The provider for (cluster, issuer, client id), shared in this process as client-go
 * shares it; `config` is checked by the kubeconfig resolver (issuer and client id set).
 */
export function oidcCredentials(
  clusterAddress: string,
  config: OidcConfig,
  persist: OidcPersister,
  now: () => number = Date.now,
): CredentialSource & { readonly refreshes: number } {
  const key = JSON.stringify([clusterAddress, config["idp-issuer-url"], config["client-id"]]);
  let provider = now === Date.now ? providers.get(key) : undefined;
  if (!provider) {
    provider = new OidcSource(config, persist, now);
    if (now === Date.now) providers.set(key, provider);
  }
  return provider;
}
