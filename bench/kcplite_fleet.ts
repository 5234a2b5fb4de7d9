/**
 * kcp-lite at fleet scale (issue 12, item 4): `deno task bench kcplite-fleet [N]
 * [--copies M]` starts kcp-lite (kcp mode) in its own process, makes `root:espw` with the
 * edge APIExport, then does what N SyncTargets cost the server:
 *
 * - N mailbox workspaces created in the ESPW by 16 clients, each bound to the edge export
 *   (`bind-edge`): time until all are Ready and until all bindings are Bound;
 * - one SyncerConfig watch per mailbox, as a syncer holds it (list, then watch from the
 *   list's resourceVersion), plus 4 all-cluster watches as controllers hold them;
 * - one SyncerConfig written into every mailbox: the delay from each write until its
 *   mailbox's watcher has it (p50 / p99 / max) and until every all-cluster watch has all N;
 * - all-cluster lists of the N SyncerConfigs (whole, and in pages of 500);
 * - M ConfigMaps per mailbox (the placed copies, N × M objects);
 * - the server's RSS: idle, with N mailboxes and watches (per mailbox), with the copies,
 *   and its peak.
 *
 * The issue's targets (2 cores, idle): 10,000 mailboxes Ready and bound ≤ 120 s for the
 * whole system (kcp-lite's share must be well under), kcp-lite RSS ≤ 3 GiB with 10,000
 * mailboxes and 100,000 copies (`deno task bench kcplite-fleet 10000 --copies 10`).
 *
 * @module
 */
import { edgeApiBinding, edgeApiExportObjects } from "../lib/edge/api_export.ts";
import { countArgument } from "./bench_args.ts";
import { FleetClient, forEachConcurrently, processMemory, until } from "./kcplite_fleet_client.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import { cpuSeconds } from "./process_usage.ts";
import type { Benchmark } from "./registry.ts";
import { percentile } from "./stats.ts";

