import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import {
  HAVE_OPENSSL,
  issueWithOpenssl,
  makeEasyRsaPki,
  openssl,
  opensslOk,
  opensslSans,
} from "../lib/pki/openssl_cli.ts";
import { optionalTool } from "../support/optional_tool.ts";

const HAVE_OPENSSL_AND_BASH = HAVE_OPENSSL &&
  await optionalTool("bash", "the eval pieces=($(…)) test");

const AS = "kubestellar-ensure-kcp-server-creds";

function ensureCreds(cwd: string, ...args: string[]) {
  return runCli(args, { as: AS, cwd });
}

async function withDir(
  fn: (dir: string) => Promise<void>,
  prefix = "ensure-creds-",
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every file under `dir` with its content and mtime, for "nothing changed" checks. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(d: string) {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) {
        out.set(p + "/", "dir");
        await walk(p);
      } else {
        const st = await Deno.stat(p);
        out.set(p, `${st.mtime?.getTime()} ${st.mode} ${await Deno.readTextFile(p)}`);
      }
    }
  }
  await walk(dir);
  return out;
}

function modeOf(path: string): number {
  return Deno.statSync(path).mode! & 0o777;
}

async function assertVerifies(caCert: string, cert: string): Promise<void> {
  const r = await openssl(["verify", "-CAfile", caCert, cert]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim(), `${cert}: OK`);
}

Deno.test({
  name: "first run creates the PKI, CA and one-SAN server credentials; re-run changes nothing",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const first = await ensureCreds(dir, "yep.yep");
    assertEquals(first.code, 0, first.stderr);
    const pki = join(dir, "pki");
    const caCert = join(pki, "ca.crt");
    const cert = join(pki, "issued", "kcp-DNS-yep.yep.crt");
    const key = join(pki, "private", "kcp-DNS-yep.yep.key");
    assertEquals(first.stdout, `${caCert} ${cert} ${key}\n`);
    assertStringIncludes(first.stderr, `Creating PKI at ${pki}\n`);
    await assertVerifies(caCert, cert);
    const purpose = await openssl(["verify", "-purpose", "sslserver", "-CAfile", caCert, cert]);
    assertEquals(purpose.code, 0, purpose.stderr);
    assertEquals(await opensslSans(cert), ["DNS:yep.yep"]);
    const text = (await opensslOk(["x509", "-in", cert, "-noout", "-text"])).split("\n");
    const sanAt = text.findIndex((l) => l.includes("X509v3 Subject Alternative Name"));
    assertEquals(text.filter((l) => l.includes("X509v3 Subject Alternative Name")).length, 1);
    assertEquals(text[sanAt + 1].trim(), "DNS:yep.yep");
    assertMatch(text.join("\n"), /Extended Key Usage: \n\s*TLS Web Server Authentication\n/);
    assertEquals(modeOf(key), 0o600);
    assertEquals(modeOf(join(pki, "private", "ca.key")), 0o600);
    for (const d of ["reqs", "issued", "certs_by_serial", "revoked/certs_by_serial"]) {
      assertTrue(Deno.statSync(join(pki, d)).isDirectory, d);
    }
    for (const f of ["openssl-easyrsa.cnf", "index.txt.attr", "reqs/kcp-DNS-yep.yep.req"]) {
      assertTrue(Deno.statSync(join(pki, f)).isFile, f);
    }
    // Easy-RSA bookkeeping: one V line whose serial names the copy in certs_by_serial.
    const serial = (await openssl(["x509", "-in", cert, "-noout", "-serial"])).stdout.trim()
      .replace("serial=", "");
    const index = await Deno.readTextFile(join(pki, "index.txt"));
    assertMatch(
      index,
      new RegExp(`^V\\t\\d{12}Z\\t\\t${serial}\\tunknown\\t/CN=kcp-DNS-yep.yep\\n$`),
    );
    assertEquals(
      await Deno.readTextFile(join(pki, "certs_by_serial", `${serial}.pem`)),
      await Deno.readTextFile(cert),
    );
    const req = await openssl([
      "req",
      "-in",
      join(pki, "reqs", "kcp-DNS-yep.yep.req"),
      "-noout",
      "-verify",
    ]);
    assertEquals(req.code, 0, req.stderr);
    // Nothing left over beside ./pki.
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["pki"]);

    const before = await snapshot(pki);
    const again = await ensureCreds(dir, "yep.yep");
    assertEquals(again.code, 0, again.stderr);
    assertEquals(again.stdout, first.stdout);
    assertEquals(
      again.stderr,
      `Re-using PKI at ${pki}\nRe-using CA at ${pki}/private/ca.key\nAccepting existing credentials\n`,
    );
    assertEquals(await snapshot(pki), before);
  });
});

