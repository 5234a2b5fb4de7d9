/**
 * The per-run secret of `kubestellar ui`: 32 random bytes in base64url, made fresh on
 * every start, accepted as `?token=` (the page's address, the event stream) or as
 * `Authorization: Bearer` (the page's API calls, scripts), and compared in constant
 * time. The token is never logged.
 *
 * @example
 * ```ts
 * const token = newToken();
 * tokenOf(new Request(`http://127.0.0.1/?token=${token}`)) === token; // true
 * sameToken(token, token); // true
 * ```
 *
 * @module
 */

/** A fresh random token (43 base64url characters). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The token a request carries (bearer header first, then `?token=`), or "". */
export function tokenOf(request: Request, url = new URL(request.url)): string {
  const auth = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (m) return m[1];
  return url.searchParams.get("token") ?? "";
}

/** Constant-time comparison (time depends only on the expected token's length). */
export function sameToken(expected: string, given: string): boolean {
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(given);
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ (b[i % Math.max(b.length, 1)] ?? 0);
  return diff === 0;
}
