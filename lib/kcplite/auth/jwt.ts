/**
 * RS256 JSON Web Tokens for service-account tokens (kcp-spec §5.5), on WebCrypto.
 *
 * Keys are RSASSA-PKCS1-v1_5 / SHA-256, 2048 bits; the private key is stored as PKCS#8 PEM
 * (`-----BEGIN RSA PRIVATE KEY-----` PKCS#1 PEM is accepted on import too).
 *
 * @example
 * ```ts
 * const keys = await generateRsaSigningKey();
 * const token = await signJwt({ sub: "system:serviceaccount:default:builder" }, keys.privateKey);
 * const claims = await verifyJwt(token, keys.publicKey); // { sub: "system:serviceaccount:…" }
 * ```
 *
 * @module
 */

/** The claims of a token. */
export type JwtClaims = Record<string, unknown>;

const ALGORITHM: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

/** Generates an extractable RS256 key pair (2048-bit modulus, exponent 65537). */
export async function generateRsaSigningKey(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return fromBase64(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

function pem(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Exports a private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", key)));
}

/** Exports a public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  return pem("PUBLIC KEY", new Uint8Array(await crypto.subtle.exportKey("spki", key)));
}

/** DER length bytes. */
function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return [0x80 | bytes.length, ...bytes];
}

function derTlv(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array([tag, ...derLength(content.length), ...content]);
}

/** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const version = [0x02, 0x01, 0x00];
  // AlgorithmIdentifier { rsaEncryption, NULL }
  const algorithm = [
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    0x86,
    0x48,
    0x86,
    0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00,
  ];
  const octets = derTlv(0x04, pkcs1);
  return derTlv(0x30, new Uint8Array([...version, ...algorithm, ...octets]));
}

/**
 * Imports a signing key from PEM (PKCS#8, or PKCS#1 `RSA PRIVATE KEY`) and derives its public
 * key. Throws when the text holds no usable RSA private key.
 */
export async function importSigningKeyPem(text: string): Promise<CryptoKeyPair> {
  const m = /-----BEGIN (RSA )?PRIVATE KEY-----([\s\S]*?)-----END \1?PRIVATE KEY-----/.exec(text);
  if (!m) throw new Error("no PEM private key found (expected PRIVATE KEY or RSA PRIVATE KEY)");
  let der = fromBase64(m[2].replace(/\s+/g, ""));
  if (m[1]) der = pkcs1ToPkcs8(der);
  const privateKey = await crypto.subtle.importKey("pkcs8", der, ALGORITHM, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicKey = await crypto.subtle.importKey(
    "jwk",
    { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
    ALGORITHM,
    true,
    ["verify"],
  );
  return { privateKey, publicKey };
}

/**
 * The `kid` Kubernetes puts in service-account token headers: base64url (no padding) of the
 * SHA-256 of the public key's SPKI DER encoding.
 */
export async function keyIdFor(publicKey: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("spki", publicKey);
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", der)));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Signs the claims as an RS256 compact JWT; `keyId` becomes the header's `kid`. */
export async function signJwt(claims: JwtClaims, key: CryptoKey, keyId?: string): Promise<string> {
  const header: Record<string, string> = { alg: "RS256", typ: "JWT" };
  if (keyId !== undefined) header.kid = keyId;
  const input = `${base64Url(encoder.encode(JSON.stringify(header)))}.${
    base64Url(encoder.encode(JSON.stringify(claims)))
  }`;
  const sig = await crypto.subtle.sign(ALGORITHM.name, key, encoder.encode(input));
  return `${input}.${base64Url(new Uint8Array(sig))}`;
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  const bytes = fromBase64Url(part);
  if (!bytes) return undefined;
  try {
    const v = JSON.parse(decoder.decode(bytes));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes the header of a compact JWT without checking anything. */
export function decodeJwtHeader(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  return parts.length === 3 ? decodeJsonPart(parts[0]) : undefined;
}

/** Decodes the claims of a compact JWT without checking its signature. */
export function decodeJwtUnverified(token: string): JwtClaims | undefined {
  const parts = token.split(".");
  return parts.length === 3 ? decodeJsonPart(parts[1]) : undefined;
}

/** Options of `verifyJwt`. */
export interface VerifyJwtOptions {
  /** The current time in seconds since the epoch (default: now). */
  now?: number;
}

/**
 * Returns the claims when the token is a well-formed RS256 JWT signed by the key and not
 * expired (`exp`) or not yet valid (`nbf`); otherwise `undefined`.
 */
export async function verifyJwt(
  token: string,
  publicKey: CryptoKey,
  options: VerifyJwtOptions = {},
): Promise<JwtClaims | undefined> {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const header = decodeJsonPart(parts[0]);
  const claims = decodeJsonPart(parts[1]);
  const sig = fromBase64Url(parts[2]);
  if (!header || !claims || !sig || header.alg !== "RS256") return undefined;
  let ok: boolean;
  try {
    ok = await crypto.subtle.verify(
      ALGORITHM.name,
      publicKey,
      sig,
      encoder.encode(`${parts[0]}.${parts[1]}`),
    );
  } catch {
    return undefined;
  }
  if (!ok) return undefined;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || claims.exp <= now)) {
    return undefined;
  }
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now)) {
    return undefined;
  }
  return claims;
}
