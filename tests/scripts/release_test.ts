/**
 * `scripts/release.ts` offline (bundle build): archives per target with every documented
 * command name in `bin/`, the chart, a checksums file that matches, and an unpacked
 * archive whose commands run (as a user would, from PATH and through kubectl's plugin
 * name).
 *
 * @module
 */
import { join } from "node:path";
import { EXECUTABLES } from "../../commands/tree.ts";
import { CHART_FILES } from "../../lib/deploy/chart_files.ts";
import { archiveName, release } from "../../scripts/release.ts";
import { assertEquals, assertMatch, assertRejects, assertTrue } from "../support/assert.ts";

async function sh(cmd: string, args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = await new Deno.Command(cmd, { args, env, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("release builds per-target archives with every command name and checksums", async () => {
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
    // checksums.txt verifies with the real sha256sum.
    const check = await sh("sha256sum", ["-c", "checksums.txt"], {}, out);
    assertEquals(check.code, 0, check.stdout + check.stderr);
    assertMatch(check.stdout, /kubestellar_v0\.9\.1-test_linux_amd64\.tar\.gz: OK/);

    const root = join(out, "unpacked");
    await Deno.mkdir(root);
    const untar = await sh("tar", ["-xzf", result.archives[0].path, "-C", root]);
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
    // The bundle build runs with the Deno on PATH, under any of its names.
    const env = {
      PATH: `${join(root, "bin")}:${join(Deno.execPath(), "..")}:/usr/bin:/bin`,
      HOME: out,
    };
    const rel = await sh("kubestellar-release", [], env);
    assertEquals([rel.code, rel.stdout], [0, "v0.9.1-test\n"], rel.stderr);
    const plugin = await sh("kubectl-kubestellar", [], env);
    assertMatch(plugin.stdout, /Available commands:/);
    const deploy = await sh("kubectl-kubestellar", ["deploy", "-h"], env);
    assertMatch(deploy.stdout, /^Usage: kubectl kubestellar deploy/);
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
