/**
 * The `protocol://host:port` part of a kubeconfig server URL: splitting it off the
 * path, comparing two of them exactly, and replacing host and port while keeping
 * everything after them byte for byte.
 *
 * Comparison is on the parsed parts (scheme and host case-insensitive, port as a
 * number, a missing port meaning 443 for https and 80 for http), so `:6443` never
 * matches `:64430` and `https://h` matches `https://h:443`.
 *
 * @example
 * ```ts
 * const a = parseServerAuthority("https://10.0.0.5:6443/clusters/root")!;
 * a.key;                                   // "https://10.0.0.5:6443"
 * replaceAuthority(a, "kcp.example", 443); // "https://kcp.example:443/clusters/root"
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";

/** A server URL split at its authority. */
export interface ServerAuthority {
  /** The scheme as written (`https`). */
  scheme: string;
  /** `user:pass@` as written, or "". */
  userinfo: string;
  /** Host as written, without brackets for IPv6. */
  host: string;
  /** Effective port (explicit, else the scheme's default). */
  port: number;
  /** Everything after the authority (path, query, fragment), as written. */
  rest: string;
  /** Normalised `scheme://host:port`, the comparison key. */
  key: string;
}

const DEFAULT_PORTS: Record<string, number> = { https: 443, http: 80 };

/** Splits a server URL; undefined when it has no `scheme://host` form or a bad port. */
export function parseServerAuthority(url: string): ServerAuthority | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1];
  let authority = m[2];
  const at = authority.lastIndexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : "";
  authority = authority.slice(at + 1);
  let host: string;
  let portText = "";
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return undefined;
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return undefined;
    portText = after.slice(1);
  } else {
    const colon = authority.lastIndexOf(":");
    host = colon >= 0 ? authority.slice(0, colon) : authority;
    portText = colon >= 0 ? authority.slice(colon + 1) : "";
  }
  if (host === "") return undefined;
  let port = DEFAULT_PORTS[scheme.toLowerCase()];
  if (portText !== "") {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
  }
  if (port === undefined || port > 65535) return undefined;
  const hostForKey = host.includes(":") ? `[${host.toLowerCase()}]` : host.toLowerCase();
  return {
    scheme,
    userinfo,
    host,
    port,
    rest: m[3],
    key: `${scheme.toLowerCase()}://${hostForKey}:${port}`,
  };
}

/** The URL with host and port replaced; scheme, userinfo and the rest kept as written. */
export function replaceAuthority(a: ServerAuthority, host: string, port: number): string {
  const h = host.includes(":") ? `[${host}]` : host;
  return `${a.scheme}://${a.userinfo}${h}:${port}${a.rest}`;
}

/** Parses a port argument (1–65535, digits only) or throws a `UserError`. */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UserError(
      `invalid port ${JSON.stringify(text)}: give a number from 1 to 65535`,
    );
  }
  return port;
}

const DNS_LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?";
const DNS_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*\\.?$`);

/**
 * Checks a host argument: a DNS name, an IPv4 address or an IPv6 address (with or
 * without brackets); returns it without brackets, or throws a `UserError`.
 */
export function parseHost(text: string): string {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (bare.includes(":")) {
    try {
      if (new URL(`https://[${bare}]/`).hostname !== "") return bare;
    } catch {
      // falls through to the error below
    }
  } else if (bare.length <= 253 && DNS_NAME.test(bare)) {
    return bare;
  }
  throw new UserError(
    `invalid domain ${
      JSON.stringify(text)
    }: give a DNS name or an IP address, without scheme or port`,
  );
}
