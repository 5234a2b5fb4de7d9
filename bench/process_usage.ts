/**
 * What a process uses, read from Linux's `/proc`: CPU seconds and resident memory.
 *
 * @module
 */

/** User plus system CPU seconds of `pid` (or this process). */
export async function cpuSeconds(pid: number | "self"): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of the main thread of process `pid` (where a Deno process runs its
 * JavaScript), to the nanosecond (`/proc/<pid>/schedstat`): precise enough to compare
 * the cost of a few hundred events.
 */
export async function jsCpuSeconds(pid: number): Promise<number> {
  const text = await Deno.readTextFile(`/proc/${pid}/schedstat`);
  return Number(text.split(" ")[0]) / 1e9;
}

/** Resident memory of `pid` in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0") * 1024;
}

/** The most resident memory `pid` had so far, in bytes (Linux's high-water mark). */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? "0") * 1024;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
