/**
 * The proxy a Kubernetes client uses for a server URL when the kubeconfig names none,
 * read from the environment by Go's `golang.org/x/net/http/httpproxy` rules, which
 * is what kubectl (client-go's `http.ProxyFromEnvironment`) applies:
 *
 * - `HTTPS_PROXY` (else `https_proxy`) for `https://` servers, `HTTP_PROXY` (else
 *   `http_proxy`) for `http://` ones (not when `REQUEST_METHOD` is set: CGI);
 *   `ALL_PROXY` is not read.
 * - A proxy without a scheme (`proxy:3128`) means `http://proxy:3128`.
 * - Never for `localhost` or a loopback IP, whatever `NO_PROXY` says.
 * - `NO_PROXY` (else `no_proxy`): comma-separated; `*` for every host; an IP or a
 *   CIDR; `host`, `.host` or `*.host` (the host and its subdomains; `.host` only the
 *   subdomains); each optionally with `:port`.
 *
 * Deno's `fetch` reads the same variables by other rules (it proxies loopback, and
 * reads `ALL_PROXY`), so the transport asks here and gives Deno the answer.
 *
 * @example
 * ```ts
 * const env = { HTTPS_PROXY: "proxy:3128", NO_PROXY: ".internal,10.0.0.0/8" };
 * proxyFromEnvironment("https://kcp.example.com:6443", (n) => env[n]); // "http://proxy:3128"
 * proxyFromEnvironment("https://127.0.0.1:6443", (n) => env[n]); // undefined
 * ```
 *
 * @module
 */

/** Reads an environment variable. */
export type EnvReader = (name: string) => string | undefined;

const denoEnv: EnvReader = (name) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no env permission: no proxy, as with an empty environment
  }
};

function firstSet(env: EnvReader, ...names: string[]): string {
  for (const n of names) {
    const v = env(n);
    if (v) return v;
  }
  return "";
}

/** Go's `parseProxy`: a value without a scheme is an `http://` proxy. */
function parseProxy(value: string): string | undefined {
  for (const candidate of [value, `http://${value}`]) {
    try {
      const u = new URL(candidate);
      if (u.protocol !== "" && u.host !== "") return candidate;
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/** The host (lower case, no brackets) and port (scheme default) of a URL. */
function hostAndPort(url: URL): { host: string; port: string } {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return { host, port };
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(":")) return undefined;
  try {
    // The URL parser normalizes IPv6 literals; expand "::" ourselves.
    const norm = new URL(`http://[${s}]/`).hostname.slice(1, -1);
    const [head, tail] = norm.includes("::") ? norm.split("::") : [norm, undefined];
    const groups = (x: string) => (x === "" ? [] : x.split(":"));
    const h = groups(head);
    const t = tail === undefined ? [] : groups(tail);
    const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill("0");
    const all = [...h, ...fill, ...t];
    if (all.length !== 8) return undefined;
    return all.flatMap((g) => {
      const n = parseInt(g, 16);
      return [n >> 8, n & 0xff];
    });
  } catch {
    return undefined;
  }
}

/** An IP address as bytes (IPv4 in its IPv4-mapped IPv6 form), or undefined. */
function parseIP(s: string): number[] | undefined {
  const v4 = parseIPv4(s);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  return parseIPv6(s);
}

function isLoopback(ip: number[]): boolean {
  const mapped = ip.slice(0, 12).every((b, i) => b === (i >= 10 ? 0xff : 0));
  if (mapped) return ip[12] === 127;
  return ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

function inPrefix(ip: number[], net: number[], bits: number): boolean {
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((ip[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
}

/** One `NO_PROXY` entry as a predicate over (host, port, ip). */
type Matcher = (host: string, port: string, ip: number[] | undefined) => boolean;

function matcherFor(entry: string): Matcher | undefined {
  if (entry === "*") return () => true;
  const cidr = entry.match(/^(.+)\/(\d{1,3})$/);
  if (cidr) {
    const net = parseIP(cidr[1]);
    const isV4 = parseIPv4(cidr[1]) !== undefined;
    const bits = Number(cidr[2]) + (isV4 ? 96 : 0);
    if (net && bits <= 128) return (_h, _p, ip) => ip !== undefined && inPrefix(ip, net, bits);
  }
  let host = entry;
  let port = "";
  const hp = entry.match(/^(.*):(\d+)$/);
  if (hp && !(parseIPv6(entry) && !entry.startsWith("["))) {
    host = hp[1];
    port = hp[2];
    if (host === "") return undefined;
  }
  host = host.replace(/^\[(.*)\]$/, "$1");
  const ipEntry = parseIP(host);
  if (ipEntry) {
    return (_h, p, ip) =>
      ip !== undefined && ip.every((b, i) => b === ipEntry[i]) && (port === "" || port === p);
  }
  if (host === "") return undefined;
  if (host.startsWith("*.")) host = host.slice(1);
  const matchHost = !host.startsWith(".");
  const suffix = matchHost ? `.${host}` : host;
  return (h, p) =>
    (h.endsWith(suffix) || (matchHost && h === suffix.slice(1))) && (port === "" || port === p);
}

/**
 * The proxy URL for requests to `serverUrl` by Go's environment rules, or undefined
 * for a direct connection.
 */
export function proxyFromEnvironment(
  serverUrl: string,
  env: EnvReader = denoEnv,
): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  let value = "";
  if (url.protocol === "https:") value = firstSet(env, "HTTPS_PROXY", "https_proxy");
  else if (url.protocol === "http:" && !env("REQUEST_METHOD")) {
    value = firstSet(env, "HTTP_PROXY", "http_proxy");
  }
  if (value === "") return undefined;
  const proxy = parseProxy(value);
  if (proxy === undefined) return undefined;
  const { host, port } = hostAndPort(url);
  if (host === "localhost") return undefined;
  const ip = parseIP(host);
  if (ip && isLoopback(ip)) return undefined;
  const noProxy = firstSet(env, "NO_PROXY", "no_proxy");
  for (const raw of noProxy.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (matcherFor(entry)?.(host, port, ip)) return undefined;
  }
  return proxy;
}
