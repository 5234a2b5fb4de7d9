/**
 * Background processes that `kubestellar start` launches and `kubestellar stop`
 * stops: each is detached from the terminal, appends its output to a log file, and
 * is recorded in a pid file with its start time. Stopping acts only on processes so
 * recorded (never on anything found by a name pattern).
 *
 * @example
 * ```ts
 * const rec = await startBackground({ name: "mailbox-controller", command: deno, args, logFile, stateDir });
 * await stopBackground("mailbox-controller", stateDir); // true if it was running
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { identify, isSameProcessAlive, type ProcessIdentity } from "./process_identity.ts";

/** What to launch. */
export interface BackgroundSpec {
  /** Short name; also the pid file's name. */
  name: string;
  command: string;
  args: string[];
  /** Output (stdout and stderr) is appended here. */
  logFile: string;
  /** Directory holding pid files. */
  stateDir: string;
  env?: Record<string, string>;
  cwd?: string;
}

/** A pid file's content. */
export interface ProcessRecord extends ProcessIdentity {
  name: string;
  command: string[];
  logFile: string;
}

const PID_SUFFIX = ".pid.json";

function pidFile(stateDir: string, name: string): string {
  return join(stateDir, `${name}${PID_SUFFIX}`);
}

/**
 * The record names of `name` in `stateDir`: `name` itself and `name@<pid>` (a second
 * instance that recorded itself while the first was running; see `self_record.ts`).
 * Without `name`: every record there.
 */
export async function recordNames(name: string | undefined, stateDir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(stateDir)) {
      if (!entry.isFile || !entry.name.endsWith(PID_SUFFIX)) continue;
      const recorded = entry.name.slice(0, -PID_SUFFIX.length);
      const instance = name !== undefined && recorded.startsWith(`${name}@`) &&
        /^\d+$/.test(recorded.slice(name.length + 1));
      if (name === undefined || recorded === name || instance) {
        names.push(recorded);
      }
    }
  } catch { /* no state directory: nothing recorded */ }
  return names.sort();
}

/** Reads the record of `name`, if any. */
export async function readRecord(
  name: string,
  stateDir: string,
): Promise<ProcessRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(pidFile(stateDir, name))) as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** The record of `name` if that very process is still running. */
export async function runningRecord(
  name: string,
  stateDir: string,
): Promise<ProcessRecord | undefined> {
  const rec = await readRecord(name, stateDir);
  return rec && await isSameProcessAlive(rec) ? rec : undefined;
}

/** Launches `spec` detached; resolves once it runs and is recorded. */
export async function startBackground(spec: BackgroundSpec): Promise<ProcessRecord> {
  await Deno.mkdir(spec.stateDir, { recursive: true });
  // The shell redirects output to the log and then execs the program, so the pid we
  // record is the program's own. setsid (when present) keeps terminal signals away.
  const script = 'log=$1; shift; exec "$@" >>"$log" 2>&1 </dev/null';
  const useSetsid = await hasSetsid();
  const argv = [
    ...(useSetsid ? ["setsid"] : []),
    "/bin/sh",
    "-c",
    script,
    "sh",
    spec.logFile,
    spec.command,
    ...spec.args,
  ];
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: spec.env,
    cwd: spec.cwd,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
  // Reap it if it exits while we are still running, so it does not linger as a zombie.
  child.status.catch(() => {});
  let id: ProcessIdentity | undefined;
  for (let i = 0; i < 50 && !id; i++) {
    id = await identify(child.pid);
    if (!id) await new Promise((r) => setTimeout(r, 10));
  }
  if (!id) throw new Error(`${spec.name} exited immediately; see ${spec.logFile}`);
  const record: ProcessRecord = {
    ...id,
    name: spec.name,
    command: [spec.command, ...spec.args],
    logFile: spec.logFile,
  };
  await writeRecord(record, spec.stateDir);
  return record;
}

/**
 * Records the running process `record` also under `name` (one process hosting several
 * named services: each name is reported and stopped as its own record).
 */
export async function recordAlias(
  record: ProcessRecord,
  name: string,
  stateDir: string,
): Promise<void> {
  await writeRecord({ ...record, name }, stateDir);
}

/** Writes `record` as the pid file of `record.name` (0600, atomically). */
export async function writeRecord(record: ProcessRecord, stateDir: string): Promise<void> {
  const text = JSON.stringify(record) + "\n";
  await atomicWriteFile(pidFile(stateDir, record.name), text, { mode: 0o600 });
}

/**
 * Stops the recorded process `name` (SIGTERM, then SIGKILL after `graceMs`) and
 * removes its record. Resolves true if it was running.
 */
export async function stopBackground(
  name: string,
  stateDir: string,
  graceMs = 5000,
): Promise<boolean> {
  const rec = await readRecord(name, stateDir);
  if (!rec) return false;
  let wasRunning = false;
  if (await isSameProcessAlive(rec)) {
    wasRunning = true;
    signal(rec.pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && await isSameProcessAlive(rec)) {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (await isSameProcessAlive(rec)) signal(rec.pid, "SIGKILL");
  }
  await removeRecord(name, stateDir);
  return wasRunning;
}

/** Removes the pid file of `name` (if any). */
export async function removeRecord(name: string, stateDir: string): Promise<void> {
  await Deno.remove(pidFile(stateDir, name)).catch(() => {});
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch { /* already gone */ }
}

let setsidKnown: boolean | undefined;
async function hasSetsid(): Promise<boolean> {
  if (setsidKnown === undefined) {
    try {
      const r = await new Deno.Command("setsid", { args: ["true"], stdout: "null", stderr: "null" })
        .output();
      setsidKnown = r.success;
    } catch {
      setsidKnown = false;
    }
  }
  return setsidKnown;
}
