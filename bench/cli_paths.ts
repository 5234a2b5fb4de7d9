/**
 * The CLI as a user runs it (`kubectl kubestellar …` through real kubectl's plugin
 * lookup, a new process each time) on one kcp-lite: `--help`, and repeat runs of
 * `ensure location` and `ensure wmw` with three kinds of kubeconfig:
 *
 * - token: the common case (no client-node, no plugin);
 * - exec: the user is an exec credential plugin (a `/bin/sh` script), run once per command;
 * - client-node: `proxy-url` with `tls-server-name`, the one path that loads
 *   client-node (its proxy agents under `node:https`), through a local CONNECT proxy.
 *
 * With `KUBESTELLAR_UPSTREAM_SCRIPTS` naming a directory holding upstream v0.14's bash
 * plugins (`kubectl-kubestellar-ensure-location` from `outer-scripts/`,
 * `kubectl-kubestellar-ensure-wmw` from `overlap-scripts/`), the same runs of those are
 * timed beside ours, with our `kubectl-ws` standing in for kcp's, and the ratios printed.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import { link } from "../scripts/link.ts";
import { startConnectProxy } from "../tests/support/connect_proxy.ts";
import { makeExecPlugin } from "../tests/support/fake_exec_plugin.ts";
import { kubeTools } from "../tests/support/kube_tools.ts";
import { initInProcess } from "../tests/support/plugin_path.ts";
import { adminTokens, writeKubeconfig } from "../tests/e2e/client_auth_fixture.ts";
import { countArgument } from "./bench_args.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms } from "./stats.ts";

const UPSTREAM = ["kubectl-kubestellar-ensure-location", "kubectl-kubestellar-ensure-wmw"];

interface Shell {
  /** Runs `kubectl args` with this PATH and kubeconfig; resolves to the wall time. */
  run(args: string[], kubeconfig: string): Promise<number>;
}

async function shell(pathDirs: string[], home: string): Promise<Shell> {
  const { kubectl } = await kubeTools();
  return {
    async run(args, kubeconfig) {
      const t0 = performance.now();
      const r = await new Deno.Command(kubectl, {
        args,
        cwd: home,
        env: {
          PATH: [...pathDirs, dirname(kubectl), "/usr/bin", "/bin"].join(":"),
          HOME: home,
          KUBECONFIG: kubeconfig,
          NO_COLOR: "1",
        },
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).output();
      const elapsed = performance.now() - t0;
      if (!r.success) {
        throw new Error(`kubectl ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
      }
      return elapsed;
    },
  };
}

async function times(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

const LOCATION = ["kubestellar", "ensure", "location", "--imw", "root:imw1", "bench-loc", "env=b"];
const WMW = ["kubestellar", "ensure", "wmw", "bench-wmw"];

export const cliPaths: Benchmark = {
  name: "cli-paths",
  description: "kubectl kubestellar --help / ensure location / ensure wmw (repeat runs): " +
    "token, exec-plugin and client-node kubeconfigs, beside upstream v0.14's bash " +
    "(KUBESTELLAR_UPSTREAM_SCRIPTS); target: repeat runs >= 3x faster than upstream",
  async run() {
    const runs = countArgument("BENCH_CLI_RUNS", 5);
    const dir = await Deno.makeTempDir({ prefix: "bench-cli-paths-" });
    const server = await startKcpLite({
      rootDirectory: join(dir, "kcp"),
      securePort: 0,
      mode: "kcp",
    });
    const proxy = await startConnectProxy();
    try {
      const admin = server.adminKubeconfigPath;
      await initInProcess(admin, { imws: ["imw1"] });
      const tokens = await adminTokens(admin);
      const plugin = await makeExecPlugin(join(dir, "plugin"));
      await Deno.writeTextFile(plugin.tokenFile("root"), tokens["kcp-admin"]);
      await Deno.writeTextFile(plugin.tokenFile("admin"), tokens["shard-admin"]);
      const asToken = (t: string) => ({ token: t });
      const tokenUsers = {
        "kcp-admin": asToken(tokens["kcp-admin"]),
        "shard-admin": asToken(tokens["shard-admin"]),
      };
      const kubeconfigs: [string, string][] = [
        ["token", await writeKubeconfig(admin, join(dir, "token.kc"), tokenUsers)],
        [
          "exec",
          await writeKubeconfig(admin, join(dir, "exec.kc"), {
            "kcp-admin": plugin.user("root"),
            "shard-admin": plugin.user("admin"),
          }),
        ],
        [
          "client-node",
          await writeKubeconfig(admin, join(dir, "cn.kc"), tokenUsers, {
            "proxy-url": proxy.url,
            "tls-server-name": "localhost",
          }),
        ],
      ];
      const ours = join(dir, "bin");
      await link(ours);
      const sh = await shell([ours], dir);
      await sh.run(LOCATION, kubeconfigs[0][1]); // first runs: create what the repeats find
      await sh.run(WMW, kubeconfigs[0][1]);
      const rows: [string, number][] = [];
      const row = (label: string, values: number[]) => {
        rows.push([label, median(values)]);
        console.log(`${label.padEnd(58)} ${ms(median(values))} (n=${values.length})`);
      };
      row(
        "kubectl kubestellar --help",
        await times(runs, () => sh.run(["kubestellar", "--help"], kubeconfigs[0][1])),
      );
      for (const [name, kc] of kubeconfigs) {
        row(
          `ensure location, repeat, ${name} kubeconfig`,
          await times(runs, () => sh.run(LOCATION, kc)),
        );
        row(`ensure wmw, repeat, ${name} kubeconfig`, await times(runs, () => sh.run(WMW, kc)));
      }
      const upstreamDir = Deno.env.get("KUBESTELLAR_UPSTREAM_SCRIPTS");
      if (!upstreamDir) {
        console.log(
          "upstream v0.14 bash: skipped (set KUBESTELLAR_UPSTREAM_SCRIPTS to a directory " +
            `holding ${UPSTREAM.join(", ")})`,
        );
        return;
      }
      const bin = join(dir, "upstream-bin");
      await Deno.mkdir(bin);
      for (const name of UPSTREAM) {
        await Deno.copyFile(join(upstreamDir, name), join(bin, name));
        await Deno.chmod(join(bin, name), 0o755);
      }
      await Deno.symlink(join(ours, "kubectl-ws"), join(bin, "kubectl-ws"));
      const up = await shell([bin], dir);
      const upKc = join(dir, "upstream.kc");
      await Deno.copyFile(kubeconfigs[0][1], upKc);
      const upLoc = median(await times(runs, () => up.run(LOCATION, upKc)));
      const upWmw = median(await times(runs, () => up.run(WMW, upKc)));
      const ourLoc = rows.find(([l]) => l === "ensure location, repeat, token kubeconfig")![1];
      const ourWmw = rows.find(([l]) => l === "ensure wmw, repeat, token kubeconfig")![1];
      console.log(
        `${"upstream v0.14 bash: ensure location, repeat".padEnd(58)} ${ms(upLoc)} ` +
          `(ours ${(upLoc / ourLoc).toFixed(1)}x faster with a token kubeconfig)`,
      );
      console.log(
        `${"upstream v0.14 bash: ensure wmw, repeat".padEnd(58)} ${ms(upWmw)} ` +
          `(ours ${(upWmw / ourWmw).toFixed(1)}x faster with a token kubeconfig)`,
      );
    } finally {
      await proxy.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
