/**
 * `deno task bench ui [N]`: `kubestellar ui` at fleet scale — N SyncTarget/Location
 * pairs (default 1,000, or `$KUBESTELLAR_BENCH_UI_CLUSTERS`) and 100 EdgePlacements
 * (each with its SinglePlacementSlice naming a tenth of the clusters) on kcp-lite in its
 * own process, the UI's model and server in this one, the page in headless Chromium:
 *
 * - time to first render: from navigation to the fleet page showing N clusters, and to
 *   a placement's matrix (target ≤ 1 s each);
 * - event-to-screen latency: a SyncTarget's label changed through the API until the
 *   page shows it, p50/p99 over 20 changes (target p99 ≤ 1 s);
 * - the server side: `GET /api/fleet` time and size.
 *
 * Without Chromium only the server-side figures are printed.
 *
 * @module
 */
import { join } from "node:path";
import { EDGE_API_VERSION } from "../lib/edge/api_types.ts";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../lib/kube/rest_client.ts";
import { Logger } from "../lib/log/logger.ts";
import { ChangeFeed } from "../lib/ui/change_feed.ts";
import { FleetModel } from "../lib/ui/fleet_model.ts";
import { readOnly } from "../lib/ui/read_only_client.ts";
import { UI_PAGE } from "../lib/ui/ui_assets.ts";
import { startUiServer } from "../lib/ui/ui_server.ts";
import { newToken } from "../lib/ui/ui_token.ts";
import {
  putSyncTargetAndLocation,
  setUpEdge,
  SPS,
  SYNC_TARGETS,
} from "../tests/support/edge_fixtures.ts";
import { chromiumPath, launchBrowser } from "../tests/ui/browser.ts";
import { countArgument } from "./bench_args.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import type { Benchmark } from "./registry.ts";
import { ms, percentile } from "./stats.ts";
import { pool } from "./pool.ts";

const PLACEMENTS = 100;
const CHANGES = 20;

/** N clusters in root:imw1, 100 placements with slices in root:wmw1. */
async function populate(imw: RestClient, wmw: RestClient, imwId: string, n: number) {
  const names = Array.from({ length: n }, (_, i) => `edge-${String(i).padStart(5, "0")}`);
  const uids = new Map<string, string>();
  await pool(names, 8, async (name) => {
    const i = Number(name.slice(5));
    const st = await putSyncTargetAndLocation(imw, name, { env: "prod", zone: `z${i % 10}` });
    uids.set(name, st.metadata.uid ?? "");
  });
  await wmw.create({ version: "v1", resource: "namespaces" }, {
    metadata: { name: "bench", labels: { app: "bench" } },
  });
  for (let i = 0; i < 5; i++) {
    await wmw.create({ version: "v1", resource: "configmaps", namespace: "bench" }, {
      metadata: { name: `cm${i}` },
      data: { i: String(i) },
    });
  }
  const placements = Array.from({ length: PLACEMENTS }, (_, j) => j);
  await pool(placements, 8, async (j) => {
    const zone = `z${j % 10}`;
    await wmw.create({
      group: "edge.kubestellar.io",
      version: "v2alpha1",
      resource: "edgeplacements",
    }, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: `placement-${String(j).padStart(3, "0")}` },
      spec: {
        locationSelectors: [{ matchLabels: { zone } }],
        downsync: [{
          apiGroup: "",
          resources: ["configmaps"],
          namespaces: ["bench"],
          objectNames: ["*"],
        }],
      },
    });
    await wmw.create(SPS, {
      apiVersion: EDGE_API_VERSION,
      kind: "SinglePlacementSlice",
      metadata: { name: `placement-${String(j).padStart(3, "0")}` },
      destinations: names.filter((_n, i) => `z${i % 10}` === zone).map((name) => ({
        cluster: imwId,
        locationName: name,
        syncTargetName: name,
        syncTargetUID: uids.get(name)!,
      })),
    });
  });
  return names;
}

