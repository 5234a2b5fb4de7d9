/**
 * Writes files so that readers see either the old content or the new, never a part:
 * the data goes to a temporary file in the same directory, is flushed, then renamed.
 *
 * @example
 * ```ts
 * await atomicWriteFile("/home/me/.kube/config", yamlText, { mode: 0o600 });
 * ```
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Options for atomic writes. */
export interface AtomicWriteOptions {
  /** File mode of the result (default 0o644; keys and kubeconfigs use 0o600). */
  mode?: number;
}

/** Writes `data` to `path` atomically. */
export async function atomicWriteFile(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  );
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true, mode });
    try {
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Synchronous variant of `atomicWriteFile`. */
export function atomicWriteFileSync(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const mode = options.mode ?? 0o644;
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  );
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    const file = Deno.openSync(tmp, { write: true, createNew: true, mode });
    try {
      let off = 0;
      while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
      file.syncSync();
    } finally {
      file.close();
    }
    Deno.chmodSync(tmp, mode);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw e;
  }
}