Deno.test({
  name:
    "a second domain shares the CA; eval pieces=($(…)) gives three words with a space in the path",
  ignore: !HAVE_OPENSSL_AND_BASH,
}, async () => {
  await withDir(async (parent) => {
    const dir = join(parent, "my dir");
    await Deno.mkdir(dir);
    const a = await ensureCreds(dir, "a.example.com");
    assertEquals(a.code, 0, a.stderr);
    const script =
      `cd "$1" && eval pieces=($("$2" run -A --quiet "$3" b.example.com 2>"$1/../err")) && ` +
      `echo "\${#pieces[@]}" && printf '%s\\n' "\${pieces[@]}"`;
    const r = await new Deno.Command("bash", {
      args: ["-c", script, "bash", dir, Deno.execPath(), join(Deno.cwd(), "main.ts")],
      env: { KUBESTELLAR_INVOKED_AS: AS },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const lines = new TextDecoder().decode(r.stdout).trimEnd().split("\n");
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const pki = join(dir, "pki");
    assertEquals(lines, [
      "3",
      join(pki, "ca.crt"),
      join(pki, "issued", "kcp-DNS-b.example.com.crt"),
      join(pki, "private", "kcp-DNS-b.example.com.key"),
    ]);
    await assertVerifies(lines[1], lines[2]);
    await assertVerifies(lines[1], join(pki, "issued", "kcp-DNS-a.example.com.crt"));
    assertStringIncludes(await Deno.readTextFile(join(parent, "err")), "Re-using CA at");
    const index = await Deno.readTextFile(join(pki, "index.txt"));
    assertEquals(index.trim().split("\n").length, 2);
  }, "ensure creds ");
});

Deno.test("paths follow $PWD through a symbolic link, as the shell names the directory", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "real"));
    const link = join(dir, "link");
    await Deno.symlink(join(dir, "real"), link);
    const r = await runCli(["yep.yep"], { as: AS, cwd: link, env: { PWD: link } });
    assertEquals(r.code, 0, r.stderr);
    const pki = join(link, "pki");
    assertEquals(
      r.stdout,
      `${pki}/ca.crt ${pki}/issued/kcp-DNS-yep.yep.crt ${pki}/private/kcp-DNS-yep.yep.key\n`,
    );
    assertTrue(Deno.statSync(join(dir, "real", "pki", "ca.crt")).isFile);
  });
});

Deno.test("bad arguments: one clear line, usage exit codes, no PKI", async () => {
  await withDir(async (dir) => {
    const none = await ensureCreds(dir);
    assertEquals(none.code, 1);
    assertEquals(
      none.stderr,
      `${AS}: expected exactly one argument, the DNS domain name, but got 0\nUsage: ${AS} dns-name\n`,
    );
    // (every other bad-argument case is covered by tests/lib/pki/kcp_server_creds_args_test.ts)
    const bad = await ensureCreds(dir, "Foo.Bar");
    assertEquals(bad.code, 2);
    assertEquals(bad.stdout, "");
    assertEquals(bad.stderr.split("\n").length, 2, bad.stderr);
    assertMatch(
      bad.stderr,
      /^kubestellar-ensure-kcp-server-creds: invalid domain name "Foo.Bar": a lowercase RFC 1123 /,
    );
    const help = await ensureCreds(dir, "--help");
    assertEquals(help.code, 0);
    assertEquals(help.stdout, `Usage: ${AS} dns-name\n`);
    assertEquals([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("an unwritable directory gives one clear line and leaves nothing", async () => {
  await withDir(async (dir) => {
    const ro = join(dir, "ro");
    await Deno.mkdir(ro);
    const root = Deno.uid() === 0;
    if (root) {
      let made = false;
      try {
        made = (await new Deno.Command("chattr", { args: ["+i", ro] }).output()).success;
      } catch {
        // chattr is not installed (it throws NotFound synchronously).
      }
      if (!made) {
        console.log(
          "unwritable-directory test SKIPPED: chattr cannot make a directory unwritable for root here",
        );
        return;
      }
    } else await Deno.chmod(ro, 0o555);
    try {
      const r = await ensureCreds(ro, "foo.bar");
      assertEquals(r.code, 1);
      assertEquals(r.stdout, "");
      assertEquals(
        r.stderr,
        `${AS}: cannot write the PKI at ${ro}/pki: permission denied; ` +
          `run in a directory you can write to\n`,
      );
    } finally {
      if (root) await new Deno.Command("chattr", { args: ["-i", ro] }).output();
      else await Deno.chmod(ro, 0o755);
    }
    assertEquals([...Deno.readDirSync(ro)], []);
  });
});

Deno.test({
  name: "accepts a PKI built by Easy-RSA (RSA-2048 PKCS#8 CA) and its matching credentials",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const pki = await makeEasyRsaPki(dir, "rsa-pkcs8");
    await issueWithOpenssl(pki, "kcp-DNS-yep.yep", "DNS:yep.yep");
    const before = await snapshot(pki);
    const caKeyBefore = await Deno.readTextFile(join(pki, "private", "ca.key"));
    const r = await ensureCreds(dir, "yep.yep");
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      r.stderr,
      `Re-using PKI at ${pki}\nRe-using CA at ${pki}/private/ca.key\nAccepting existing credentials\n`,
    );
    assertEquals(await snapshot(pki), before);

    // A new domain in the same Easy-RSA PKI is signed by its RSA CA.
    const other = await ensureCreds(dir, "other.example");
    assertEquals(other.code, 0, other.stderr);
    const cert = join(pki, "issued", "kcp-DNS-other.example.crt");
    await assertVerifies(join(pki, "ca.crt"), cert);
    assertEquals(await opensslSans(cert), ["DNS:other.example"]);
    assertEquals(modeOf(join(pki, "private", "kcp-DNS-other.example.key")), 0o600);
    assertEquals(await Deno.readTextFile(join(pki, "private", "ca.key")), caKeyBefore);
  });
});

Deno.test({
  name: "an encrypted CA key is one clear line, exit 1, and no change",
  ignore: !HAVE_OPENSSL,
}, async () => {
  await withDir(async (dir) => {
    const pki = await makeEasyRsaPki(dir, "rsa-encrypted-pkcs8");
    const before = await snapshot(pki);
    const r = await ensureCreds(dir, "k.example");
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assertEquals(lines.slice(0, 2), [
      `Re-using PKI at ${pki}`,
      `Re-using CA at ${pki}/private/ca.key`,
    ]);
    assertEquals(lines.length, 3, r.stderr);
    assertMatch(lines[2], new RegExp(`^${AS}: the CA key at ${pki}/private/ca.key is encrypted; `));
    assertEquals(await snapshot(pki), before);
  });
});
