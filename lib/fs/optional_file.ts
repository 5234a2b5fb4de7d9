/**
 * Files that may or may not be there: whether a path exists (without following a final
 * symlink), and a file's text or undefined when it does not exist. Other failures
 * (permissions, I/O) are thrown, not taken for absence.
 *
 * @example
 * ```ts
 * if (await pathExists(".kcp/ca.key")) { … }
 * const pem = await readTextIfExists(".kcp/ca.crt"); // undefined on a first start
 * ```
 *
 * @module
 */

/** True when something exists at `path` (`lstat`). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Reads a file as text, or undefined if it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
