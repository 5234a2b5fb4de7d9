/**
 * `remove-kubestellar`: what upstream's script did (stop kcp and the three controllers,
 * delete the kcp and KubeStellar folders, kcp's state and the controller logs), limited
 * to what this toolkit recorded: the processes recorded in the state directory (by pid
 * and start time, never found by name) and the items of `installed.txt`
 * (`lib/process/install_record.ts`). `--folder DIR` limits the files removed to those
 * under DIR.
 *
 * @module
 */
import { join, resolve } from "node:path";
import {
  type ProcessRecord,
  recordNames,
  runningRecord,
  stopBackground,
} from "../process/background_process.ts";
import { forgetInstalled, type InstalledItem, readInstalled } from "../process/install_record.ts";
import { CONTROLLERS, HOST_LOG_NAME } from "./controllers_launch.ts";

/** What a removal will do. */
export interface RemovalPlan {
  /** Running recorded processes, by record name. */
  processes: ProcessRecord[];
  /** Stale records (their process is gone): removed without a signal. */
  staleRecords: string[];
  /** Recorded folders and files to delete with their contents. */
  paths: InstalledItem[];
  /** Recorded log folders: the controller log files in each (the folder if then empty). */
  logFolders: InstalledItem[];
}

/** The controller log file names `kubestellar start` writes into its log folder. */
export function controllerLogNames(): string[] {
  return [...CONTROLLERS.map((c) => `${c.executable}-log.txt`), HOST_LOG_NAME];
}

function isUnder(path: string, folder: string | undefined): boolean {
  if (folder === undefined) return true;
  const root = resolve(folder);
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** Reads the state directory: what `removeKubestellar` would stop and delete. */
export async function planRemoval(stateDir: string, folder?: string): Promise<RemovalPlan> {
  const plan: RemovalPlan = { processes: [], staleRecords: [], paths: [], logFolders: [] };
  for (const name of await recordNames(undefined, stateDir)) {
    const rec = await runningRecord(name, stateDir);
    if (rec) plan.processes.push({ ...rec, name });
    else plan.staleRecords.push(name);
  }
  for (const item of await readInstalled(stateDir)) {
    if (!isUnder(item.path, folder)) continue;
    if (item.kind === "path") plan.paths.push(item);
    else plan.logFolders.push(item);
  }
  return plan;
}

/** True when the plan has nothing to do. */
export function isEmptyPlan(plan: RemovalPlan): boolean {
  return plan.processes.length + plan.staleRecords.length + plan.paths.length +
      plan.logFolders.length === 0;
}

/** The plan as lines for the confirmation prompt. */
export function describePlan(plan: RemovalPlan): string[] {
  const lines: string[] = [];
  for (const [pid, names] of byPid(plan.processes)) {
    lines.push(`  stop ${names.join(", ")} (pid ${pid})`);
  }
  for (const p of plan.paths) lines.push(`  delete ${p.path}`);
  for (const l of plan.logFolders) lines.push(`  delete the KubeStellar log files in ${l.path}`);
  if (plan.staleRecords.length > 0) {
    lines.push(`  forget the records of processes already gone: ${plan.staleRecords.join(", ")}`);
  }
  return lines;
}

function byPid(records: ProcessRecord[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const r of records) groups.set(r.pid, [...(groups.get(r.pid) ?? []), r.name]);
  return groups;
}

/** Carries out `plan`, printing one line per thing done; then upstream's last line. */
export async function removeKubestellar(
  plan: RemovalPlan,
  stateDir: string,
  print: (line: string) => void,
): Promise<void> {
  // Stop every name of a process before reporting it, so a process hosting several
  // controllers is signalled once.
  for (const [pid, names] of byPid(plan.processes)) {
    for (const name of names) await stopBackground(name, stateDir);
    print(`Stopped ${names.join(", ")} (pid ${pid})`);
  }
  for (const name of plan.staleRecords) await stopBackground(name, stateDir);
  const done: InstalledItem[] = [];
  for (const item of plan.paths) {
    if (await exists(item.path)) {
      await Deno.remove(item.path, { recursive: true });
      print(`Deleted ${item.path}`);
    }
    done.push(item);
  }
  for (const item of plan.logFolders) {
    let deleted = 0;
    for (const name of controllerLogNames()) {
      const file = join(item.path, name);
      if (await exists(file)) {
        await Deno.remove(file);
        deleted++;
      }
    }
    // The folder goes only if nothing else is in it (never a user's own files).
    const emptied = await Deno.remove(item.path).then(() => true, () => false);
    if (deleted > 0) print(`Deleted log files in ${item.path}`);
    if (emptied) print(`Deleted ${item.path}`);
    done.push(item);
  }
  await forgetInstalled(stateDir, done);
  // An empty state directory (only ever ours) goes too.
  await Deno.remove(stateDir).catch(() => {});
  print("Finished deletion ....");
}
