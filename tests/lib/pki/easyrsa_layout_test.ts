import { join } from "node:path";
import { assertEquals, assertMatch } from "../../support/assert.ts";
import {
  easyRsaLayout,
  ensurePkiSkeleton,
  indexLine,
  isPkiInitialized,
  nextSerial,
  opensslIndexTime,
} from "../../../lib/pki/easyrsa_layout.ts";
import { ensureKcpServerCreds } from "../../../lib/pki/kcp_server_creds.ts";
import { HAVE_OPENSSL, openssl, opensslOk } from "./openssl_cli.ts";

Deno.test("index.txt times: UTCTime before 2050, GeneralizedTime after", () => {
  assertEquals(opensslIndexTime(new Date("2036-11-22T09:31:03.500Z")), "361122093103Z");
  assertEquals(opensslIndexTime(new Date("2054-04-12T00:00:00Z")), "20540412000000Z");
  assertEquals(
    indexLine(new Date("2030-01-02T03:04:05Z"), "0a1b", "/CN=x"),
    "V\t300102030405Z\t\t0A1B\tunknown\t/CN=x",
  );
});

Deno.test("nextSerial adds one and keeps an even number of hex digits", () => {
  assertEquals(nextSerial("01"), "02");
  assertEquals(nextSerial("0F"), "10");
  assertEquals(nextSerial("FF"), "0100");
  assertEquals(nextSerial("3EF121FB432EC69B2E7AFBF80144B6EA"), "3EF121FB432EC69B2E7AFBF80144B6EB");
});

Deno.test("ensurePkiSkeleton creates an initialised PKI once and then touches nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pki-layout-" });
  try {
    const layout = easyRsaLayout(join(dir, "pki"));
    assertEquals(await isPkiInitialized(layout), false);
    const created = await ensurePkiSkeleton(layout);
    assertEquals(created.includes("private/"), true);
    assertEquals(created.includes("openssl-easyrsa.cnf"), true);
    assertEquals(await isPkiInitialized(layout), true);
    assertEquals(Deno.statSync(join(dir, "pki", "private")).mode! & 0o777, 0o700);
    assertEquals(await Deno.readTextFile(layout.indexAttrFile), "unique_subject = no\n");
    assertEquals(await ensurePkiSkeleton(layout), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "openssl ca works on the PKI we write: signs with our serial, revokes our cert, makes a CRL",
  ignore: !HAVE_OPENSSL,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "pki-layout-" });
  try {
    await ensureKcpServerCreds({ domain: "yep.yep", cwd: dir, prog: "t", log: () => {} });
    const pki = join(dir, "pki");
    const cnf = join(pki, "openssl-easyrsa.cnf");
    const env = {
      EASYRSA_PKI: pki,
      EASYRSA_CERT_EXPIRE: "825",
      EASYRSA_CRL_DAYS: "180",
      EASYRSA_DIGEST: "sha256",
      EASYRSA_KEY_SIZE: "2048",
      EASYRSA_REQ_CN: "ChangeMe",
    };
    const run = async (args: string[]) => {
      const r = await new Deno.Command("openssl", { args, env, stdout: "piped", stderr: "piped" })
        .output();
      assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    };
    const serialBefore = (await Deno.readTextFile(join(pki, "serial"))).trim();
    const req = join(pki, "reqs", "other.req");
    await opensslOk([
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(pki, "private", "other.key"),
      "-subj",
      "/CN=other",
      "-out",
      req,
    ]);
    const otherCrt = join(pki, "issued", "other.crt");
    await run(["ca", "-batch", "-config", cnf, "-in", req, "-out", otherCrt, "-notext"]);
    const serial = (await opensslOk(["x509", "-in", otherCrt, "-noout", "-serial"])).trim();
    assertEquals(serial, `serial=${serialBefore}`);
    const v = await openssl(["verify", "-CAfile", join(pki, "ca.crt"), otherCrt]);
    assertEquals(v.code, 0, v.stderr);
    await run(["ca", "-config", cnf, "-revoke", join(pki, "issued", "kcp-DNS-yep.yep.crt")]);
    const index = (await Deno.readTextFile(join(pki, "index.txt"))).trim().split("\n");
    assertMatch(index[0], /^R\t\d{12}Z\t\d{12}Z\t[0-9A-F]+\tunknown\t\/CN=kcp-DNS-yep\.yep$/);
    assertMatch(index[1], /^V\t\d{12}Z\t\t[0-9A-F]+\tunknown\t\/CN=other$/);
    await run(["ca", "-gencrl", "-config", cnf, "-out", join(pki, "crl.pem")]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
