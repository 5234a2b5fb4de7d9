/**
 * PKCS#10 certificate requests for certificates this library issued, so that an
 * Easy-RSA PKI has the `reqs/<name>.req` it expects next to each issued certificate.
 *
 * @example
 * ```ts
 * const reqPem = await certificateRequestFor(server.certPem, server.keyPem);
 * ```
 *
 * @module
 */
import { x509 } from "./x509_lib.ts";
import { importPrivateKeyPem } from "./private_key.ts";
import { parseCertificate } from "./certificates.ts";

/**
 * A request signed by `keyPem` with the subject and subject alternative names of
 * `certPem` (the certificate that key belongs to).
 */
export async function certificateRequestFor(certPem: string, keyPem: string): Promise<string> {
  const cert = parseCertificate(certPem);
  const key = await importPrivateKeyPem(keyPem);
  const publicKey = await cert.publicKey.export(key.privateKey.algorithm, ["verify"]);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: cert.subjectName,
    keys: { privateKey: key.privateKey, publicKey },
    signingAlgorithm: key.signingAlgorithm,
    extensions: san ? [san] : [],
  });
  return csr.toString("pem") + "\n";
}
