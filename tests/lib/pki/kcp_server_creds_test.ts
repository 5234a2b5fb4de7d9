import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../support/assert.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import {
  createCertificateAuthority,
  subjectAltNames,
  verifySignedBy,
} from "../../../lib/pki/certificates.ts";
import { easyRsaLayout, ensurePkiSkeleton, writeCa } from "../../../lib/pki/easyrsa_layout.ts";
import {
  ensureKcpServerCreds,
  formatCredsLine,
  serverCredsBaseName,
} from "../../../lib/pki/kcp_server_creds.ts";
import {
  type CaKeyKind,
  HAVE_OPENSSL,
  issueWithOpenssl,
  makeEasyRsaPki,
  openssl,
  opensslSans,
} from "./openssl_cli.ts";

const PROG = "kubestellar-ensure-kcp-server-creds";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kcp-creds-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs the flow in `cwd`, returning the progress lines (throws what the flow throws). */
async function ensure(cwd: string, domain: string): Promise<string[]> {
  const lines: string[] = [];
  await ensureKcpServerCreds({ domain, cwd, prog: PROG, log: (l) => lines.push(l) });
  return lines;
}

async function assertVerifies(pki: string, domain: string): Promise<void> {
  const cert = join(pki, "issued", `${serverCredsBaseName(domain)}.crt`);
  if (!HAVE_OPENSSL) {
    // Our own checks stand in for openssl's (which the other tests cross-check when present).
    const certPem = await Deno.readTextFile(cert);
    assertEquals(await verifySignedBy(certPem, await Deno.readTextFile(join(pki, "ca.crt"))), true);
    assertEquals(subjectAltNames(certPem), [`DNS:${domain}`]);
    return;
  }
  const r = await openssl(["verify", "-CAfile", join(pki, "ca.crt"), cert]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await opensslSans(cert), [`DNS:${domain}`]);
}

Deno.test("formatCredsLine quotes only paths that need it", () => {
  assertEquals(
    formatCredsLine({ caCert: "/a/ca.crt", serverCert: "/a/s.crt", serverKey: "/a/s.key" }),
    "/a/ca.crt /a/s.crt /a/s.key",
  );
  assertEquals(
    formatCredsLine({ caCert: "/my dir/ca.crt", serverCert: "/it's/s.crt", serverKey: "/a/s.key" }),
    "'/my dir/ca.crt' '/it'\\''s/s.crt' /a/s.key",
  );
});

Deno.test({
  name:
    "credentials with another SAN, another CA, unreadable content or a foreign key are regenerated",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const pki = await makeEasyRsaPki(dir, "ec-pkcs8");
    const base = serverCredsBaseName("yep.yep");
    const cert = join(pki, "issued", `${base}.crt`);
    const key = join(pki, "private", `${base}.key`);

    await issueWithOpenssl(pki, base, "DNS:nope.nope,DNS:yep.yep");
    const wrongSan = await ensure(dir, "yep.yep");
    assertEquals(wrongSan, [
      `Re-using PKI at ${pki}`,
      `Re-using CA at ${pki}/private/ca.key`,
      "Rejecting existing credentials with SAN 'DNS:nope.nope, DNS:yep.yep'",
      "Created credentials for DNS:yep.yep",
    ]);
    await assertVerifies(pki, "yep.yep");

    const elsewhere = await makeEasyRsaPki(join(dir, "elsewhere"), "ec-pkcs8");
    await issueWithOpenssl(elsewhere, base, "DNS:yep.yep");
    await Deno.copyFile(join(elsewhere, "issued", `${base}.crt`), cert);
    await Deno.copyFile(join(elsewhere, "private", `${base}.key`), key);
    assertEquals(
      (await ensure(dir, "yep.yep"))[2],
      `Rejecting existing credentials: not signed by the CA at ${pki}/ca.crt`,
    );
    await assertVerifies(pki, "yep.yep");

    await Deno.writeTextFile(cert, "garbage\n");
    assertEquals(
      (await ensure(dir, "yep.yep"))[2],
      "Rejecting existing credentials: the certificate cannot be read",
    );
    await assertVerifies(pki, "yep.yep");

    await Deno.copyFile(join(elsewhere, "private", `${base}.key`), key);
    assertEquals(
      (await ensure(dir, "yep.yep"))[2],
      "Rejecting existing credentials: the key does not belong to the certificate",
    );
    assertEquals((await ensure(dir, "yep.yep"))[2], "Accepting existing credentials");
    assertEquals(Deno.statSync(key).mode! & 0o777, 0o600);
    // Every issue left a V line in index.txt, and the serial file moved past the last one.
    const index = (await Deno.readTextFile(join(pki, "index.txt"))).trim().split("\n");
    assertEquals(index.length, 4);
    const lastSerial = index[3].split("\t")[3];
    const next = (await Deno.readTextFile(join(pki, "serial"))).trim();
    assertEquals(BigInt("0x" + next), BigInt("0x" + lastSerial) + 1n);
  });
});

