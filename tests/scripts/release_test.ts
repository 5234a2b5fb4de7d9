/**
 * `scripts/release.ts` offline (bundle build): archives per target with every documented
 * command name in `bin/`, the chart, the target's Deno runtime (verified against the npm
 * lock) and a checksums file that matches; an unpacked linux/amd64 archive runs with
 * nothing installed (`env -i PATH=/usr/bin:/bin`, no Deno on it), as a user would, from
 * PATH and through kubectl's plugin lookup.
 *
 * @module
 */
import { join } from "node:path";
import { EXECUTABLES } from "../../commands/tree.ts";
import { CHART_FILES } from "../../lib/deploy/chart_files.ts";
import { archiveName, release } from "../../scripts/release.ts";
import { pinnedPackage, runtimeTarball, sha512Integrity } from "../../scripts/deno_runtime.ts";
import { assertEquals, assertMatch, assertRejects, assertTrue } from "../support/assert.ts";
import { REPO_ROOT } from "../support/cli.ts";
import { kubeTools } from "../support/kube_tools.ts";

/** Runs `cmd`; a given `env` is the whole environment (as `env -i`). */
async function sh(cmd: string, args: string[], env: Record<string, string> = {}, cwd?: string) {
  const clearEnv = Object.keys(env).length > 0;
  const r = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("release builds per-target archives with every command name, Deno and checksums", async () => {
  const out = await Deno.makeTempDir({ prefix: "release-test-" });
  try {
    const result = await release({
      version: "v0.9.1-test",
      outDir: out,
      targets: ["linux/amd64", "darwin/arm64"],
    });
    assertEquals(
      result.archives.map((a) => a.path),
      [
        join(out, "kubestellar_v0.9.1-test_linux_amd64.tar.gz"),
        join(out, "kubestellar_v0.9.1-test_darwin_arm64.tar.gz"),
      ],
    );
    for (const a of result.archives) console.log(`${a.target}: ${a.bytes} bytes`);
    // checksums.txt verifies with the real sha256sum.
    const check = await sh("sha256sum", ["-c", "checksums.txt"], {}, out);
    assertEquals(check.code, 0, check.stdout + check.stderr);
    assertMatch(check.stdout, /kubestellar_v0\.9\.1-test_linux_amd64\.tar\.gz: OK/);

    for (const [i, pkg] of [[0, "@deno/linux-x64-glibc"], [1, "@deno/darwin-arm64"]] as const) {
      const root = join(out, `unpacked-${i}`);
      await Deno.mkdir(root);
      const untar = await sh("tar", ["-xzf", result.archives[i].path, "-C", root]);
      assertEquals(untar.code, 0, untar.stderr);
      const bin = [...Deno.readDirSync(join(root, "bin"))].map((e) => e.name).sort();
      assertEquals(bin, Object.keys(EXECUTABLES).sort());
      for (const name of bin) {
        assertTrue(
          ((await Deno.stat(join(root, "bin", name))).mode! & 0o111) !== 0,
          `${name} executable`,
        );
      }
      assertEquals(
        await Deno.readTextFile(join(root, "core-helm-chart", "Chart.yaml")),
        CHART_FILES["Chart.yaml"],
      );
      // The target's own Deno, the one the lock pins (same bytes as in the npm tarball).
      const deno = join(root, "libexec", "deno");
      assertEquals((await Deno.stat(deno)).mode! & 0o755, 0o755);
      const pinned = await pinnedPackage(pkg);
      const readme = await Deno.readTextFile(join(root, "README.md"));
      assertTrue(readme.includes(`${pkg}, ${pinned.integrity}`), readme);
      const tarball = await runtimeTarball(pinned); // verified against the lock's integrity
      assertEquals(await sha512Integrity(await Deno.readFile(tarball)), pinned.integrity);
      const fromNpm = join(out, `npm-${i}`);
      await Deno.mkdir(fromNpm);
      await sh("tar", ["-xzf", tarball, "-C", fromNpm, "package/deno"]);
      assertEquals(
        await sha512Integrity(await Deno.readFile(deno)),
        await sha512Integrity(await Deno.readFile(join(fromNpm, "package", "deno"))),
      );
    }

    // The linux/amd64 archive runs with nothing installed: no Deno, no Node on PATH.
    const root = join(out, "unpacked-0");
    const { kubectl } = await kubeTools();
    const bare = { PATH: "/usr/bin:/bin" };
    const version = await sh(join(root, "bin", "kubestellar-version"), [], bare);
    assertEquals(version.code, 0, version.stderr);
    const info = JSON.parse(version.stdout);
    assertEquals(info.platform, "linux/amd64");
    assertMatch(info.gitVersion, /^v1\.24\.3\+\w+-v0\.9\.1-test/); // the stamped release
    const withKubectl = { PATH: `${join(root, "bin")}:${join(kubectl, "..")}:/usr/bin:/bin` };
    const help = await sh("kubectl", ["kubestellar", "--help"], withKubectl);
    assertEquals(help.code, 0, help.stderr);
    assertMatch(help.stdout, /^Usage: kubestellar/);
    const plugin = await sh("kubectl", ["kubestellar"], withKubectl);
    assertMatch(plugin.stdout, /Available commands:/);
    const deploy = await sh("kubectl-kubestellar", ["deploy", "-h"], withKubectl);
    assertMatch(deploy.stdout, /^Usage: kubectl kubestellar deploy/);
    const rel = await sh("kubestellar-release", [], withKubectl);
    assertEquals([rel.code, rel.stdout], [0, "v0.9.1-test\n"], rel.stderr);
    // The syncer image is this archive: its ADD names it, its ENTRYPOINT runs from it with
    // the image's environment (no home directory).
    const dockerfile = await Deno.readTextFile(join(REPO_ROOT, "images", "syncer.Dockerfile"));
    const add = /^ADD (\S+) \/opt\/kubestellar\/$/m.exec(dockerfile)?.[1];
    assertEquals(
      add?.replace("${VERSION}", "v0.9.1-test").replace("${TARGETARCH}", "amd64"),
      `dist/release/${archiveName("v0.9.1-test", "linux/amd64")}`,
    );
    const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]) as string[];
    const imageEnv = Object.fromEntries(
      /^ENV (.+)$/m.exec(dockerfile)![1].split(" ").map((kv) => kv.split("=")),
    );
    const syncer = await sh(
      entrypoint[0].replace("/opt/kubestellar", root),
      [...entrypoint.slice(1), "--help"],
      {
        PATH: "/usr/bin:/bin",
        HOME: "/nonexistent",
        DENO_DIR: join(out, imageEnv.DENO_DIR),
      },
    );
    assertEquals(syncer.code, 0, syncer.stderr);
    assertMatch(syncer.stdout, /^Usage: kubestellar syncer --from-kubeconfig/);
    const complete = await sh("kubectl", ["__complete", "kubestellar", "ens"], withKubectl);
    assertTrue(complete.stdout.split("\n").some((l) => l.startsWith("ensure\t")), complete.stdout);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("release --no-runtime: the bundle needs Deno on PATH and says so", async () => {
  const out = await Deno.makeTempDir({ prefix: "release-test-" });
  try {
    const result = await release({
      version: "v0.9.1-test",
      outDir: out,
      targets: ["linux/amd64"],
      runtime: false,
    });
    const root = join(out, "unpacked");
    await Deno.mkdir(root);
    await sh("tar", ["-xzf", result.archives[0].path, "-C", root]);
    assertEquals([...Deno.readDirSync(join(root, "libexec"))].map((e) => e.name), ["kubestellar"]);
    const withDeno = await sh("kubestellar-release", [], {
      PATH: `${join(root, "bin")}:${join(Deno.execPath(), "..")}:/usr/bin:/bin`,
    });
    assertEquals(withDeno.stdout, "v0.9.1-test\n", withDeno.stderr);
    const noDeno = await sh(join(root, "bin", "kubestellar-version"), [], {
      PATH: "/usr/bin:/bin",
      KUBESTELLAR_DENO: join(out, "no-such-deno"),
    });
    assertEquals(noDeno.code, 127);
    assertMatch(noDeno.stderr, /this build needs Deno 2/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("release rejects a bad version or target before building", async () => {
  await assertRejects(() => release({ version: "1.2", outDir: "/nonexistent" }), /not vMAJOR/);
  await assertRejects(
    () => release({ version: "v1.2.3", targets: ["windows/amd64"], outDir: "/nonexistent" }),
    /unknown target windows\/amd64/,
  );
  assertEquals(archiveName("v1.2.3", "darwin/arm64"), "kubestellar_v1.2.3_darwin_arm64.tar.gz");
});