const WS = "apis/tenancy.kcp.io/v1alpha1/workspaces";
const BINDINGS = "apis/apis.kcp.io/v1alpha1/apibindings";
const SYNCER_CONFIGS = "apis/edge.kubestellar.io/v2alpha1/syncerconfigs";
const CLIENTS = 16;

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000))}/s`;

function line(label: string, value: string): void {
  console.log(label.padEnd(72), value);
}

function copiesArgument(): number {
  const i = Deno.args.indexOf("--copies");
  const n = Number(i >= 0 ? Deno.args[i + 1] : 10);
  if (!Number.isInteger(n) || n < 0) throw new Error("--copies needs a count");
  return n;
}

/** Creates `root:espw` with the edge APIExport; returns the export's identity hash. */
async function makeEspw(admin: FleetClient): Promise<string> {
  await admin.call("POST", `/clusters/root/${WS}`, { metadata: { name: "espw" } });
  await until(async () => {
    const w = await admin.call("GET", `/clusters/root/${WS}/espw`) as {
      status?: { phase?: string };
    };
    return w.status?.phase === "Ready";
  });
  const { schemas, apiExport } = await edgeApiExportObjects();
  for (const schema of schemas) {
    await admin.call(
      "POST",
      "/clusters/root:espw/apis/apis.kcp.io/v1alpha1/apiresourceschemas",
      schema,
    );
  }
  await admin.call("POST", "/clusters/root:espw/apis/apis.kcp.io/v1alpha1/apiexports", apiExport);
  let identity = "";
  await until(async () => {
    const e = await admin.call(
      "GET",
      `/clusters/root:espw/apis/apis.kcp.io/v1alpha1/apiexports/${apiExport.metadata!.name}`,
    ) as { status?: { identityHash?: string } };
    identity = e.status?.identityHash ?? "";
    return identity !== "";
  });
  return identity;
}

/** Waits until the store's resourceVersion has not moved for a second. */
async function quietResourceVersion(admin: FleetClient): Promise<void> {
  const rv = async () =>
    (await admin.call("GET", "/clusters/root/api/v1/namespaces?limit=1") as {
      metadata: { resourceVersion: string };
    }).metadata.resourceVersion;
  let last = await rv();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await rv();
    if (now === last) return;
    last = now;
  }
}

async function run(): Promise<void> {
  const n = countArgument("KCPLITE_FLEET_MAILBOXES", 200);
  const copies = copiesArgument();
  const dir = await Deno.makeTempDir({ prefix: "kcp-lite-fleet-" });
  const server = await startKcpLiteProcess(dir, "kcp");
  const admin = await FleetClient.fromKubeconfig(
    server.adminKubeconfigPath,
    server.url,
    "kcp-admin",
  );
  const shard = await FleetClient.fromKubeconfig(
    server.adminKubeconfigPath,
    server.url,
    "shard-admin",
  );
  const watches: { stop(): void }[] = [];
  try {
    const idle = await processMemory(server.pid);
    const identity = await makeEspw(admin);
    const mailbox = (i: number) => `/clusters/root:espw:mb-${i}`;

    // Mailbox workspaces, then their bindings; progress is followed with watches (lists of
    // N objects polled meanwhile would cost the server O(N) each).
    const ready = new Set<string>();
    const espwList = await admin.call("GET", `/clusters/root:espw/${WS}?limit=1`) as {
      metadata: { resourceVersion: string };
    };
    watches.push(
      await admin.watch(`/clusters/root:espw/${WS}`, espwList.metadata.resourceVersion, (w) => {
        if (w.status?.phase === "Ready") ready.add(w.metadata?.name ?? "");
      }),
    );
    const bound = new Set<string>();
    const bindingsPath = `/clusters/*/${BINDINGS}?fieldSelector=metadata.name%3Dbind-edge`;
    const bindingsList = await shard.call("GET", `${bindingsPath}&limit=1`) as {
      metadata: { resourceVersion: string };
    };
    watches.push(
      await shard.watch(bindingsPath, bindingsList.metadata.resourceVersion, (b) => {
        if (b.status?.phase === "Bound") {
          bound.add(b.metadata?.annotations?.["kcp.io/cluster"] ?? "");
        }
      }),
    );
    const cpu0 = await cpuSeconds(server.pid);
    const t0 = performance.now();
    await forEachConcurrently(n, CLIENTS, async (i) => {
      await admin.call("POST", `/clusters/root:espw/${WS}`, { metadata: { name: `mb-${i}` } });
    });
    const created = performance.now() - t0;
    await until(() => ready.size >= n, 50);
    const allReady = performance.now() - t0;
    const cpuReady = await cpuSeconds(server.pid) - cpu0;
    const binding = edgeApiBinding("bind-edge", "root:espw");
    await forEachConcurrently(n, CLIENTS, async (i) => {
      await admin.call("POST", `${mailbox(i)}/${BINDINGS}`, binding);
    });
    await until(() => bound.size >= n, 50);
    const allBound = performance.now() - t0;
    const cpuBound = await cpuSeconds(server.pid) - cpu0;
    line(
      `${n} mailbox workspaces: created / all Ready / all bound`,
      `${s(created)} / ${s(allReady)} / ${s(allBound)} (${rate(n, allBound)})`,
    );
    // The service accounts' tokens are made after Ready: the CPU until the store is quiet
    // (no write for 1 s) is the whole cost of a mailbox.
    await quietResourceVersion(admin);
    const cpuQuiet = await cpuSeconds(server.pid) - cpu0;
    const perMailbox = (cpu: number) => `${(cpu * 1000 / n).toFixed(1)} ms`;
    line(
      "  kcp-lite CPU per mailbox: until Ready / until bound / all its writes",
      `${perMailbox(cpuReady)} / ${perMailbox(cpuBound)} / ${perMailbox(cpuQuiet)}`,
    );
    const withMailboxes = await processMemory(server.pid);

    // One syncer-like watch per mailbox, and 4 controller-like all-cluster watches.
    const arrivals = new Map<number, number>();
    const w0 = performance.now();
    await forEachConcurrently(n, 64, async (i) => {
      const list = await admin.call("GET", `${mailbox(i)}/${SYNCER_CONFIGS}`) as {
        metadata: { resourceVersion: string };
      };
      watches.push(
        await admin.watch(`${mailbox(i)}/${SYNCER_CONFIGS}`, list.metadata.resourceVersion, () => {
          if (!arrivals.has(i)) arrivals.set(i, performance.now());
        }),
      );
    });
    const watching = performance.now() - w0;
    const wildcardSeen = [0, 0, 0, 0];
    const wildcardPath = `/clusters/*/${SYNCER_CONFIGS}:${identity}`;
    const rv = (await shard.call("GET", `${wildcardPath}?limit=1`) as {
      metadata: { resourceVersion: string };
    }).metadata.resourceVersion;
    for (let k = 0; k < 4; k++) {
      watches.push(await shard.watch(wildcardPath, rv, () => wildcardSeen[k]++));
    }
    const withWatches = await processMemory(server.pid);
    line(`${n} syncer-like watches (SyncerConfigs of each mailbox): established in`, s(watching));
    line(
      `kcp-lite RSS: idle / ${n} mailboxes / + watches (per mailbox: ws / watch)`,
      `${mib(idle.rss)} / ${mib(withMailboxes.rss)} / ${mib(withWatches.rss)} (${
        kib((withMailboxes.rss - idle.rss) / n)
      } / ${kib((withWatches.rss - withMailboxes.rss) / n)})`,
    );

    // One change per mailbox: delivery to its watcher and to the all-cluster watchers.
    const sent = new Map<number, number>();
    const f0 = performance.now();
    await forEachConcurrently(n, CLIENTS, async (i) => {
      sent.set(i, performance.now());
      await admin.call("POST", `${mailbox(i)}/${SYNCER_CONFIGS}`, {
        apiVersion: "edge.kubestellar.io/v2alpha1",
        kind: "SyncerConfig",
        metadata: { name: "the-one" },
        spec: {},
      });
    });
    const written = performance.now() - f0;
    await until(() => arrivals.size >= n && wildcardSeen.every((c) => c >= n), 20);
    const everywhere = performance.now() - f0;
    const delays = [...arrivals].map(([i, at]) => at - sent.get(i)!).sort((a, b) => a - b);
    line(
      `one SyncerConfig into each mailbox: writes (${rate(n, written)}); all delivered`,
      `${s(written)}; ${s(everywhere)}`,
    );
    line(
      "  write → its mailbox's watcher: p50 / p99 / max",
      `${percentile(delays, 50).toFixed(0)} / ${percentile(delays, 99).toFixed(0)} / ${
        delays.at(-1)!.toFixed(0)
      } ms`,
    );

    // All-cluster lists.
    const l0 = performance.now();
    const all = await shard.call("GET", wildcardPath) as { items: unknown[] };
    const full = performance.now() - l0;
    const p0 = performance.now();
    let pages = 0;
    for (let token = "";;) {
      const page = await shard.call(
        "GET",
        `${wildcardPath}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      ) as { metadata: { continue?: string } };
      pages++;
      if (!page.metadata.continue) break;
      token = page.metadata.continue;
    }
    line(
      `all-cluster list of ${all.items.length} SyncerConfigs: whole / ${pages} pages of 500`,
      `${s(full)} / ${s(performance.now() - p0)}`,
    );

    // The placed copies.
    if (copies > 0) {
      const c0 = performance.now();
      await forEachConcurrently(n * copies, CLIENTS, async (j) => {
        const i = Math.floor(j / copies);
        await admin.call("POST", `${mailbox(i)}/api/v1/namespaces/default/configmaps`, {
          metadata: { name: `copy-${j % copies}`, labels: { placed: "true" } },
          data: { index: String(j), note: "a placed copy of a workload object" },
        });
      });
      const placed = performance.now() - c0;
      const after = await processMemory(server.pid);
      line(
        `${n * copies} copies (${copies} ConfigMaps per mailbox) written; kcp-lite RSS after`,
        `${s(placed)} (${rate(n * copies, placed)}); ${mib(after.rss)}`,
      );
    }
    const end = await processMemory(server.pid);
    line("kcp-lite peak RSS (VmHWM)", mib(end.peak));
  } finally {
    for (const w of watches) w.stop();
    admin.close();
    shard.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

export const kcpliteFleet: Benchmark = {
  name: "kcplite-fleet",
  description:
    "kcp-lite holding N mailbox workspaces (default 200; the issue's scale: 10000 --copies 10), " +
    "each bound and watched like a syncer: creation rate, fan-out, wildcard lists, RSS",
  run,
};
