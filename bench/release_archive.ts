/**
 * The offline release build (bundle + each target's Deno runtime): archive size per
 * target, and the median start-up of commands run from the unpacked archive of this
 * machine's target with nothing installed (`env -i PATH=/usr/bin:/bin`): `kubestellar-version`,
 * `kubestellar --help`, and static shell completion (`kubestellar __complete …`).
 * `BENCH_TARGETS=linux/amd64,…` limits the targets built (others need one download each).
 *
 * @module
 */
import { join } from "node:path";
import { release, RELEASE_TARGETS } from "../scripts/release.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms, timeRuns } from "./stats.ts";

const HOST = `${Deno.build.os}/${Deno.build.arch === "aarch64" ? "arm64" : "amd64"}`;

async function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  const r = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output();
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}`);
}

export const releaseArchive: Benchmark = {
  name: "release-archive",
  description:
    "offline release archives: size per target; start-up from the archive (kubestellar-version, --help, completion)",
  async run() {
    const targets = (Deno.env.get("BENCH_TARGETS") ?? Object.keys(RELEASE_TARGETS).join(","))
      .split(",").filter((t) => t !== "");
    if (!targets.includes(HOST)) targets.push(HOST);
    const out = await Deno.makeTempDir({ prefix: "bench-release-" });
    try {
      const result = await release({ version: "v0.0.0-bench", outDir: out, targets });
      for (const a of result.archives) {
        console.log(`archive ${a.target.padEnd(14)} ${(a.bytes / 1e6).toFixed(1)} MB`);
      }
      const root = join(out, "unpacked");
      await Deno.mkdir(root);
      const host = result.archives.find((a) => a.target === HOST)!;
      await run("tar", ["-xzf", host.path, "-C", root], { PATH: "/usr/bin:/bin" });
      const bare = { PATH: "/usr/bin:/bin" };
      const bin = (name: string) => join(root, "bin", name);
      await run(bin("kubestellar-version"), [], bare); // warm-up
      const cases: [string, string, string[]][] = [
        ["kubestellar-version", bin("kubestellar-version"), []],
        ["kubestellar --help", bin("kubestellar"), ["--help"]],
        ["kubestellar __complete ''", bin("kubestellar"), ["__complete", ""]],
        ["kubestellar __complete prep-for-syncer --", bin("kubestellar"), [
          "__complete",
          "prep-for-syncer",
          "--",
        ]],
      ];
      for (const [label, cmd, args] of cases) {
        const t = await timeRuns(9, () => run(cmd, args, bare));
        console.log(`${`from the archive: ${label}`.padEnd(60)} ${ms(median(t))}`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
};
