/**
 * kcp-lite scale figures (kcp mode), each measured in a fresh Deno process
 * (`bench/kcplite_scale_child.ts`, run with `--expose-gc` so memory is read after a full
 * collection):
 *
 * - N empty workspaces (200 and 1,000) created over HTTPS: time until all are Ready and
 *   until the controllers are idle; RSS and heap growth per workspace (target ≤ 200 KiB);
 *   then a restart on that root directory (time to `/readyz`).
 * - 100,000 small ConfigMaps written into the store: restart time to `/readyz` and a first
 *   list page, RSS and heap after start and after a full list of all of them.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mib } from "./process_usage.ts";
import type { Benchmark } from "./registry.ts";

const CHILD = join(fileURLToPath(import.meta.url), "..", "kcplite_scale_child.ts");

async function measure(args: string[]): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--v8-flags=--expose-gc", CHILD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(`${args[0]} failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
  }
  return JSON.parse(text.split("\n").at(-1)!);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function line(label: string, value: string): void {
  console.log(label.padEnd(64), value);
}

export const kcpliteScale: Benchmark = {
  name: "kcplite-scale",
  description: "kcp-lite: memory per empty workspace (≤ 200 KiB), 1,000 workspaces to Ready, " +
    "memory and restart time with 100,000 objects",
  async run() {
    for (const n of [200, 1000]) {
      const dir = await Deno.makeTempDir({ prefix: "kcp-lite-scale-" });
      try {
        const w = await measure(["workspaces", String(n), dir]);
        line(
          `${n} workspaces: all Ready / controllers idle`,
          `${s(w.allReadyMs)} / ${s(w.settledMs)}`,
        );
        line(
          `${n} workspaces: RSS / heap growth per workspace (after GC)`,
          `${kib(w.rssPerWorkspace)} / ${kib(w.heapPerWorkspace)}`,
        );
        const r = await measure(["restart", dir]);
        line(`restart with ${n} workspaces: start to /readyz`, s(r.readyMs));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
    const dir = await Deno.makeTempDir({ prefix: "kcp-lite-scale-" });
    try {
      await measure(["workspaces", "0", dir]); // a bootstrapped root directory
      const empty = await measure(["restart", dir]);
      const f = await measure(["fill", "100000", dir]);
      line("100,000 ConfigMaps written to the store", s(f.fillMs));
      const r = await measure(["restart", dir]);
      line("restart with 100,000 objects: start to /readyz", s(r.readyMs));
      line("restart with 100,000 objects: start to a first list (500)", s(r.firstListMs));
      line(
        "RSS / heap after start: empty vs 100,000 objects",
        `${mib(empty.rssIdle)} / ${mib(empty.heapIdle)} vs ${mib(r.rssIdle)} / ${mib(r.heapIdle)}`,
      );
      line(
        `full list of ${r.listed} ConfigMaps; RSS / heap after it`,
        `${s(r.fullListMs)}; ${mib(r.rssAfterFullList)} / ${mib(r.heapAfterFullList)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};
