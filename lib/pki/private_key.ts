/**
 * Private keys: generating them, reading them from PEM in the formats OpenSSL and
 * Easy-RSA write (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`),
 * and writing them as unencrypted PKCS#8 PEM.
 *
 * @example
 * ```ts
 * const fresh = await generatePrivateKey("ecdsa-p256");
 * const again = await importPrivateKeyPem(fresh.pkcs8Pem); // same key, usable for signing
 * ```
 *
 * @module
 */
import {
  decodeOid,
  DER_TAG,
  derContent,
  derEncoding,
  derInteger0,
  derOctetString,
  derOid,
  derSequence,
  readChildren,
  readDer,
} from "./der.ts";
import { findPemBlock, parsePem, toPem } from "./pem.ts";

/** The key types this library creates. */
export type KeyAlgorithmName = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048";

/** A private key ready for signing, with its PKCS#8 PEM. */
export interface PrivateKeyMaterial {
  /** The WebCrypto key (extractable, usage `sign`). */
  privateKey: CryptoKey;
  /** The key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  pkcs8Pem: string;
  /** The algorithm to pass to `crypto.subtle.sign` (and to certificate generators). */
  signingAlgorithm: RsaHashedImportParams | EcdsaParams;
}

/** A freshly generated key: its private half plus the public key. */
export interface GeneratedKey extends PrivateKeyMaterial {
  publicKey: CryptoKey;
}

/** Thrown when a PEM private key is encrypted (this library never asks for passphrases). */
export class EncryptedPrivateKeyError extends Error {
  constructor() {
    super("the private key is encrypted");
    this.name = "EncryptedPrivateKeyError";
  }
}

const OID_RSA = "1.2.840.113549.1.1.1";
const OID_EC = "1.2.840.10045.2.1";
const CURVES: Record<string, "P-256" | "P-384" | "P-521"> = {
  "1.2.840.10045.3.1.7": "P-256",
  "1.3.132.0.34": "P-384",
  "1.3.132.0.35": "P-521",
};
const CURVE_HASH: Record<string, string> = {
  "P-256": "SHA-256",
  "P-384": "SHA-384",
  "P-521": "SHA-512",
};

/** Generates a new key pair of the given type. */
export async function generatePrivateKey(alg: KeyAlgorithmName): Promise<GeneratedKey> {
  const params: RsaHashedKeyGenParams | EcKeyGenParams = alg === "rsa-2048"
    ? {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    }
    : { name: "ECDSA", namedCurve: alg === "ecdsa-p256" ? "P-256" : "P-384" };
  const pair = await crypto.subtle.generateKey(params, true, ["sign", "verify"]) as CryptoKeyPair;
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    pkcs8Pem: toPem("PRIVATE KEY", der),
    signingAlgorithm: signingAlgorithmFor(pair.privateKey),
  };
}

/** The signing algorithm for a key: ECDSA with the curve's hash, RSA with SHA-256. */
export function signingAlgorithmFor(key: CryptoKey): RsaHashedImportParams | EcdsaParams {
  const alg = key.algorithm as EcKeyAlgorithm | RsaHashedKeyAlgorithm;
  if (alg.name === "ECDSA") {
    return { name: "ECDSA", hash: CURVE_HASH[(alg as EcKeyAlgorithm).namedCurve] ?? "SHA-256" };
  }
  return { name: alg.name, hash: "SHA-256" };
}

/**
 * Reads the first private key in `pem`. Accepts PKCS#8, SEC1 (EC) and PKCS#1 (RSA)
 * blocks; throws `EncryptedPrivateKeyError` for encrypted keys and `Error` for anything
 * else it cannot use.
 */
export async function importPrivateKeyPem(pem: string): Promise<PrivateKeyMaterial> {
  if (findPemBlock(pem, ["ENCRYPTED PRIVATE KEY"])) throw new EncryptedPrivateKeyError();
  const block = parsePem(pem).find((b) =>
    ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"].includes(b.label)
  );
  if (!block) throw new Error("no private key PEM block found");
  if ((block.headers["Proc-Type"] ?? "").includes("ENCRYPTED")) {
    throw new EncryptedPrivateKeyError();
  }
  let pkcs8: Uint8Array;
  if (block.label === "PRIVATE KEY") pkcs8 = block.der;
  else if (block.label === "EC PRIVATE KEY") pkcs8 = sec1ToPkcs8(block.der);
  else pkcs8 = pkcs1ToPkcs8(block.der);
  const importAlg = pkcs8ImportAlgorithm(pkcs8);
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    new Uint8Array(pkcs8),
    importAlg,
    true,
    ["sign"],
  );
  return {
    privateKey,
    pkcs8Pem: toPem("PRIVATE KEY", pkcs8),
    signingAlgorithm: signingAlgorithmFor(privateKey),
  };
}

/** Works out the WebCrypto import parameters from a PKCS#8 AlgorithmIdentifier. */
function pkcs8ImportAlgorithm(pkcs8: Uint8Array): RsaHashedImportParams | EcKeyImportParams {
  const top = readChildren(pkcs8, readDer(pkcs8, 0));
  if (top.length < 3 || top[1].tag !== DER_TAG.SEQUENCE) throw new Error("malformed PKCS#8 key");
  const algId = readChildren(pkcs8, top[1]);
  const oid = decodeOid(derContent(pkcs8, algId[0]));
  if (oid === OID_RSA) return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  if (oid === OID_EC) {
    const curveOid = algId[1]?.tag === DER_TAG.OID ? decodeOid(derContent(pkcs8, algId[1])) : "";
    const curve = CURVES[curveOid];
    if (!curve) throw new Error(`unsupported elliptic curve ${curveOid || "(none named)"}`);
    return { name: "ECDSA", namedCurve: curve };
  }
  throw new Error(`unsupported key algorithm ${oid}`);
}

/** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  readDer(pkcs1, 0); // well-formed check
  const algId = derSequence(derOid(OID_RSA), new Uint8Array([DER_TAG.NULL, 0]));
  return derSequence(derInteger0(), algId, derOctetString(pkcs1));
}

/** Wraps a SEC1 ECPrivateKey (which names its curve) in a PKCS#8 PrivateKeyInfo. */
function sec1ToPkcs8(sec1: Uint8Array): Uint8Array {
  const fields = readChildren(sec1, readDer(sec1, 0));
  const params = fields.find((f) => f.tag === DER_TAG.CONTEXT_0);
  if (!params) throw new Error("EC private key does not name its curve");
  const curveOid = readDer(sec1, params.start);
  if (curveOid.tag !== DER_TAG.OID) {
    throw new Error("EC private key uses explicit curve parameters");
  }
  const algId = derSequence(derOid(OID_EC), derEncoding(sec1, curveOid));
  return derSequence(derInteger0(), algId, derOctetString(sec1));
}
