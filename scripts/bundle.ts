/**
 * `deno task bundle [--release vX.Y.Z] [-o FILE]`: builds one self-contained JS file
 * (offline) from the stamped entry. Run it with `deno run -A dist/kubestellar.js`.
 *
 * @module
 */
import { join } from "node:path";
import { computeStamp, REPO_ROOT, writeStampedEntry } from "./build_stamp.ts";

/** Bundles and returns the output path. */
export async function bundle(release = "", output = join(REPO_ROOT, "dist", "kubestellar.js")) {
  const entry = await writeStampedEntry(await computeStamp(release));
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=deno",
      "--config",
      join(REPO_ROOT, "deno.json"),
      entry,
      "-o",
      output,
    ],
    cwd: REPO_ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!r.success) throw new Error("deno bundle failed");
  return output;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = await bundle(flag("--release") ?? "", flag("-o"));
  console.log(out);
}
