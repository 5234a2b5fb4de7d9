import { join } from "node:path";
import { assertEquals, assertMatch, assertRejects } from "../../support/assert.ts";
import {
  EncryptedPrivateKeyError,
  generatePrivateKey,
  importPrivateKeyPem,
} from "../../../lib/pki/private_key.ts";
import { HAVE_OPENSSL, opensslOk } from "./openssl_cli.ts";

async function signVerify(pem: string): Promise<boolean> {
  const key = await importPrivateKeyPem(pem);
  const data = new TextEncoder().encode("probe");
  const sig = await crypto.subtle.sign(key.signingAlgorithm, key.privateKey, data);
  return sig.byteLength > 0;
}

Deno.test({
  name: "generated keys are PKCS#8 PEM that OpenSSL reads and we re-import",
  ignore: !HAVE_OPENSSL,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "pki-key-" });
  try {
    const expect: Record<string, RegExp> = {
      "ecdsa-p256": /prime256v1|P-256/,
      "ecdsa-p384": /secp384r1|P-384/,
      "rsa-2048": /Private-Key: \(2048 bit/,
    };
    for (const alg of ["ecdsa-p256", "ecdsa-p384", "rsa-2048"] as const) {
      const key = await generatePrivateKey(alg);
      assertMatch(
        key.pkcs8Pem,
        /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
      );
      const file = join(dir, `${alg}.key`);
      await Deno.writeTextFile(file, key.pkcs8Pem);
      assertMatch(await opensslOk(["pkey", "-in", file, "-noout", "-text"]), expect[alg]);
      const again = await importPrivateKeyPem(key.pkcs8Pem);
      assertEquals(again.pkcs8Pem, key.pkcs8Pem);
    }
    assertEquals((await generatePrivateKey("ecdsa-p384")).signingAlgorithm, {
      name: "ECDSA",
      hash: "SHA-384",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "importPrivateKeyPem reads SEC1 and PKCS#1 keys written by OpenSSL and normalises to PKCS#8",
  ignore: !HAVE_OPENSSL,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "pki-key-" });
  try {
    const sec1 = join(dir, "ec.key");
    await opensslOk(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1]);
    const pkcs1 = join(dir, "rsa.key");
    await opensslOk(["genrsa", "-traditional", "-out", pkcs1, "2048"]);
    for (const [file, label] of [[sec1, "EC PRIVATE KEY"], [pkcs1, "RSA PRIVATE KEY"]]) {
      const pem = await Deno.readTextFile(file);
      assertMatch(pem, new RegExp(`^-----BEGIN ${label}-----`));
      assertEquals(await signVerify(pem), true);
      const key = await importPrivateKeyPem(pem);
      // OpenSSL agrees that our PKCS#8 form is the same key.
      const converted = join(dir, "converted.key");
      await Deno.writeTextFile(converted, key.pkcs8Pem);
      const a = await opensslOk(["pkey", "-in", file, "-pubout"]);
      const b = await opensslOk(["pkey", "-in", converted, "-pubout"]);
      assertEquals(b, a);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "importPrivateKeyPem refuses encrypted, missing and unsupported keys",
  ignore: !HAVE_OPENSSL,
}, async () => {
  const encrypted =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
  const e1 = await assertRejects(() => importPrivateKeyPem(encrypted));
  assertEquals(e1 instanceof EncryptedPrivateKeyError, true);
  const legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n" +
    "DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
  const e2 = await assertRejects(() => importPrivateKeyPem(legacy));
  assertEquals(e2 instanceof EncryptedPrivateKeyError, true);
  await assertRejects(
    () => importPrivateKeyPem("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"),
    /no private key/,
  );
  await assertRejects(() =>
    importPrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
  );
  const ed25519 = await opensslOk(["genpkey", "-algorithm", "ed25519"]);
  await assertRejects(
    () => importPrivateKeyPem(ed25519),
    /unsupported key algorithm 1\.3\.101\.112/,
  );
});
