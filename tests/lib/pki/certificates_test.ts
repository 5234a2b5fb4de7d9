import { join } from "node:path";
import { assertEquals, assertMatch, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  createCertificateAuthority,
  EncryptedPrivateKeyError,
  issueCertificate,
  loadCertificateAuthority,
  parseCertificate,
  subjectAltNames,
  verifySignedBy,
} from "../../../lib/pki/certificates.ts";
import {
  type CaKeyKind,
  certText,
  HAVE_OPENSSL,
  makeEasyRsaPki,
  openssl,
  opensslSans,
} from "./openssl_cli.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pki-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "CA and issued certificates pass openssl verify for every key type",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    for (const keyAlgorithm of ["ecdsa-p256", "ecdsa-p384", "rsa-2048"] as const) {
      const ca = await createCertificateAuthority({ commonName: "test-ca", keyAlgorithm });
      const server = await issueCertificate(ca, {
        commonName: "kcp",
        dnsNames: ["localhost", "kcp.example.com"],
        ipAddresses: ["127.0.0.1", "::1"],
        usage: "server",
        keyAlgorithm,
      });
      const client = await issueCertificate(ca, {
        commonName: "admin",
        organizations: ["system:masters"],
        usage: "client",
      });
      const caFile = join(dir, `${keyAlgorithm}-ca.crt`);
      const serverFile = join(dir, `${keyAlgorithm}-server.crt`);
      const clientFile = join(dir, `${keyAlgorithm}-client.crt`);
      await Deno.writeTextFile(caFile, ca.certPem);
      await Deno.writeTextFile(serverFile, server.certPem);
      await Deno.writeTextFile(clientFile, client.certPem);
      for (const [file, purpose] of [[serverFile, "sslserver"], [clientFile, "sslclient"]]) {
        const r = await openssl([
          "verify",
          "-x509_strict",
          "-purpose",
          purpose,
          "-CAfile",
          caFile,
          file,
        ]);
        assertEquals(r.code, 0, `${keyAlgorithm} ${purpose}: ${r.stderr}`);
      }
      const wrongPurpose = await openssl([
        "verify",
        "-purpose",
        "sslserver",
        "-CAfile",
        caFile,
        clientFile,
      ]);
      assertTrue(wrongPurpose.code !== 0, "a client-only certificate must not pass as a server");

      const caText = await certText(caFile);
      assertMatch(caText, /Basic Constraints: critical\s+CA:TRUE/);
      assertMatch(caText, /Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
      assertMatch(caText, /Subject Key Identifier/);
      const serverText = await certText(serverFile);
      assertMatch(serverText, /CA:FALSE/);
      assertMatch(serverText, /Extended Key Usage: \s*TLS Web Server Authentication\n/);
      assertEquals(await opensslSans(serverFile), [
        "DNS:localhost",
        "DNS:kcp.example.com",
        "IP Address:127.0.0.1",
        "IP Address:0:0:0:0:0:0:0:1",
      ]);
      const clientText = await certText(clientFile);
      assertMatch(clientText, /Subject: O = system:masters, CN = admin/);
      assertMatch(clientText, /Extended Key Usage: \s*TLS Web Client Authentication\n/);
      // AKI of the leaf is the CA's SKI.
      const ski = /Subject Key Identifier: \s*([0-9A-F:]+)/.exec(caText)![1];
      assertMatch(serverText, new RegExp(`Authority Key Identifier: \\s*(keyid:)?${ski}`));
      // Keys are unencrypted PKCS#8.
      assertMatch(server.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
      assertMatch(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    }
  });
});

Deno.test("subjectAltNames lists DNS and IP entries in order, [] without the extension", async () => {
  const ca = await createCertificateAuthority({ commonName: "ca" });
  const both = await issueCertificate(ca, {
    commonName: "x",
    dnsNames: ["a.example"],
    ipAddresses: ["10.0.0.1"],
    usage: "server-and-client",
  });
  assertEquals(subjectAltNames(both.certPem), ["DNS:a.example", "IP:10.0.0.1"]);
  const none = await issueCertificate(ca, { commonName: "user", usage: "client" });
  assertEquals(subjectAltNames(none.certPem), []);
  assertEquals(subjectAltNames(ca.certPem), []);
});

