/**
 * Core setup commands against a local kcp-lite (kcp mode, in this process): median wall
 * time of `kubestellar init` on a fresh server, and of `kubectl kubestellar ensure
 * location` / `ensure wmw` first runs (new object / new workspace) and repeated runs
 * (nothing to do). Each is a new `deno run` process as a user runs it, so the figures
 * include process start; the start-up alone (`ensure wmw -h`) is shown for comparison.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openCoreSession } from "../lib/core/core_session.ts";
import { ensureLocationFlow } from "../lib/core/location_flow.ts";
import { ensureWmwFlow } from "../lib/core/wmw_flow.ts";
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms } from "./stats.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const MAIN = join(ROOT, "main.ts");
const CONFIG = join(ROOT, "deno.json");

async function run(as: string, args: string[], kubeconfig: string): Promise<number> {
  const t0 = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--config", CONFIG, MAIN, ...args],
    env: { KUBESTELLAR_INVOKED_AS: as, KUBECONFIG: kubeconfig, NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - t0;
  if (!r.success) {
    throw new Error(`${as} ${args.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`);
  }
  return elapsed;
}

async function withServer<T>(fn: (kubeconfig: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "bench-core-setup-" });
  const server = await startKcpLite({ rootDirectory: dir, securePort: 0, mode: "kcp" });
  try {
    const kubeconfig = join(dir, "user.kubeconfig");
    await Deno.copyFile(server.adminKubeconfigPath, kubeconfig);
    return await fn(kubeconfig);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

function line(label: string, values: number[]): void {
  console.log(`${label.padEnd(64)} ${ms(median(values))} (n=${values.length})`);
}

export const coreSetup: Benchmark = {
  name: "core-setup",
  description:
    "kubestellar init on a fresh kcp-lite; ensure location / ensure wmw first and repeat",
  async run() {
    const runs = 5;
    const plugin = "kubectl-kubestellar";
    const init = ["init", "--local-kcp", "true"];
    const startup: number[] = [];
    const inits: number[] = [];
    const reinits: number[] = [];
    for (let i = 0; i < runs; i++) {
      await withServer(async (kc) => {
        inits.push(await run("kubestellar", init, kc));
        if (i < 2) reinits.push(await run("kubestellar", init, kc));
      });
    }
    const locFirst: number[] = [];
    const locRepeat: number[] = [];
    const wmwFirst: number[] = [];
    const wmwRepeat: number[] = [];
    await withServer(async (kc) => {
      await run("kubestellar", [...init, "--ensure-wmw", ""], kc);
      for (let i = 0; i < runs; i++) {
        startup.push(await run(plugin, ["ensure", "wmw", "-h"], kc));
        const loc = ["ensure", "location", "--imw", "imw1", `bench${i}`, "env=bench", "n=x"];
        locFirst.push(await run(plugin, loc, kc));
        locRepeat.push(await run(plugin, loc, kc));
        wmwFirst.push(await run(plugin, ["ensure", "wmw", `bench-wmw${i}`], kc));
        wmwRepeat.push(await run(plugin, ["ensure", "wmw", `bench-wmw${i}`], kc));
      }
    });
    // The same work in this process: what the commands cost beyond process start.
    const inLocFirst: number[] = [];
    const inLocRepeat: number[] = [];
    const inWmwFirst: number[] = [];
    const inWmwRepeat: number[] = [];
    await withServer(async (kc) => {
      await run("kubestellar", [...init, "--ensure-wmw", ""], kc);
      const session = await openCoreSession("bench", ["--kubeconfig", kc], { out: () => {} });
      const time = async (into: number[], fn: () => Promise<void>) => {
        const t0 = performance.now();
        await fn();
        into.push(performance.now() - t0);
      };
      try {
        for (let i = 0; i < runs; i++) {
          const req = {
            imw: "imw1",
            name: `in${i}`,
            labels: [["env", "bench"]] as [string, string][],
          };
          await time(inLocFirst, () => ensureLocationFlow(session, req));
          await time(inLocRepeat, () => ensureLocationFlow(session, req));
          await time(inWmwFirst, () => ensureWmwFlow(session, `in-wmw${i}`, true));
          await time(inWmwRepeat, () => ensureWmwFlow(session, `in-wmw${i}`, true));
        }
      } finally {
        session.close();
      }
    });
    line("process start only (ensure wmw -h)", startup);
    line("kubestellar init, fresh kcp-lite (imw1, wmw1)", inits);
    line("kubestellar init, repeated (nothing to do)", reinits);
    line("ensure location, first run (SyncTarget+Location, 2 labels)", locFirst);
    line("ensure location, repeated run", locRepeat);
    line("ensure wmw, first run (workspace + 17 APIBindings, Bound)", wmwFirst);
    line("ensure wmw, repeated run", wmwRepeat);
    line("in-process ensure location flow, first run", inLocFirst);
    line("in-process ensure location flow, repeated run", inLocRepeat);
    line("in-process ensure wmw flow, first run", inWmwFirst);
    line("in-process ensure wmw flow, repeated run", inWmwRepeat);
  },
};
