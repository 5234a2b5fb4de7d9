/**
 * Whether a path exists, for tests that check what a command wrote or left behind.
 *
 * @module
 */

/** True when `path` exists (file, directory or anything `stat` can see). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
