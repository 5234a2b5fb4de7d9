/**
 * The scripts in a release archive's `bin/`: one per documented executable name, each
 * running `bin/kubestellar` with `KUBESTELLAR_INVOKED_AS` set to its own name (a compiled
 * Deno program cannot see the name it was started by); and, in bundle builds (made
 * where `deno compile` cannot fetch its runtime), `bin/kubestellar` itself, which runs
 * `libexec/kubestellar.js` with the Deno found on PATH or in `$KUBESTELLAR_DENO`.
 *
 * @example
 * ```ts
 * nameLauncher("kubectl-kubestellar", "v0.2.0");
 * // "#!/bin/sh\n…KUBESTELLAR_INVOKED_AS='kubectl-kubestellar' exec \"$here/kubestellar\" \"$@\"\n"
 * ```
 *
 * @module
 */

/** Where the bundle sits inside an archive built from `deno bundle`. */
export const BUNDLE_PATH = "libexec/kubestellar.js";

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

/** `bin/kubestellar` of a bundle build: runs the bundle with Deno 2. */
export function bundleLauncher(version: string): string {
  return `#!/bin/sh
# KubeStellar ${version} (bundle build): runs ../${BUNDLE_PATH} with Deno 2, taken from
# $KUBESTELLAR_DENO or PATH. Release builds made with 'deno task release --compile' ship a
# self-contained binary here instead.
${HERE}
deno="\${KUBESTELLAR_DENO:-deno}"
if ! command -v "$deno" >/dev/null 2>&1; then
  echo "kubestellar: this build needs Deno 2: put deno on PATH or set KUBESTELLAR_DENO (https://docs.deno.com/runtime/getting_started/installation/)" >&2
  exit 127
fi
DENO_NO_UPDATE_CHECK=1 exec "$deno" run -A --quiet --no-config --no-lock "$here/../${BUNDLE_PATH}" "$@"
`;
}
