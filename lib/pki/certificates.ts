/**
 * Certificate authorities and the certificates they issue, for kcp-lite's serving and
 * client credentials and for `kubestellar-ensure-kcp-server-creds`.
 *
 * Certificates carry what Go's TLS stack (kubectl) and rustls (Deno) expect:
 * BasicConstraints (CA:TRUE on authorities), KeyUsage, serverAuth/clientAuth EKU,
 * Subject/Authority Key Identifiers, DNS and IP SANs, and a validity that never outlives
 * the issuing CA.
 *
 * @example
 * ```ts
 * const ca = await createCertificateAuthority({ commonName: "kcp-lite-ca" });
 * const server = await issueCertificate(ca, {
 *   commonName: "kcp-lite",
 *   dnsNames: ["localhost"],
 *   ipAddresses: ["127.0.0.1"],
 *   usage: "server",
 * });
 * subjectAltNames(server.certPem); // ["DNS:localhost", "IP:127.0.0.1"]
 * await verifySignedBy(server.certPem, ca.certPem); // true
 * ```
 *
 * @module
 */
import { x509 } from "./x509_lib.ts";
import {
  generatePrivateKey,
  importPrivateKeyPem,
  type KeyAlgorithmName,
  type PrivateKeyMaterial,
} from "./private_key.ts";
import { randomSerialNumber } from "./serial_number.ts";

export { EncryptedPrivateKeyError, type KeyAlgorithmName } from "./private_key.ts";
export { randomSerialNumber } from "./serial_number.ts";

/** A certificate and its private key, both PEM (the key as unencrypted PKCS#8). */
export interface KeyAndCert {
  certPem: string;
  keyPem: string;
}

/** An authority that can sign certificates. */
export interface CertificateAuthority extends KeyAndCert {
  /** The parsed CA certificate. */
  certificate: x509.X509Certificate;
  /** The CA's signing key. */
  privateKey: CryptoKey;
  /** The algorithm used to sign with `privateKey`. */
  signingAlgorithm: RsaHashedImportParams | EcdsaParams;
  /** The CA's subject key identifier (hex), used as the AKI of what it issues. */
  subjectKeyId: string;
}

/** What `issueCertificate` puts into a certificate. */
export interface IssueOptions {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: "server" | "client" | "server-and-client";
  /** Days of validity from now (default 365), capped at the CA's own expiry. */
  validityDays?: number;
  /** Key type of the new key (default ecdsa-p256). */
  keyAlgorithm?: KeyAlgorithmName;
  /** Serial number as hex (default: 16 random bytes). */
  serialNumber?: string;
}

/** Options of `createCertificateAuthority`. */
export interface CreateCaOptions {
  commonName: string;
  /** Days of validity (default 3650). */
  validityDays?: number;
  /** Key type (default ecdsa-p256). */
  keyAlgorithm?: KeyAlgorithmName;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a minute in the past so small clock differences do not reject them. */
const BACKDATE_MS = 60 * 1000;

/** Creates a new self-signed certificate authority. */
export async function createCertificateAuthority(
  opts: CreateCaOptions,
): Promise<CertificateAuthority> {
  const key = await generatePrivateKey(opts.keyAlgorithm ?? "ecdsa-p256");
  const ski = await x509.SubjectKeyIdentifierExtension.create(key.publicKey);
  const notBefore = new Date(Date.now() - BACKDATE_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: subjectName(opts.commonName, []),
    notBefore,
    notAfter: new Date(notBefore.getTime() + (opts.validityDays ?? 3650) * DAY_MS),
    keys: { privateKey: key.privateKey, publicKey: key.publicKey },
    signingAlgorithm: key.signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      ski,
      new x509.AuthorityKeyIdentifierExtension(ski.keyId),
    ],
  });
  return authorityFrom(cert, key, ski.keyId);
}

/**
 * Loads an existing authority from PEM. The key may be PKCS#8, SEC1 or PKCS#1; it must
 * be unencrypted and belong to the certificate, and the certificate must be a CA.
 * Throws `EncryptedPrivateKeyError` for an encrypted key and `Error` otherwise.
 */
export async function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
): Promise<CertificateAuthority> {
  const cert = parseCertificate(certPem);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new Error("the certificate is not a CA certificate (no CA:TRUE)");
  const key = await importPrivateKeyPem(keyPem);
  if (!(await keyMatchesCertificate(key, cert))) {
    throw new Error("the private key does not belong to the CA certificate");
  }
  const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const ski = skiExt?.keyId ??
    (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey)).keyId;
  return authorityFrom(cert, key, ski);
}

