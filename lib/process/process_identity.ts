/**
 * Recognising one particular process again: a pid plus the time the process
 * started, so a recycled pid is never mistaken for the process we launched.
 *
 * @module
 */

/** What identifies a process we started. */
export interface ProcessIdentity {
  pid: number;
  /** Start time as the OS reports it (Linux: /proc stat field 22; else `ps -o lstart`). */
  startTime: string;
}

/** The start time of `pid`, or undefined when no such process exists. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (Deno.build.os === "linux") {
    try {
      const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
      // The command name (field 2) may contain spaces; fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") return undefined; // a zombie has exited
      return fields[19];
    } catch {
      return undefined;
    }
  }
  try {
    const r = await new Deno.Command("ps", {
      args: ["-p", String(pid), "-o", "lstart="],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    const text = new TextDecoder().decode(r.stdout).trim();
    return r.success && text ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of a live process. */
export async function identify(pid: number): Promise<ProcessIdentity | undefined> {
  const startTime = await processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True when the process recorded in `id` is still the one running under its pid. */
export async function isSameProcessAlive(id: ProcessIdentity): Promise<boolean> {
  const now = await processStartTime(id.pid);
  return now !== undefined && now === id.startTime;
}
