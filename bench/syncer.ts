/**
 * Syncer figures (issue 6): downsync latency from a mailbox change to the object written
 * in the WEC (p50/p99) and status-return latency (WEC status change to the mailbox
 * object's status, p50/p99) with N syncers in this one process (N = 20; pass `100` as an
 * argument, `deno task bench syncer 100`, for the 100 WECs), and the idle memory
 * and CPU of one `kubestellar syncer` process.
 *
 * The hub (kcp-lite, kcp mode) runs in a child process and the N WECs (kcp-lite, kube
 * mode) together in another, as real servers would. Each round
 * changes one object in every mailbox at once (a burst of N changes).
 *
 * @module
 */
import { join } from "node:path";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, restClientFor } from "../lib/kube/rest_client.ts";
import { Logger } from "../lib/log/logger.ts";
import { type RunningSyncer, startSyncer } from "../lib/syncer/syncer.ts";
import {
  addMailbox,
  type Hub,
  type Mailbox,
  prepareHub,
  putSyncerConfig,
} from "../tests/lib/syncer/hub_fixture.ts";
import { deployment } from "../tests/lib/syncer/e2e_objects.ts";
import { readUntil, startKcpLiteProcess } from "./kcp_lite_process.ts";
import { startSyncerProcess } from "./syncer_process.ts";
import type { Benchmark } from "./registry.ts";
import { countArgument } from "./bench_args.ts";
import { cpuSeconds, rssBytes } from "./process_usage.ts";
import { ms, percentile } from "./stats.ts";

const CM = (ns: string) => ({ version: "v1", resource: "configmaps", namespace: ns });
const DEPLOY = (ns: string) => ({
  group: "apps",
  version: "v1",
  resource: "deployments",
  namespace: ns,
});

/** Starts `kubestellar kcp-lite start` (kcp mode) in a child process. */
async function startHubServer(dir: string) {
  const server = await startKcpLiteProcess(dir);
  return { pid: server.pid, kubeconfig: server.adminKubeconfigPath, stop: () => server.stop() };
}