/** Issues a certificate (with a new key) signed by `ca`; throws if the CA has expired. */
export async function issueCertificate(
  ca: CertificateAuthority,
  opts: IssueOptions,
): Promise<KeyAndCert> {
  const caNotAfter = ca.certificate.notAfter;
  if (caNotAfter.getTime() <= Date.now()) {
    throw new Error(`the CA certificate expired on ${caNotAfter.toISOString()}`);
  }
  const alg = opts.keyAlgorithm ?? "ecdsa-p256";
  const key = await generatePrivateKey(alg);
  const notBefore = new Date(Date.now() - BACKDATE_MS);
  const wanted = notBefore.getTime() + (opts.validityDays ?? 365) * DAY_MS;
  const notAfter = new Date(Math.min(wanted, caNotAfter.getTime()));
  const usages: string[] = [];
  if (opts.usage !== "client") usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (opts.usage !== "server") usages.push(x509.ExtendedKeyUsage.clientAuth);
  let keyUsage = x509.KeyUsageFlags.digitalSignature;
  if (alg === "rsa-2048") keyUsage |= x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.SubjectKeyIdentifierExtension.create(key.publicKey),
    new x509.AuthorityKeyIdentifierExtension(ca.subjectKeyId),
  ];
  const sans = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serialNumber ?? randomSerialNumber(),
    subject: subjectName(opts.commonName, opts.organizations ?? []),
    issuer: ca.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: key.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ca.signingAlgorithm,
    extensions,
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: key.pkcs8Pem };
}

/**
 * The subject alternative names of a certificate in OpenSSL's notation
 * (`DNS:example.com`, `IP:127.0.0.1`, `email:…`, `URI:…`); empty when it has none.
 */
export function subjectAltNames(certPem: string): string[] {
  const ext = parseCertificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  if (!ext) return [];
  const prefixes: Record<string, string> = { dns: "DNS", ip: "IP", email: "email", url: "URI" };
  return ext.names.items.map((n) => `${prefixes[n.type] ?? n.type}:${n.value}`);
}

/**
 * Whether `certPem` was issued by the CA in `caCertPem`: the issuer name matches the
 * CA's subject, the key identifiers agree when both are present, and the signature
 * verifies with the CA's public key. Never throws; unreadable input gives false.
 */
export async function verifySignedBy(certPem: string, caCertPem: string): Promise<boolean> {
  try {
    const cert = parseCertificate(certPem);
    const ca = parseCertificate(caCertPem);
    if (!sameName(cert.issuerName, ca.subjectName)) return false;
    const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
    const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    if (aki && ski && aki.toLowerCase() !== ski.toLowerCase()) return false;
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** Parses the first certificate in a PEM text; throws if there is none. */
export function parseCertificate(certPem: string): x509.X509Certificate {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(certPem);
  if (!m) throw new Error("no certificate PEM block found");
  return new x509.X509Certificate(m[0]);
}

function authorityFrom(
  cert: x509.X509Certificate,
  key: PrivateKeyMaterial,
  subjectKeyId: string,
): CertificateAuthority {
  return {
    certPem: cert.toString("pem") + "\n",
    keyPem: key.pkcs8Pem,
    certificate: cert,
    privateKey: key.privateKey,
    signingAlgorithm: key.signingAlgorithm,
    subjectKeyId,
  };
}

function subjectName(commonName: string, organizations: string[]): x509.JsonName {
  const name: x509.JsonName = organizations.map((o) => ({ O: [o] }));
  name.push({ CN: [commonName] });
  return name;
}

function sameName(a: x509.Name, b: x509.Name): boolean {
  const da = new Uint8Array(a.toArrayBuffer());
  const db = new Uint8Array(b.toArrayBuffer());
  if (da.length === db.length && da.every((v, i) => v === db[i])) return true;
  return a.toString().toLowerCase() === b.toString().toLowerCase();
}

async function keyMatchesCertificate(
  key: PrivateKeyMaterial,
  cert: x509.X509Certificate,
): Promise<boolean> {
  const probe = crypto.getRandomValues(new Uint8Array(32));
  const sig = await crypto.subtle.sign(key.signingAlgorithm, key.privateKey, probe);
  const publicKey = await cert.publicKey.export(key.privateKey.algorithm, ["verify"]);
  return await crypto.subtle.verify(key.signingAlgorithm, publicKey, sig, probe);
}
