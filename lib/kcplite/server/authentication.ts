/**
 * Who is calling (kcp-spec §5.2): a bearer token (static admin tokens, or a service-account
 * JWT checked by a verifier), or a client certificate that the TLS layer verified against
 * kcp-lite's CA (common name = user, organizations = groups). Anything else is anonymous,
 * which kcp-lite refuses outside the health endpoints.
 *
 * Every authenticated user also gets the group `system:authenticated`.
 *
 * @module
 */
import type { ServerRequest } from "./http1_exchange.ts";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../auth/rbac.ts";

/** Checks a bearer token that is not a static one; undefined when it is not valid. */
export type TokenVerifier = (token: string) => Promise<UserInfo | undefined>;

/** How the server authenticates. */
export interface AuthenticationOptions {
  /** Static bearer tokens (admin tokens of the start command). */
  tokens?: Map<string, UserInfo>;
  /** Verifies other bearer tokens (service-account JWTs). */
  verifyToken?: TokenVerifier;
}

/** The outcome: a user, or why there is none. */
export type AuthenticationResult =
  | { user: UserInfo; token?: string }
  | { user?: undefined; failure: "anonymous" | "invalid" };

/** The bearer token of a request, if it has one. */
export function bearerToken(req: ServerRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

function withAuthenticated(user: UserInfo): UserInfo {
  const groups = user.groups.includes("system:authenticated")
    ? user.groups
    : [...user.groups, "system:authenticated"];
  return { ...user, groups };
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string" && v !== "") return [v];
  return [];
}

/** The user of a verified client certificate, if the connection presented one. */
export function clientCertificateUser(req: ServerRequest): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized || typeof socket.getPeerCertificate !== "function") return undefined;
  const cert = socket.getPeerCertificate();
  const subject = cert?.subject as unknown as Record<string, unknown> | undefined;
  const cn = asList(subject?.CN)[0];
  if (!cn) return undefined;
  return { name: cn, groups: asList(subject?.O) };
}

/** Authenticates one request. */
export async function authenticate(
  req: ServerRequest,
  options: AuthenticationOptions,
): Promise<AuthenticationResult> {
  const token = bearerToken(req);
  if (token !== undefined) {
    const known = options.tokens?.get(token);
    if (known) return { user: withAuthenticated(known), token };
    const verified = options.verifyToken ? await options.verifyToken(token) : undefined;
    if (verified) return { user: withAuthenticated(verified), token };
    return { failure: "invalid" };
  }
  const certUser = clientCertificateUser(req);
  if (certUser) return { user: withAuthenticated(certUser) };
  return { failure: "anonymous" };
}
