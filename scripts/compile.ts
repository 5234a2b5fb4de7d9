/**
 * `deno task compile [--release vX.Y.Z] [--target T …]`: builds standalone
 * `kubestellar` binaries with `deno compile --target` for
 * x86_64/aarch64 × linux/darwin into `dist/<target>/kubestellar`.
 *
 * `deno compile` downloads its `denort` runtime from Deno's own download host, which
 * our build machines cannot reach; run this task on a connected machine (the release
 * workflow does). Offline, use `deno task bundle`.
 *
 * @module
 */
import { join } from "node:path";
import { computeStamp, REPO_ROOT, writeStampedEntry } from "./build_stamp.ts";

/** Every release target. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
];

/** Compiles one target; returns the binary's path. */
export async function compile(target: string, release = ""): Promise<string> {
  const entry = await writeStampedEntry(await computeStamp(release));
  const output = join(REPO_ROOT, "dist", target, "kubestellar");
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "-A",
      "--quiet",
      "--config",
      join(REPO_ROOT, "deno.json"),
      "--target",
      target,
      "--output",
      output,
      entry,
    ],
    cwd: REPO_ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!r.success) {
    throw new Error(
      `deno compile --target ${target} failed (it needs Deno's download host for the runtime)`,
    );
  }
  return output;
}

if (import.meta.main) {
  const args = [...Deno.args];
  let release = "";
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--release") release = args[++i];
    else if (args[i] === "--target") targets.push(args[++i]);
  }
  for (const t of targets.length ? targets : TARGETS) {
    try {
      console.log(await compile(t, release));
    } catch (e) {
      console.error((e as Error).message);
      Deno.exit(1);
    }
  }
}