async function browserFigures(url: string, imw: RestClient, first: string, n: number) {
  const b = await launchBrowser();
  try {
    const page = await b.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    let t0 = performance.now();
    await page.goto(`${url}#/fleet`, { waitUntil: "load" });
    await page.waitForFunction(
      (count: number) => {
        const d = (globalThis as unknown as {
          document: {
            querySelector(s: string): { textContent: string } | null;
            querySelectorAll(s: string): { length: number };
          };
        }).document;
        return d.querySelector('[data-count="clusters"]')?.textContent === String(count) &&
          d.querySelectorAll("tr[data-cluster]").length > 0;
      },
      { timeout: 120_000 },
      n,
    );
    console.log(
      `time to first render, fleet of ${n} clusters: ${ms(performance.now() - t0)} (target ≤ 1 s)`,
    );
    t0 = performance.now();
    await page.goto(`${url}#/placements/root%3Awmw1/placement-000`, { waitUntil: "load" });
    await page.waitForSelector("table.matrix td[data-state]", { timeout: 120_000 });
    console.log(
      `time to first render, a placement's matrix: ${ms(performance.now() - t0)} (target ≤ 1 s)`,
    );
    await page.goto(`${url}#/fleet`, { waitUntil: "load" });
    await page.waitForSelector(`tr[data-cluster="${first}"]`, { timeout: 120_000 });
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const seen = page.waitForFunction(
        (name: string, word: string) =>
          (globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string } | null };
          })
            .document.querySelector(`tr[data-cluster="${name}"]`)?.textContent?.includes(word),
        { timeout: 60_000, polling: "raf" },
        first,
        `bench=v${i}`,
      );
      const start = performance.now();
      await imw.patch({ ...SYNC_TARGETS, name: first }, {
        metadata: { labels: { bench: `v${i}` } },
      }, "merge");
      await seen;
      latencies.push(performance.now() - start);
    }
    console.log(
      `event-to-screen latency over ${CHANGES} label changes: p50 ${
        ms(percentile(latencies, 50))
      }, p99 ${ms(percentile(latencies, 99))} (target p99 ≤ 1 s)`,
    );
  } finally {
    await b.close();
  }
}

async function run(): Promise<void> {
  const n = countArgument("KUBESTELLAR_BENCH_UI_CLUSTERS", 1000);
  const dir = await Deno.makeTempDir({ prefix: "bench-ui-" });
  const server = await startKcpLiteProcess(join(dir, "kcp"));
  const edge = await setUpEdge(server.adminKubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
  const feed = new ChangeFeed();
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let ui: ReturnType<typeof startUiServer> | undefined;
  const clients: RestClient[] = [];
  try {
    const imw = edge.workspace("root:imw1");
    const wmw = edge.workspace("root:wmw1");
    const t0 = performance.now();
    const names = await populate(imw, wmw, await edge.clusterId("root:imw1"), n);
    console.log(
      `populated ${n} clusters and ${PLACEMENTS} placements in ${ms(performance.now() - t0)}`,
    );
    for (const context of ["root", "system:admin"]) {
      const kc = await loadKubeconfig({ kubeconfig: server.adminKubeconfigPath, context });
      clients.push(readOnly(restClientFor(await kc.restConfig())));
    }
    const model = new FleetModel({
      client: clients[0],
      allClusters: clients[1],
      espwPath: "root:espw",
      feed,
      log: new Logger("bench-ui", { write: () => {} }),
    });
    running = model.run(abort.signal);
    const t1 = performance.now();
    await model.ready;
    console.log(`the UI's model listed the fleet in ${ms(performance.now() - t1)}`);
    const token = newToken();
    ui = startUiServer({ hostname: "127.0.0.1", port: 0, token, model, feed, page: UI_PAGE });
    const base = `http://127.0.0.1:${ui.port}`;
    const t2 = performance.now();
    const body =
      await (await fetch(`${base}/api/fleet`, { headers: { authorization: `Bearer ${token}` } }))
        .text();
    console.log(
      `GET /api/fleet: ${ms(performance.now() - t2)}, ${Math.round(body.length / 1024)} KiB`,
    );
    if (!chromiumPath()) {
      console.log(
        "browser figures skipped: chromium is not installed (apt-get install -y chromium)",
      );
      return;
    }
    await browserFigures(`${base}/?token=${token}`, imw, names[0], n);
  } finally {
    abort.abort();
    feed.close();
    await ui?.shutdown();
    await running?.catch(() => {});
    for (const c of clients) c.close();
    edge.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The benchmark. */
export const uiBench: Benchmark = {
  name: "ui",
  description:
    "kubestellar ui: first render at 1,000 clusters and 100 placements, event-to-screen latency",
  run,
};
