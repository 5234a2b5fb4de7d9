/**
 * Tools the project does not install (shellcheck, openssl, bash, curl, chattr…): a test
 * that needs one runs when it is on PATH and is a visible skip otherwise, never a failure.
 *
 * `new Deno.Command(missing).output()` throws `NotFound` synchronously, so a `.catch` on
 * its promise never applies: probe with try/catch, as here.
 *
 * @example
 * ```ts
 * const haveShellcheck = await optionalTool("shellcheck", "install.sh shellcheck test");
 * Deno.test({ name: "install.sh is shellcheck-clean", ignore: !haveShellcheck }, async () => {…});
 * ```
 *
 * @module
 */

const known = new Map<string, Promise<boolean>>();

/** Whether `cmd args…` can be started here and exits 0 (answers are cached per process). */
export function toolAvailable(cmd: string, args: string[] = ["--version"]): Promise<boolean> {
  const key = [cmd, ...args].join("\0");
  let answer = known.get(key);
  if (!answer) {
    answer = (async () => {
      try {
        const r = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
        return r.success;
      } catch {
        return false;
      }
    })();
    known.set(key, answer);
  }
  return answer;
}

/**
 * Whether `cmd` is available; when it is not, prints one line saying that `what` is
 * skipped and why. Use the answer as `Deno.test({ ignore: !answer })`.
 */
export async function optionalTool(
  cmd: string,
  what: string,
  probeArgs: string[] = ["--version"],
): Promise<boolean> {
  const ok = await toolAvailable(cmd, probeArgs);
  if (!ok) console.log(`${what} SKIPPED: ${cmd} is not installed (not needed by the project)`);
  return ok;
}
