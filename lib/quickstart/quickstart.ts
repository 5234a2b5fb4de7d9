/**
 * `kubestellar quickstart`: the whole documented flow on one machine, with nothing to
 * install — kcp-lite as the core, two kube-mode kcp-lite servers as the edge clusters
 * `florin` and `guilder`, then the seed's commands as a user types them (`kubestellar
 * start`, `prep-for-cluster`), the syncers, the example workloads, and checks that
 * everything arrived, came back and was customized.
 *
 * @module
 */
import { join } from "node:path";
import { interrupted } from "../process/interrupted.ts";
import { startKcpLite } from "../kcplite/kcp_lite_server.ts";
import type { KcpLite } from "../kcplite/kcp_lite_server.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { applyObjects } from "../kube/apply_objects.ts";
import { type RestClient, restClientFor } from "../kube/rest_client.ts";
import { commonWorkload, specialWorkload, upsyncedObjects } from "./example_workload.ts";
import { StepRunner } from "./step_runner.ts";
import { installSyncer } from "./syncer_install.ts";
import { runToolkit, spawnToolkit, type ToolkitEnvironment } from "./toolkit_runner.ts";
import { checkEdgeResults, checkStatusAndUpsync } from "./quickstart_checks.ts";
import { summarizeCommond } from "./summary_step.ts";

/** How to run the quickstart. */
export interface QuickstartOptions {
  /** Working directory (state, kubeconfigs, logs); a fresh temp dir when absent. */
  dir?: string;
  /** Keep everything running afterwards (until interrupted). */
  keep: boolean;
  print: (line: string) => void;
}

/** The edge clusters and their Location labels. */
export const EDGE_CLUSTERS = [
  { name: "florin", labels: ["loc-name=florin", "env=prod"] },
  { name: "guilder", labels: ["loc-name=guilder", "env=prod", "extended=yes"] },
];

async function clientFor(kubeconfigPath: string): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig: kubeconfigPath });
  return restClientFor(await kc.restConfig());
}

/** Runs the quickstart; resolves true when every step succeeded. */
export async function runQuickstart(options: QuickstartOptions): Promise<boolean> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "kubestellar-quickstart-" });
  await Deno.mkdir(dir, { recursive: true });
  const logs = join(dir, "logs");
  await Deno.mkdir(logs, { recursive: true });
  const run = new StepRunner(options.print);
  const kubeconfig = join(dir, "kubeconfig");
  const state = join(dir, "state");
  const env: ToolkitEnvironment = {
    cwd: dir,
    env: { KUBECONFIG: kubeconfig, KUBESTELLAR_STATE_DIR: state },
  };
  const wecs = new Map<string, { server: KcpLite; client: RestClient }>();
  const clients: RestClient[] = [];
  options.print(`Working directory: ${dir}`);
  try {
    const core = await run.step(
      "Start the core: kcp-lite, the embedded kcp-compatible server",
      async (show) => {
        const server = await startKcpLite({
          rootDirectory: join(dir, "kcp"),
          securePort: 0,
          mode: "kcp",
        });
        run.onCleanup("stop kcp-lite", () => server.stop());
        await Deno.copyFile(server.adminKubeconfigPath, kubeconfig);
        await Deno.chmod(kubeconfig, 0o600);
        show(`serving at ${server.url}`);
        show(`kubeconfig: ${kubeconfig}`);
        return server;
      },
    );
    await run.step(
      "Start two edge clusters (kube-mode kcp-lite): florin and guilder",
      async (show) => {
        for (const { name } of EDGE_CLUSTERS) {
          const server = await startKcpLite({
            rootDirectory: join(dir, name),
            securePort: 0,
            mode: "kube",
          });
          run.onCleanup(`stop ${name}`, () => server.stop());
          const client = await clientFor(server.adminKubeconfigPath);
          clients.push(client);
          wecs.set(name, { server, client });
          show(`${name}: ${server.url} (kubeconfig ${server.adminKubeconfigPath})`);
        }
      },
    );
    await run.step("Start KubeStellar: init the core and launch the controllers", async (show) => {
      run.onCleanup("kubestellar stop", async () => {
        await runToolkit(env, ["stop", "--log-folder", logs], () => {}, "kubestellar stop");
      });
      await runToolkit(
        env,
        ["start", "--log-folder", logs, "--ensure-imw", "imw1", "--ensure-wmw", "wmw1"],
        show,
        "kubestellar start --ensure-imw imw1 --ensure-wmw wmw1",
      );
    });
    for (const { name, labels } of EDGE_CLUSTERS) {
      await run.step(`Onboard ${name}: prep-for-cluster, then install its syncer`, async (show) => {
        await runToolkit(env, ["prep-for-cluster", "--imw", "root:imw1", name, ...labels], show);
        const wec = wecs.get(name)!;
        const install = await installSyncer(
          wec.client,
          join(dir, `${name}-syncer.yaml`),
          dir,
          name,
        );
        show(
          `$ kubectl --kubeconfig ${wec.server.adminKubeconfigPath} apply -f ${name}-syncer.yaml`,
        );
        for (const line of install.applied) show(`  ${line}`);
        const child = await spawnToolkit(env, [
          "syncer",
          "--from-kubeconfig",
          install.mailboxKubeconfigPath,
          "--to-kubeconfig",
          wec.server.adminKubeconfigPath,
          ...install.args,
        ], join(logs, `syncer-${name}-log.txt`));
        run.onCleanup(`stop the ${name} syncer`, async () => {
          try {
            child.kill("SIGTERM");
          } catch { /* already gone */ }
          await child.status;
        });
        show(`syncer for ${name} running as a local process (log: logs/syncer-${name}-log.txt)`);
      });
    }
    const hub = await clientFor(kubeconfig);
    clients.push(hub);
    const wmw = hub.withCluster("root:wmw1");
    clients.push(wmw);
    await run.step("Describe the workloads and EdgePlacements in root:wmw1", async (show) => {
      show("common web site → every env=prod cluster; special web site → extended=yes only");
      for (const line of await applyObjects(wmw, [...commonWorkload(), ...specialWorkload()])) {
        show(line);
      }
    });
    await run.step(
      "See the workloads arrive on the edge clusters, customized",
      (show) => checkEdgeResults(wecs, show),
    );
    await run.step(
      "See status and upsynced objects come back to the hub",
      (show) => checkStatusAndUpsync(env, wecs, wmw, upsyncedObjects(), show),
    );
    await run.step(
      "Summarize commond's state across the clusters (StatusSummarizer commond-ready)",
      (show) => summarizeCommond(wmw, wecs, show),
    );
    options.print("");
    for (const line of run.summary()) options.print(line);
    if (options.keep) {
      options.print("");
      options.print("Everything keeps running. To use the hub from another shell:");
      options.print(`  export KUBECONFIG=${kubeconfig} KUBESTELLAR_STATE_DIR=${state}`);
      for (const [name, wec] of wecs) options.print(`${name}: ${wec.server.adminKubeconfigPath}`);
      options.print(`Core URL ${core.url}. Press Ctrl-C to stop.`);
      await interrupted();
    }
    return run.ok;
  } catch {
    options.print("");
    for (const line of run.summary()) options.print(line);
    options.print(`Logs: ${logs}`);
    return false;
  } finally {
    for (const c of clients) c.close();
    await run.cleanup();
    if (!options.dir && !options.keep && run.ok) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}
