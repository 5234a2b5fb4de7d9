/**
 * A `kcp-lite start` that fails — port in use, a bad `--tls-sni-cert-key` — says so in one
 * line and leaves the root directory as it found it: absent for a first start, unchanged
 * for a later one. A root directory that an earlier start left half made (a crash between
 * its files) is resumed.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { REPO_ROOT } from "../../../support/cli.ts";
import { pathExists } from "../../../support/path_exists.ts";
import { type KcpLiteOptions, startKcpLite } from "../../../../lib/kcplite/kcp_lite_server.ts";
import { RootDirectory } from "../../../../lib/kcplite/root_directory.ts";
import { createCertificateAuthority, issueCertificate } from "../../../../lib/pki/certificates.ts";

async function failure(options: KcpLiteOptions): Promise<string> {
  try {
    const server = await startKcpLite(options);
    await server.stop();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("the start did not fail");
}

/** Every file of a directory with the SHA-256 of its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile) continue;
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(join(dir, e.name)));
    out[e.name] = [...new Uint8Array(digest)].map((b) => b.toString(16)).join("");
  }
  return out;
}

async function withTemp(fn: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "kcp-lite-failed-start-" });
  try {
    await fn(tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("a port in use: one line, and a new root directory is not made", async () => {
  await withTemp(async (tmp) => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    try {
      const root = join(tmp, "new-root");
      for (const mode of ["kcp", "kube"] as const) {
        const message = await failure({ rootDirectory: root, securePort: port, mode });
        assertEquals(message, `cannot listen on 127.0.0.1:${port}: the address is already in use`);
        assertEquals(await pathExists(root), false);
      }
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--quiet",
          join(REPO_ROOT, "main.ts"),
          "kcp-lite",
          "start",
          `--secure-port=${port}`,
          "--root-directory",
          root,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(out.code, 1);
      const err = new TextDecoder().decode(out.stderr).trim();
      assertEquals(err.split("\n").length, 1, err);
      assertStringIncludes(err, "address is already in use");
      assertEquals(await pathExists(root), false);
    } finally {
      busy.close();
    }
  });
});

Deno.test("bad --tls-sni-cert-key: one line each, an existing root is left unchanged", async () => {
  await withTemp(async (tmp) => {
    const root = join(tmp, "root");
    const ok = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
    await ok.stop();
    const before = await snapshot(root);
    const ca = await createCertificateAuthority({ commonName: "sni-test" });
    const a = await issueCertificate(ca, {
      commonName: "a.example",
      dnsNames: ["a.example"],
      usage: "server",
    });
    const b = await issueCertificate(ca, {
      commonName: "b.example",
      dnsNames: ["b.example"],
      usage: "server",
    });
    const file = async (name: string, text: string) => {
      await Deno.writeTextFile(join(tmp, name), text);
      return join(tmp, name);
    };
    const cert = await file("a.crt", a.certPem);
    const cases: [string, string, string][] = [
      [cert, await file("b.key", b.keyPem), "the private key does not belong to the certificate"],
      [await file("junk.crt", "junk"), await file("a.key", a.keyPem), "does not hold a PEM"],
      [cert, await file("junk.key", "junk"), "does not hold a PEM private key"],
      [cert, join(tmp, "missing.key"), "cannot read"],
    ];
    for (const [certFile, keyFile, expected] of cases) {
      for (const dir of [root, join(tmp, "fresh")]) {
        const message = await failure({
          rootDirectory: dir,
          securePort: 0,
          mode: "kcp",
          sniCertKeys: [{ certFile, keyFile }],
        });
        assertStringIncludes(message, `--tls-sni-cert-key ${certFile},${keyFile}: `);
        assertStringIncludes(message, expected);
        assertEquals(message.includes("\n"), false);
      }
      assertEquals(await pathExists(join(tmp, "fresh")), false);
      assertEquals(await snapshot(root), before);
    }
  });
});

Deno.test("a root directory left half made by an earlier start is resumed", async () => {
  await withTemp(async (tmp) => {
    const full = join(tmp, "full");
    const server = await startKcpLite({ rootDirectory: full, securePort: 0, mode: "kcp" });
    await server.stop();
    // Crashes at different points of a first start leave different subsets of the files.
    for (const keep of [["ca.crt"], ["ca.crt", "ca.key", "sa.key"], ["ca.key", "kcp-lite.db"]]) {
      const root = join(tmp, keep.join("+"));
      await Deno.mkdir(root);
      for (const name of keep) await Deno.copyFile(join(full, name), join(root, name));
      const again = await startKcpLite({ rootDirectory: root, securePort: 0, mode: "kcp" });
      try {
        const kubeconfig = await Deno.readTextFile(again.adminKubeconfigPath);
        assertStringIncludes(kubeconfig, "name: system:admin");
      } finally {
        await again.stop();
      }
    }
  });
});

Deno.test("RootDirectory.rollback removes only what this start made", async () => {
  await withTemp(async (tmp) => {
    const existing = join(tmp, "existing");
    await Deno.mkdir(existing);
    await Deno.writeTextFile(join(existing, "ca.crt"), "old");
    const root = await RootDirectory.open(existing);
    await Deno.writeTextFile(await root.track("ca.crt"), "new");
    await Deno.writeTextFile(await root.track("sa.key"), "key");
    await Deno.writeTextFile(await root.track("kcp-lite.db", true), "db");
    await Deno.writeTextFile(join(existing, "kcp-lite.db-wal"), "wal");
    await root.rollback();
    assertEquals(Object.keys(await snapshot(existing)), ["ca.crt"]);
    const fresh = await RootDirectory.open(join(tmp, "fresh"));
    await Deno.writeTextFile(await fresh.track("sa.key"), "key");
    await fresh.rollback();
    assertTrue(!(await pathExists(join(tmp, "fresh"))));
  });
});