/** Starts `n` kube-mode kcp-lite servers (the WECs) together in one child process. */
async function startWecServers(dir: string, n: number) {
  const server = new URL("../lib/kcplite/kcp_lite_server.ts", import.meta.url).href;
  const code = `
    import { startKcpLite } from ${JSON.stringify(server)};
    const dir = ${JSON.stringify(dir)};
    for (let i = 0; i < ${n}; i++) {
      const root = dir + "/" + i;
      await Deno.mkdir(root, { recursive: true });
      await startKcpLite({ rootDirectory: root, securePort: 0, bindAddress: "127.0.0.1", mode: "kube" });
    }
    console.log("all WECs ready");
    await new Promise(() => {});
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  await readUntil(child, "all WECs ready");
  return {
    pid: child.pid,
    kubeconfigs: Array.from({ length: n }, (_, i) => join(dir, String(i), "admin.kubeconfig")),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** CPU seconds (user + system) of process `pid` from /proc. */
async function waitFor(what: string, fn: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!fn()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function measureIdleProcess(
  mb: Mailbox,
  hubCa: string | undefined,
  token: string,
  wecKubeconfig: string,
  dir: string,
) {
  const child = await startSyncerProcess(
    { server: mb.config.server, caData: hubCa, token },
    wecKubeconfig,
    { name: mb.syncTargetName, uid: mb.syncTargetUid },
    dir,
  );
  try {
    await new Promise((r) => setTimeout(r, 5_000)); // start-up and initial sync
    const cpu0 = await cpuSeconds(child.pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const cpu1 = await cpuSeconds(child.pid);
    const wall = (performance.now() - t0) / 1000;
    return { rss: await rssBytes(child.pid), cpuPercent: (100 * (cpu1 - cpu0)) / wall };
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
}

async function run(): Promise<void> {
  const n = countArgument("KUBESTELLAR_BENCH_SYNCERS", 20);
  const rounds = n >= 100 ? 3 : 10;
  const dir = await Deno.makeTempDir({ prefix: "syncer-bench-" });
  await Deno.mkdir(join(dir, "hub"));
  await Deno.mkdir(join(dir, "wec"));
  const hubServer = await startHubServer(join(dir, "hub"));
  const wecServers = await startWecServers(join(dir, "wec"), n);
  const syncers: RunningSyncer[] = [];
  const mailboxes: Mailbox[] = [];
  try {
    const adminConfig =
      await (await loadKubeconfig({ kubeconfig: hubServer.kubeconfig, context: "base" }))
        .restConfig();
    const admin = restClientFor(adminConfig);
    const wecConfigs = await Promise.all(
      wecServers.kubeconfigs.map(async (k) =>
        await (await loadKubeconfig({ kubeconfig: k })).restConfig()
      ),
    );
    const wecs = wecConfigs.map((c) => restClientFor(c));
    const imwCluster = await prepareHub(admin);
    const hub = { admin, adminConfig, imwCluster } as Hub;
    const t0 = performance.now();
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, (_, j) => addMailbox(hub, `wec${i + j}`)),
      );
      mailboxes.push(...batch);
    }
    console.log(`setup: ${n} mailbox workspaces in ${ms(performance.now() - t0)}`);
    await Promise.all(mailboxes.map(async (mb, i) => {
      const ns = `bench-${i}`;
      await mb.client.create({ version: "v1", resource: "namespaces" }, { metadata: { name: ns } });
      await mb.client.create(DEPLOY(ns), deployment("web"));
      await putSyncerConfig(mb, {
        namespacedObjects: [
          {
            group: "",
            resource: "configmaps",
            apiVersion: "v1",
            objectsByNamespace: [{ namespace: ns, names: ["*"] }],
          },
          {
            group: "apps",
            resource: "deployments",
            apiVersion: "v1",
            objectsByNamespace: [{ namespace: ns, names: ["web"] }],
          },
        ],
      });
    }));
    const arrived = new Map<string, number>();
    const returned = new Map<string, number>();
    const rssBefore = Deno.memoryUsage().rss;
    for (const [i, mb] of mailboxes.entries()) {
      syncers.push(startSyncer({
        mailbox: mb.config,
        wec: wecConfigs[i],
        syncTargetName: mb.syncTargetName,
        syncTargetUid: mb.syncTargetUid,
        log: new Logger("syncer", { write: () => {} }),
        onWecWrite: (action, id, obj) => {
          if (action !== "delete") {
            arrived.set(
              `${id.resource}/${obj.metadata?.namespace}/${obj.metadata?.name}`,
              performance.now(),
            );
          }
        },
        onStatusReturn: (_id, obj) => {
          const ready = (obj.status as { readyReplicas?: number } | undefined)?.readyReplicas;
          returned.set(`${obj.metadata?.namespace}/${ready}`, performance.now());
        },
      }));
    }
    await Promise.all(syncers.map((s) => s.ready));
    await waitFor(
      "initial sync",
      () => mailboxes.every((_, i) => arrived.has(`deployments/bench-${i}/web`)),
    );
    const rssSyncers = Deno.memoryUsage().rss - rssBefore;

    const down: number[] = [];
    const cpuOf = () =>
      Promise.all([cpuSeconds("self"), cpuSeconds(hubServer.pid), cpuSeconds(wecServers.pid)]);
    const cpuBefore = await cpuOf();
    const burstStart = performance.now();
    for (let r = 0; r < rounds; r++) {
      const sent = new Map<string, number>();
      await Promise.all(mailboxes.map(async (mb, i) => {
        const key = `configmaps/bench-${i}/cm-${r}`;
        sent.set(key, performance.now());
        await mb.client.create(CM(`bench-${i}`), {
          metadata: { name: `cm-${r}` },
          data: { r: String(r) },
        });
      }));
      await waitFor(`round ${r}`, () => [...sent.keys()].every((k) => arrived.has(k)));
      for (const [k, t] of sent) down.push(arrived.get(k)! - t);
    }
    const cpuAfter = await cpuOf();
    const burstWall = (performance.now() - burstStart) / 1000;
    const [syncersCpu, hubCpu, wecCpu] = cpuAfter.map((c, i) => c - cpuBefore[i]);
    // Paced: one change every 20 ms, round-robin over the mailboxes (no burst queueing).
    const paced: number[] = [];
    const pacedSent = new Map<string, number>();
    const writes: Promise<unknown>[] = [];
    for (let k = 0; k < Math.max(100, n); k++) {
      const i = k % n;
      const key = `configmaps/bench-${i}/paced-${k}`;
      pacedSent.set(key, performance.now());
      writes.push(
        mailboxes[i].client.create(CM(`bench-${i}`), { metadata: { name: `paced-${k}` } }),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(writes);
    await waitFor("paced changes", () => [...pacedSent.keys()].every((k) => arrived.has(k)));
    for (const [k, t] of pacedSent) paced.push(arrived.get(k)! - t);
    const up: number[] = [];
    for (let r = 1; r <= Math.min(rounds, 5); r++) {
      const sent = new Map<string, number>();
      await Promise.all(mailboxes.map(async (_, i) => {
        const ref = { ...DEPLOY(`bench-${i}`), name: "web" };
        const cur = await wecs[i].get<KubeObject>(ref);
        sent.set(`bench-${i}/${r}`, performance.now());
        await wecs[i].updateStatus(ref, { ...cur, status: { replicas: 1, readyReplicas: r } });
      }));
      await waitFor(`status round ${r}`, () => [...sent.keys()].every((k) => returned.has(k)));
      for (const [k, t] of sent) up.push(returned.get(k)! - t);
    }
    console.log(
      `downsync latency, ${n} syncers, ${rounds} bursts of ${n} changes: p50 ${
        ms(percentile(down, 50))
      }, ` +
        `p99 ${ms(percentile(down, 99))} (target p99 ≤ 1 s)`,
    );
    console.log(
      `CPU during the bursts (${burstWall.toFixed(1)} s): syncers ${syncersCpu.toFixed(1)} s, ` +
        `hub ${hubCpu.toFixed(1)} s, WECs ${wecCpu.toFixed(1)} s`,
    );
    console.log(
      `downsync latency, ${n} syncers, ${paced.length} changes paced 20 ms apart: p50 ${
        ms(percentile(paced, 50))
      }, p99 ${ms(percentile(paced, 99))}`,
    );
    console.log(
      `status-return latency, ${up.length} samples: p50 ${ms(percentile(up, 50))}, p99 ${
        ms(percentile(up, 99))
      } (target p99 ≤ 1 s)`,
    );
    const cpu0 = await cpuSeconds("self");
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, 5_000));
    const idleAll = (100 * (await cpuSeconds("self") - cpu0)) / ((performance.now() - w0) / 1000);
    console.log(
      `${n} syncers in one process: +${(rssSyncers / 2 ** 20).toFixed(0)} MiB RSS after start, ` +
        `idle CPU ${idleAll.toFixed(1)} % of one core`,
    );
    await Promise.all(syncers.splice(0).map((s) => s.stop()));
    const idle = await measureIdleProcess(
      mailboxes[0],
      adminConfig.caData,
      adminConfig.token ?? "",
      wecServers.kubeconfigs[0],
      dir,
    );
    console.log(
      `one kubestellar syncer process, idle: RSS ${(idle.rss / 2 ** 20).toFixed(0)} MiB ` +
        `(target ≤ 100 MiB), CPU ${idle.cpuPercent.toFixed(2)} % (target ~0 %)`,
    );
    for (const mb of mailboxes) mb.client.close();
    for (const w of wecs) w.close();
    admin.close();
  } finally {
    await Promise.all(syncers.map((s) => s.stop()));
    await hubServer.stop();
    await wecServers.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The benchmark entry. */
export const syncerBench: Benchmark = {
  name: "syncer",
  description: "downsync and status-return latency p50/p99 with N syncers (20; `syncer 100` " +
    "for 100), idle memory/CPU of one syncer process",
  run,
};
