/**
 * The machine a benchmark run is on, in one line: CPU model, cores, memory, Deno and
 * the load average at the start. Figures from different CPUs differ by several times
 * (`docs/performance.md`), so every run says which one it had.
 *
 * @module
 */
import { cpus, loadavg, totalmem } from "node:os";

/** "AMD EPYC …, 2 cores, 24 GiB, Deno 2.9.6, load average 0.12" (fields it cannot read left out). */
export function machineLine(): string {
  const parts: string[] = [];
  const list = cpus();
  const model = list[0]?.model?.trim();
  if (model) parts.push(model + cpuFamily());
  parts.push(`${navigator.hardwareConcurrency} cores`);
  parts.push(`${Math.round(totalmem() / 2 ** 30)} GiB`);
  parts.push(`Deno ${Deno.version.deno}`);
  const [one] = loadavg();
  if (Number.isFinite(one)) parts.push(`load average ${one.toFixed(2)}`);
  return parts.join(", ");
}

/** " (family 26, model 2)" from Linux's /proc/cpuinfo (a hypervisor may hide the model's name). */
function cpuFamily(): string {
  try {
    const text = Deno.readTextFileSync("/proc/cpuinfo");
    const family = /^cpu family\s*:\s*(\d+)/m.exec(text)?.[1];
    const model = /^model\s*:\s*(\d+)/m.exec(text)?.[1];
    return family && model ? ` (family ${family}, model ${model})` : "";
  } catch {
    return "";
  }
}
