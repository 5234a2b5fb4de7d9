/**
 * Placement translator figures on kcp-lite (kcp mode, in its own process):
 *
 * - time until 10 ConfigMaps placed on N mailboxes (N = 100, or the first argument /
 *   `$KUBESTELLAR_BENCH_MAILBOXES`, e.g. 1000) are all in place, from the moment the
 *   SinglePlacementSlice names the N destinations, and that time as a ratio of the time
 *   kcp-lite takes for the same number of plain creates from 8 concurrent clients
 *   (target ≥ 0.5);
 * - propagation of one object change to every mailbox, p50/p99 over 5 changes
 *   (target p99 ≤ 500 ms at 100 mailboxes);
 * - the memory of this process (translator + bench client) after placement.
 *
 * Placement is complete when the server has acknowledged every write the translator
 * needs (then checked by listing each mailbox); propagation is observed with one watch
 * of projected ConfigMaps per mailbox.
 *
 * @module
 */
import { PlacementTranslator } from "../lib/controllers/placement/translator.ts";
import { edgeApiBinding, edgeApiExportObjects } from "../lib/edge/api_export.ts";
import { EDGE_API_VERSION, mailboxName } from "../lib/edge/api_types.ts";
import { waitForBinding } from "../lib/core/api_bindings.ts";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, type RestClient, restClientFor } from "../lib/kube/rest_client.ts";
import { Logger } from "../lib/log/logger.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import type { Benchmark } from "./registry.ts";
import { R } from "../tests/lib/controllers/placement/translator_fixture.ts";
import { countArgument } from "./bench_args.ts";
import { ms, percentile } from "./stats.ts";
import { pool } from "./pool.ts";

const OBJECTS = 10;
const WORKERS = 8;

async function startServer(dir: string): Promise<{ client: RestClient; stop(): Promise<void> }> {
  const server = await startKcpLiteProcess(dir);
  const kc = await loadKubeconfig({
    kubeconfig: server.adminKubeconfigPath,
    context: "system:admin",
  });
  const client = restClientFor(await kc.restConfig());
  return {
    client,
    async stop() {
      client.close();
      await server.stop();
    },
  };
}

async function workspace(admin: RestClient, parent: string, name: string): Promise<KubeObject> {
  const p = admin.withCluster(parent);
  try {
    await p.create(R.workspaces, {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      kind: "Workspace",
      metadata: { name },
      spec: {},
    });
    for (let delay = 5;; delay = Math.min(delay * 2, 200)) {
      const ws = await p.get<KubeObject>({ ...R.workspaces, name });
      if ((ws.status as { phase?: string })?.phase === "Ready") return ws;
      await new Promise((r) => setTimeout(r, delay));
    }
  } finally {
    p.close();
  }
}

async function bindEdge(admin: RestClient, path: string): Promise<void> {
  const c = admin.withCluster(path);
  try {
    await c.create(R.bindings, edgeApiBinding("bind-edge", "root:espw"));
    await waitForBinding(c, "bind-edge");
  } finally {
    c.close();
  }
}

/** Reports projected ConfigMap events in the mailboxes (one list + watch each). */
function watchProjected(
  admin: RestClient,
  mailboxes: string[],
  onEvent: (type: string, o: KubeObject, at: number) => void,
): { stop(): void; started: Promise<void> } {
  const abort = new AbortController();
  const own = restClientFor(admin.config);
  const starts = mailboxes.map(async (mb) => {
    const c = own.withCluster(`root:espw:${mb}`);
    const opts = { labelSelector: "edge.kubestellar.io/projected=yes" };
    const list = await c.list<KubeObject>(R.configmaps, opts);
    (async () => {
      const stream = await c.watch<KubeObject>(R.configmaps, {
        ...opts,
        resourceVersion: list.metadata.resourceVersion,
        signal: abort.signal,
      });
      for await (const ev of stream) onEvent(ev.type, ev.object, performance.now());
    })().catch((e) => {
      if (!abort.signal.aborted) console.error(`watch of projected ConfigMaps failed: ${e}`);
    }).finally(() => c.close());
  });
  return {
    stop: () => {
      abort.abort();
      own.close();
    },
    started: Promise.all(starts).then(() => {}),
  };
}

