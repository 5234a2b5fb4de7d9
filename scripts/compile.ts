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
import { TIGHT_HEAP_V8_FLAGS } from "../lib/process/v8_flags.ts";
import { computeStamp, REPO_ROOT, writeStampedEntry } from "./build_stamp.ts";

/** Every release target. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
];

/**
 * The `deno compile` arguments for one target. The tight-heap V8 flags are built in:
 * compiled binaries ignore `DENO_V8_FLAGS` (denoland/deno#19808), which is how
 * `kubestellar start` gives them to the controllers under `deno run`.
 */
export function compileArgs(target: string, entry: string, output: string): string[] {
  return [
    "compile",
    "-A",
    "--quiet",
    `--v8-flags=${TIGHT_HEAP_V8_FLAGS.join(",")}`,
    "--config",
    join(REPO_ROOT, "deno.json"),
    "--target",
    target,
    "--output",
    output,
    entry,
  ];
}

/** Compiles one target; returns the binary's path. */
export async function compile(target: string, release = ""): Promise<string> {
  const entry = await writeStampedEntry(await computeStamp(release));
  const output = join(REPO_ROOT, "dist", target, "kubestellar");
  const r = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(target, entry, output),
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
