/**
 * The scripts in a release archive's `bin/`: one per documented executable name, each
 * running `bin/kubestellar` with `KUBESTELLAR_INVOKED_AS` set to its own name (a compiled
 * Deno program cannot see the name it was started by); and, in bundle builds (made
 * where `deno compile` cannot fetch its runtime), `bin/kubestellar` itself, which runs
 * `libexec/kubestellar/kubestellar.js` with the Deno the archive carries in `libexec/deno` (or the one in
 * `$KUBESTELLAR_DENO`, or on PATH).
 *
 * @example
 * ```ts
 * nameLauncher("kubectl-kubestellar", "v0.2.0");
 * // "#!/bin/sh\n…KUBESTELLAR_INVOKED_AS='kubectl-kubestellar' exec \"$here/kubestellar\" \"$@\"\n"
 * ```
 *
 * @module
 */

/** The entry of the bundle (with its chunks beside it) in an archive built with `deno bundle`. */
export const BUNDLE_PATH = "libexec/kubestellar/kubestellar.js";

const HERE = `here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)`;

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`bad executable name ${name}`);
}

/** `bin/<name>`: runs `bin/kubestellar` as `name`. */
export function nameLauncher(name: string, version: string): string {
  checkName(name);
  return `#!/bin/sh
# KubeStellar ${version}: runs the toolkit as '${name}'.
${HERE}
KUBESTELLAR_INVOKED_AS='${name}' exec "$here/kubestellar" "$@"
`;
}

/** Where a bundle build carries its Deno runtime (absent when built without one). */
export const RUNTIME_PATH = "libexec/deno";

/**
 * `bin/kubestellar` of a bundle build: runs the bundle with `$KUBESTELLAR_DENO` if set,
 * else the archive's own Deno (`libexec/deno`), else the `deno` on PATH; with the V8 flags
 * compiled binaries carry (`v8Flags`), and without the update check (no network use).
 */
export function bundleLauncher(version: string, v8Flags: readonly string[] = []): string {
  const flags = v8Flags.length > 0 ? ` --v8-flags=${v8Flags.join(",")}` : "";
  return `#!/bin/sh
# KubeStellar ${version} (bundle build): runs ../${BUNDLE_PATH} with the Deno in
# $KUBESTELLAR_DENO, else ../${RUNTIME_PATH} (shipped in the archive), else deno on PATH.
# Release builds made with 'deno task release --compile' ship a self-contained binary here.
${HERE}
deno="\${KUBESTELLAR_DENO:-}"
if [ -z "$deno" ]; then
  if [ -x "$here/../${RUNTIME_PATH}" ]; then deno="$here/../${RUNTIME_PATH}"; else deno=deno; fi
fi
if ! command -v "$deno" >/dev/null 2>&1; then
  echo "kubestellar: this build needs Deno 2: put deno on PATH or set KUBESTELLAR_DENO (https://docs.deno.com/runtime/getting_started/installation/)" >&2
  exit 127
fi
DENO_NO_UPDATE_CHECK=1 DENO_NO_PACKAGE_JSON=1 exec "$deno" run -A --quiet --no-config --no-lock${flags} "$here/../${BUNDLE_PATH}" "$@"
`;
}
