/**
 * Quick checks of existing certificates with the runtime's built-in X.509 support
 * (`node:crypto`), so that re-using credentials never loads the certificate-building
 * library: what a certificate says, whether a CA issued it, whether a key belongs to it.
 *
 * @example
 * ```ts
 * const facts = readCertificateFacts(certPem); // { sans: ["DNS:foo.bar"], notAfter, isCa: false }
 * isIssuedBy(certPem, caPem); // true when the CA's key signed it
 * keyBelongsTo(certPem, keyPem); // true when the key is the certificate's private key
 * ```
 *
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";

/** What a certificate states that credential re-use depends on. */
export interface CertificateFacts {
  /** SANs in OpenSSL's short notation: `DNS:…`, `IP:…`, `email:…`, `URI:…`. */
  sans: string[];
  notAfter: Date;
  /** BasicConstraints CA:TRUE. */
  isCa: boolean;
}

/** Reads a PEM certificate; throws when it cannot be parsed. */
export function readCertificateFacts(certPem: string): CertificateFacts {
  const cert = new X509Certificate(certPem);
  const sans = (cert.subjectAltName ?? "").split(", ").filter((s) => s !== "")
    .map((s) => s.replace(/^IP Address:/, "IP:"));
  return { sans, notAfter: new Date(cert.validTo), isCa: cert.ca };
}

/** Whether `caCertPem` is the issuer of `certPem` (names match and the signature verifies). */
export function isIssuedBy(certPem: string, caCertPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caCertPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Whether the (unencrypted) private key in `keyPem` belongs to the certificate. */
export function keyBelongsTo(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