async function run(n: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pt-bench-" });
  const server = await startServer(dir);
  const admin = server.client;
  const abort = new AbortController();
  let translatorDone: Promise<void> | undefined;
  try {
    await workspace(admin, "root", "espw");
    const espw = admin.withCluster("root:espw");
    const { schemas, apiExport } = await edgeApiExportObjects();
    for (const s of schemas) await espw.create(R.schemas, s);
    await espw.create(R.exports, apiExport);
    espw.close();
    const wmwWs = await workspace(admin, "root", "wmw1");
    await admin.withCluster("root:wmw1").create(
      R.bindings,
      edgeApiBinding("bind-espw", "root:espw"),
    );
    const wmw = admin.withCluster("root:wmw1");
    await waitForBinding(wmw, "bind-espw");
    const imwCluster = "benchimw";
    const dests = Array.from({ length: n }, (_, i) => ({
      cluster: imwCluster,
      locationName: `loc${i}`,
      syncTargetName: `st${i}`,
      syncTargetUID: crypto.randomUUID(),
    }));
    const t0setup = performance.now();
    await pool(dests, 16, async (d) => {
      const name = mailboxName(d.cluster, d.syncTargetUID);
      await workspace(admin, "root:espw", name);
      await bindEdge(admin, `root:espw:${name}`);
    });
    console.log(
      `setup: ${n} mailbox workspaces with bindings in ${ms(performance.now() - t0setup)}`,
    );
    await wmw.create(R.namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "bench" },
    });
    for (let i = 0; i < OBJECTS; i++) {
      await wmw.create({ ...R.configmaps, namespace: "bench" }, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `cm${i}`, namespace: "bench" },
        data: { v: "0" },
      });
    }
    await wmw.create(R.placements, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "bench" },
      spec: {
        locationSelectors: [{}],
        downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["bench"] }],
      },
    });
    const translator = new PlacementTranslator({
      client: admin,
      workers: WORKERS,
      log: new Logger("placement-translator", {
        write: Deno.env.get("PT_BENCH_DEBUG") ? (l) => console.error(l) : () => {},
        verbose: !!Deno.env.get("PT_BENCH_DEBUG"),
      }),
    });
    translatorDone = translator.run(abort.signal);
    await translator.ready;

    // 1. placement of 10 objects on N mailboxes: timed until the server has acknowledged
    // every write the translator needs (per mailbox: the copies, their Namespace, the
    // SyncerConfig's update), then checked by listing.
    const writes = n * (OBJECTS + 2);
    const writesBefore = translator.writes;
    const t0 = performance.now();
    await wmw.create(R.slices, {
      apiVersion: EDGE_API_VERSION,
      kind: "SinglePlacementSlice",
      metadata: { name: "bench" },
      destinations: dests,
    });
    while (translator.writes - writesBefore < writes) await new Promise((r) => setTimeout(r, 1));
    const placeMs = performance.now() - t0;
    const mailboxes = dests.map((d) => mailboxName(d.cluster, d.syncTargetUID));
    let placed = 0;
    await pool(mailboxes, 16, async (mb) => {
      const c = admin.withCluster(`root:espw:${mb}`);
      try {
        const list = await c.list(R.configmaps, {
          labelSelector: "edge.kubestellar.io/projected=yes",
        });
        placed += list.items.length;
      } finally {
        c.close();
      }
    });
    if (placed !== n * OBJECTS) {
      console.log(`WARNING: ${placed} copies found, ${n * OBJECTS} expected`);
    }
    console.log(
      `placement: ${OBJECTS} objects on ${n} mailboxes (${placed} copies, ${writes} writes) in ${
        ms(placeMs)
      }`,
    );

    const placedMem = Deno.memoryUsage();
    console.log(
      `memory of the translator process after placement: rss ${
        (placedMem.rss / 2 ** 20).toFixed(0)
      } MiB, heap ${(placedMem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );

    // 2. raw kcp-lite creates for the same number of writes
    const jobs = Array.from({ length: writes }, (_, i) => i);
    const clients = dests.map((d) =>
      admin.withCluster(`root:espw:${mailboxName(d.cluster, d.syncTargetUID)}`)
    );
    await pool(
      clients,
      16,
      (c) =>
        c.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "raw" } })
          .then(
            () => {},
          ),
    );
    const t1 = performance.now();
    await pool(jobs, WORKERS, async (i) => {
      await clients[i % n].create({ ...R.configmaps, namespace: "raw" }, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `raw${i}`, namespace: "raw" },
        data: { v: "0" },
      });
    });
    const rawMs = performance.now() - t1;
    for (const c of clients) c.close();
    console.log(
      `raw kcp-lite: ${writes} creates (${WORKERS} clients) in ${
        ms(rawMs)
      }; ratio raw/translator = ${(rawMs / placeMs).toFixed(2)} (target >= 0.5)`,
    );

    // 3. propagation of one change to every mailbox, observed by one watch per mailbox
    const latencies: number[] = [];
    let changeAt = 0;
    let changeValue = "";
    const watch = watchProjected(admin, mailboxes, (type, o, at) => {
      if (
        type === "MODIFIED" && changeValue && (o.data as Record<string, string>)?.v === changeValue
      ) {
        latencies.push(at - changeAt);
      }
    });
    await watch.started;
    const rounds = 5;
    const perRound: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const before = latencies.length;
      changeValue = String(round);
      changeAt = performance.now();
      const ref = { ...R.configmaps, namespace: "bench", name: "cm0" };
      const cur = await wmw.get<KubeObject>(ref);
      await wmw.update(ref, { ...cur, data: { v: changeValue } });
      while (latencies.length - before < n) await new Promise((r) => setTimeout(r, 2));
      perRound.push(Math.max(...latencies.slice(before)));
    }
    watch.stop();
    console.log(
      `propagation of one change to ${n} mailboxes (${rounds} changes): p50 ${
        ms(percentile(latencies, 50))
      }, p99 ${ms(percentile(latencies, 99))} (target p99 <= 500 ms); last mailbox per change: ${
        perRound.map(ms).join(", ")
      }`,
    );
    const mem = Deno.memoryUsage();
    console.log(
      `memory after propagation (with the bench's ${n} watches): rss ${
        (mem.rss / 2 ** 20).toFixed(0)
      } MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
    void wmwWs;
    wmw.close();
  } finally {
    abort.abort();
    await translatorDone;
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The benchmark entry. */
export const placementTranslator: Benchmark = {
  name: "placement-translator",
  description: "10 objects onto N mailboxes (vs raw kcp-lite writes), change propagation p50/p99",
  run: () => run(countArgument("KUBESTELLAR_BENCH_MAILBOXES", 100)),
};

if (import.meta.main) await placementTranslator.run();
