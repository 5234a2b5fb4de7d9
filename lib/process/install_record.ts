/**
 * What this toolkit installed or created outside its pid records, so `remove-kubestellar`
 * removes exactly that: `<state dir>/installed.txt`, one `<kind>\t<absolute path>` line
 * per item. `install.sh` writes `path` lines (the kcp and KubeStellar folders it unpacked,
 * the `.kcp` state and log of the kcp it started); `kubestellar start` writes a
 * `log-folder` line for the folder its controllers log into.
 *
 * @example
 * ```ts
 * await addInstalled(stateDir, "log-folder", "/home/me/kubestellar-logs");
 * (await readInstalled(stateDir)); // [{ kind: "log-folder", path: "/home/me/kubestellar-logs" }]
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";
import { atomicWriteFile } from "../fs/atomic_write.ts";

/** `path`: removed with its contents. `log-folder`: only the toolkit's log files in it. */
export type InstalledKind = "path" | "log-folder";

/** One recorded item. */
export interface InstalledItem {
  kind: InstalledKind;
  path: string;
}

const KINDS = new Set<string>(["path", "log-folder"]);

function recordFile(stateDir: string): string {
  return join(stateDir, "installed.txt");
}

/** The recorded items, in the order recorded (malformed lines are skipped). */
export async function readInstalled(stateDir: string): Promise<InstalledItem[]> {
  let text = "";
  try {
    text = await Deno.readTextFile(recordFile(stateDir));
  } catch {
    return [];
  }
  const items: InstalledItem[] = [];
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const path = line.slice(tab + 1);
    if (KINDS.has(kind) && path.startsWith("/")) items.push({ kind: kind as InstalledKind, path });
  }
  return items;
}

async function writeInstalled(stateDir: string, items: InstalledItem[]): Promise<void> {
  if (items.length === 0) {
    await Deno.remove(recordFile(stateDir)).catch(() => {});
    return;
  }
  await Deno.mkdir(stateDir, { recursive: true });
  const text = items.map((i) => `${i.kind}\t${i.path}\n`).join("");
  await atomicWriteFile(recordFile(stateDir), text, { mode: 0o600 });
}

/** Records `path` (made absolute) once. */
export async function addInstalled(
  stateDir: string,
  kind: InstalledKind,
  path: string,
): Promise<void> {
  const abs = resolve(path);
  if (/[\n\t]/.test(abs)) return; // not representable; nothing to remove later either
  const items = await readInstalled(stateDir);
  if (items.some((i) => i.kind === kind && i.path === abs)) return;
  await writeInstalled(stateDir, [...items, { kind, path: abs }]);
}

/** Drops the given items from the record. */
export async function forgetInstalled(stateDir: string, gone: InstalledItem[]): Promise<void> {
  const items = await readInstalled(stateDir);
  const left = items.filter((i) => !gone.some((g) => g.kind === i.kind && g.path === i.path));
  if (left.length !== items.length) await writeInstalled(stateDir, left);
}