Deno.test(
  { name: "CA keys in SEC1 (EC) and PKCS#1 (RSA) form are re-used", ignore: !HAVE_OPENSSL },
  async () => {
    await withDir(async (dir) => {
      for (const kind of ["ec-sec1", "rsa-pkcs1"] as CaKeyKind[]) {
        const pki = await makeEasyRsaPki(join(dir, kind), kind);
        const caKey = await Deno.readTextFile(join(pki, "private", "ca.key"));
        const lines = await ensure(join(dir, kind), "k.example");
        assertEquals(lines[1], `Re-using CA at ${pki}/private/ca.key`);
        await assertVerifies(pki, "k.example");
        assertEquals(await Deno.readTextFile(join(pki, "private", "ca.key")), caKey);
      }
    });
  },
);

Deno.test({
  name: "a legacy encrypted CA key (Proc-Type: ENCRYPTED) is refused with a clear error",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const pki = await makeEasyRsaPki(dir, "rsa-encrypted-legacy");
    const e = await assertRejects(() => ensure(dir, "k.example"));
    assertEquals(e instanceof UserError, true);
    assertMatch(
      e.message,
      new RegExp(`^${PROG}: the CA key at ${pki}/private/ca.key is encrypted; `),
    );
  });
});

Deno.test({
  name: "half a CA is refused; a PKI without a CA gets one; missing bookkeeping is added",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const pki = await makeEasyRsaPki(dir, "ec-pkcs8");
    await Deno.remove(join(pki, "ca.crt"));
    const e = await assertRejects(() => ensure(dir, "yep.yep"));
    assertStringIncludes(e.message, `has ${pki}/private/ca.key but not ${pki}/ca.crt; `);

    await Deno.remove(join(pki, "private", "ca.key"));
    await Deno.remove(join(pki, "openssl-easyrsa.cnf"));
    await Deno.remove(join(pki, "index.txt"));
    await Deno.remove(join(pki, "revoked"), { recursive: true });
    const lines = await ensure(dir, "yep.yep");
    assertEquals(lines, [
      `Completing PKI at ${pki}`,
      `Created CA at ${pki}/private/ca.key`,
      "Created credentials for DNS:yep.yep",
    ]);
    await assertVerifies(pki, "yep.yep");
    for (const p of ["openssl-easyrsa.cnf", "index.txt", "revoked/reqs_by_serial"]) {
      Deno.statSync(join(pki, p));
    }
    assertEquals(Deno.statSync(join(pki, "private", "ca.key")).mode! & 0o777, 0o600);
  });
});

Deno.test("an empty ./pki is filled; a ./pki that is a file is refused", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "pki"));
    const lines = await ensure(dir, "yep.yep");
    assertEquals(lines[0], `Creating PKI at ${join(dir, "pki")}`);
    await assertVerifies(join(dir, "pki"), "yep.yep");
  });
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "pki"), "not a directory");
    const e = await assertRejects(() => ensure(dir, "yep.yep"));
    assertEquals(
      e.message,
      `${PROG}: ${join(dir, "pki")} exists and is not a directory; move it away`,
    );
  });
});

Deno.test("a long domain still gets a valid certificate (CN capped at 64 characters)", async () => {
  await withDir(async (dir) => {
    const domain = `${"a".repeat(60)}.${"b".repeat(60)}.example.com`;
    await ensure(dir, domain);
    await assertVerifies(join(dir, "pki"), domain);
  });
});

Deno.test("two first runs at once: one builds the PKI, the other re-uses it", async () => {
  await withDir(async (dir) => {
    const [a, b] = await Promise.all([ensure(dir, "yep.yep"), ensure(dir, "yep.yep")]);
    const reused = [a, b].filter((lines) => lines.includes("Accepting existing credentials"));
    assertEquals(reused.length, 1, JSON.stringify([a, b]));
    await assertVerifies(join(dir, "pki"), "yep.yep");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["pki"]);
  });
});

Deno.test("an expired CA is a clear error, not a certificate that cannot work", async () => {
  await withDir(async (dir) => {
    const layout = easyRsaLayout(join(dir, "pki"));
    await ensurePkiSkeleton(layout);
    await writeCa(layout, await createCertificateAuthority({ commonName: "old", validityDays: 0 }));
    const e = await assertRejects(() => ensure(dir, "yep.yep"));
    assertMatch(e.message, new RegExp(`^${PROG}: the CA at ${layout.caCert} expired on \\d{4}-`));
  });
});
