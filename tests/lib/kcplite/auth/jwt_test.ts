import { assertEquals, assertMatch, assertTrue } from "../../../support/assert.ts";
import {
  decodeJwtHeader,
  decodeJwtUnverified,
  exportPrivateKeyPem,
  generateRsaSigningKey,
  importSigningKeyPem,
  keyIdFor,
  signJwt,
  verifyJwt,
} from "../../../../lib/kcplite/auth/jwt.ts";

const CLAIMS = {
  iss: "kubernetes/serviceaccount",
  sub: "system:serviceaccount:default:builder",
  "kubernetes.io/serviceaccount/namespace": "default",
  "kubernetes.io/serviceaccount/clusterName": "2x1c0ffee",
};

// One key pair for the whole file: RSA generation is the slow part.
const keys = await generateRsaSigningKey();

function b64url(s: string): string {
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

Deno.test("sign and verify round-trip; header and unverified decode", async () => {
  const token = await signJwt(CLAIMS, keys.privateKey, "kid-1");
  assertMatch(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assertEquals(await verifyJwt(token, keys.publicKey), CLAIMS);
  assertEquals(decodeJwtUnverified(token), CLAIMS);
  assertEquals(decodeJwtHeader(token), { alg: "RS256", typ: "JWT", kid: "kid-1" });
  const algo = keys.privateKey.algorithm as RsaHashedKeyAlgorithm;
  assertEquals(algo.modulusLength, 2048);
  assertEquals(algo.name, "RSASSA-PKCS1-v1_5");
});

Deno.test("tampered, foreign-key, malformed and alg=none tokens are rejected", async () => {
  const token = await signJwt(CLAIMS, keys.privateKey);
  const [h, , s] = token.split(".");
  const forged = `${h}.${b64url(JSON.stringify({ ...CLAIMS, sub: "system:admin" }))}.${s}`;
  assertEquals(await verifyJwt(forged, keys.publicKey), undefined);
  const other = await generateRsaSigningKey();
  assertEquals(await verifyJwt(token, other.publicKey), undefined);
  for (const bad of ["", "a.b", "a.b.c", "x.y.z.w", `${h}.!!!.${s}`, token + "x"]) {
    assertEquals(await verifyJwt(bad, keys.publicKey), undefined, bad);
  }
  const none = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(CLAIMS))}.`;
  assertEquals(await verifyJwt(none, keys.publicKey), undefined);
  assertEquals(decodeJwtUnverified("not a token"), undefined);
  assertEquals(decodeJwtUnverified(`${h}.${b64url("[1]")}.${s}`), undefined);
});

Deno.test("exp and nbf are honoured", async () => {
  const now = 1_700_000_000;
  const expired = await signJwt({ ...CLAIMS, exp: now - 1 }, keys.privateKey);
  const valid = await signJwt({ ...CLAIMS, exp: now + 60, nbf: now - 5 }, keys.privateKey);
  const early = await signJwt({ ...CLAIMS, nbf: now + 60 }, keys.privateKey);
  const badExp = await signJwt({ ...CLAIMS, exp: "soon" }, keys.privateKey);
  assertEquals(await verifyJwt(expired, keys.publicKey, { now }), undefined);
  assertEquals((await verifyJwt(valid, keys.publicKey, { now }))?.sub, CLAIMS.sub);
  assertEquals(await verifyJwt(early, keys.publicKey, { now }), undefined);
  assertEquals(await verifyJwt(badExp, keys.publicKey, { now }), undefined);
  // Default clock: a token that expired in 1970 is rejected.
  assertEquals(
    await verifyJwt(await signJwt({ exp: 1 }, keys.privateKey), keys.publicKey),
    undefined,
  );
});

Deno.test("PKCS#8 PEM export/import keeps the key usable both ways", async () => {
  const pem = await exportPrivateKeyPem(keys.privateKey);
  assertMatch(pem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
  const imported = await importSigningKeyPem(pem);
  const t1 = await signJwt(CLAIMS, imported.privateKey);
  assertEquals(await verifyJwt(t1, keys.publicKey), CLAIMS);
  const t2 = await signJwt(CLAIMS, keys.privateKey);
  assertEquals(await verifyJwt(t2, imported.publicKey), CLAIMS);
  let threw = false;
  try {
    await importSigningKeyPem("garbage");
  } catch {
    threw = true;
  }
  assertTrue(threw);
});

Deno.test("PKCS#1 RSA PRIVATE KEY PEM is accepted", async () => {
  // Strip the PKCS#8 wrapper (version + algorithm + octet string header) to get PKCS#1.
  const pem = await exportPrivateKeyPem(keys.privateKey);
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
  // der: 30 82 LL LL | 02 01 00 | 30 0d ...(15 bytes) | 04 82 LL LL | pkcs1...
  const pkcs1 = der.subarray(4 + 3 + 15 + 4);
  const lines = btoa(String.fromCharCode(...pkcs1)).match(/.{1,64}/g)!.join("\n");
  const rsaPem = `-----BEGIN RSA PRIVATE KEY-----\n${lines}\n-----END RSA PRIVATE KEY-----\n`;
  const imported = await importSigningKeyPem(rsaPem);
  const token = await signJwt(CLAIMS, imported.privateKey);
  assertEquals(await verifyJwt(token, keys.publicKey), CLAIMS);
});

Deno.test("keyIdFor is the base64url SHA-256 of the SPKI public key", async () => {
  const kid = await keyIdFor(keys.publicKey);
  assertMatch(kid, /^[A-Za-z0-9_-]{43}$/);
  assertEquals(await keyIdFor(keys.publicKey), kid);
  const imported = await importSigningKeyPem(await exportPrivateKeyPem(keys.privateKey));
  assertEquals(await keyIdFor(imported.publicKey), kid);
});
