import { assertEquals } from "../../support/assert.ts";
import {
  createCertificateAuthority,
  issueCertificate,
  parseCertificate,
} from "../../../lib/pki/certificates.ts";
import {
  isIssuedBy,
  keyBelongsTo,
  readCertificateFacts,
} from "../../../lib/pki/certificate_check.ts";
import { HAVE_OPENSSL, opensslOk } from "./openssl_cli.ts";

Deno.test("readCertificateFacts: SANs in short notation, expiry, CA flag", async () => {
  const ca = await createCertificateAuthority({ commonName: "ca" });
  const leaf = await issueCertificate(ca, {
    commonName: "l",
    dnsNames: ["a.example", "b.example"],
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  const facts = readCertificateFacts(leaf.certPem);
  assertEquals(facts.sans, ["DNS:a.example", "DNS:b.example", "IP:127.0.0.1"]);
  assertEquals(facts.isCa, false);
  // Whole seconds: certificates do not carry milliseconds.
  assertEquals(
    facts.notAfter.getTime(),
    Math.floor(parseCertificate(leaf.certPem).notAfter.getTime() / 1000) * 1000,
  );
  assertEquals(readCertificateFacts(ca.certPem).isCa, true);
  assertEquals(readCertificateFacts(ca.certPem).sans, []);
  let threw = false;
  try {
    readCertificateFacts("garbage");
  } catch {
    threw = true;
  }
  assertEquals(threw, true);
});

Deno.test({
  name: "isIssuedBy and keyBelongsTo answer false, never throw, for foreign or broken input",
  ignore: !HAVE_OPENSSL,
}, async () => {
  const ca = await createCertificateAuthority({ commonName: "ca", keyAlgorithm: "ecdsa-p384" });
  const sameNameP256 = await createCertificateAuthority({ commonName: "ca" });
  const rsa = await createCertificateAuthority({ commonName: "ca", keyAlgorithm: "rsa-2048" });
  const leaf = await issueCertificate(ca, { commonName: "l", usage: "server" });
  const other = await issueCertificate(ca, { commonName: "o", usage: "server" });
  assertEquals(isIssuedBy(leaf.certPem, ca.certPem), true);
  assertEquals(isIssuedBy(leaf.certPem, sameNameP256.certPem), false);
  assertEquals(isIssuedBy(leaf.certPem, rsa.certPem), false);
  assertEquals(isIssuedBy("junk", ca.certPem), false);
  assertEquals(keyBelongsTo(leaf.certPem, leaf.keyPem), true);
  assertEquals(keyBelongsTo(leaf.certPem, other.keyPem), false);
  assertEquals(keyBelongsTo(leaf.certPem, rsa.keyPem), false);
  assertEquals(keyBelongsTo(leaf.certPem, "junk"), false);
  const encrypted = await opensslOk([
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-aes256",
    "-pass",
    "pass:x",
  ]);
  assertEquals(keyBelongsTo(leaf.certPem, encrypted), false);
});