Deno.test("issued certificates never outlive their CA", async () => {
  const ca = await createCertificateAuthority({ commonName: "short-ca", validityDays: 10 });
  const leaf = await issueCertificate(ca, { commonName: "l", usage: "server", validityDays: 400 });
  const caNotAfter = parseCertificate(ca.certPem).notAfter.getTime();
  assertEquals(parseCertificate(leaf.certPem).notAfter.getTime(), caNotAfter);
  const short = await issueCertificate(ca, { commonName: "s", usage: "server", validityDays: 2 });
  assertTrue(parseCertificate(short.certPem).notAfter.getTime() < caNotAfter);
});

Deno.test("an expired CA issues nothing", async () => {
  const ca = await createCertificateAuthority({ commonName: "old-ca", validityDays: 0 });
  await assertRejects(
    () => issueCertificate(ca, { commonName: "l", usage: "server" }),
    /the CA certificate expired on /,
  );
});

Deno.test("issueCertificate uses a given serial number", async () => {
  const ca = await createCertificateAuthority({ commonName: "ca" });
  const leaf = await issueCertificate(ca, {
    commonName: "l",
    usage: "client",
    serialNumber: "1A2B3C4D5E6F",
  });
  assertEquals(parseCertificate(leaf.certPem).serialNumber.toUpperCase(), "1A2B3C4D5E6F");
});

Deno.test("verifySignedBy: own CA yes, other CA or garbage no", async () => {
  const ca = await createCertificateAuthority({ commonName: "same-name" });
  const other = await createCertificateAuthority({ commonName: "same-name" });
  const leaf = await issueCertificate(ca, { commonName: "l", usage: "server" });
  assertEquals(await verifySignedBy(leaf.certPem, ca.certPem), true);
  assertEquals(await verifySignedBy(leaf.certPem, other.certPem), false);
  assertEquals(await verifySignedBy("not a certificate", ca.certPem), false);
  assertEquals(await verifySignedBy(leaf.certPem, "junk"), false);
});

Deno.test("loadCertificateAuthority round-trips our own CA and can issue", async () => {
  const ca = await createCertificateAuthority({ commonName: "ca", keyAlgorithm: "ecdsa-p384" });
  const loaded = await loadCertificateAuthority(ca.certPem, ca.keyPem);
  assertEquals(loaded.subjectKeyId, ca.subjectKeyId);
  const leaf = await issueCertificate(loaded, { commonName: "l", usage: "server" });
  assertEquals(await verifySignedBy(leaf.certPem, ca.certPem), true);
});

Deno.test({
  name: "loadCertificateAuthority accepts OpenSSL-made CAs in PKCS#8, SEC1 and PKCS#1",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    for (const kind of ["rsa-pkcs8", "rsa-pkcs1", "ec-sec1", "ec-pkcs8"] as CaKeyKind[]) {
      const pki = await makeEasyRsaPki(join(dir, kind), kind);
      const certPem = await Deno.readTextFile(join(pki, "ca.crt"));
      const keyPem = await Deno.readTextFile(join(pki, "private", "ca.key"));
      const ca = await loadCertificateAuthority(certPem, keyPem);
      assertMatch(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
      const leaf = await issueCertificate(ca, {
        commonName: "l",
        dnsNames: ["x.example"],
        usage: "server",
      });
      const leafFile = join(dir, `${kind}.crt`);
      await Deno.writeTextFile(leafFile, leaf.certPem);
      const r = await openssl(["verify", "-CAfile", join(pki, "ca.crt"), leafFile]);
      assertEquals(r.code, 0, `${kind}: ${r.stderr}`);
    }
  });
});

Deno.test({
  name: "loadCertificateAuthority rejects encrypted keys, foreign keys and non-CA certificates",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    for (const kind of ["rsa-encrypted-pkcs8", "rsa-encrypted-legacy"] as CaKeyKind[]) {
      const pki = await makeEasyRsaPki(join(dir, kind), kind);
      const certPem = await Deno.readTextFile(join(pki, "ca.crt"));
      const keyPem = await Deno.readTextFile(join(pki, "private", "ca.key"));
      const e = await assertRejects(() => loadCertificateAuthority(certPem, keyPem));
      assertTrue(e instanceof EncryptedPrivateKeyError, `${kind}: ${e}`);
    }
  });
  const ca = await createCertificateAuthority({ commonName: "ca" });
  const other = await createCertificateAuthority({ commonName: "ca" });
  await assertRejects(() => loadCertificateAuthority(ca.certPem, other.keyPem), /does not belong/);
  const leaf = await issueCertificate(ca, { commonName: "l", usage: "server" });
  await assertRejects(() => loadCertificateAuthority(leaf.certPem, leaf.keyPem), /not a CA/);
  await assertRejects(() => loadCertificateAuthority(ca.certPem, "nothing here"), /no private key/);
});
