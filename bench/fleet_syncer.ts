/**
 * The syncer figure of the fleet benchmark: one `kubestellar syncer` process for a
 * mailbox that already holds many objects, syncing into a fresh edge cluster (kcp-lite
 * in kube mode, its own process): the time until every projected object of the mailbox
 * is in the edge cluster, and the syncer's resident memory then.
 *
 * @module
 */
import { join } from "node:path";
import { EDGE_KEYS } from "../lib/edge/api_types.ts";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, restClientFor } from "../lib/kube/rest_client.ts";
import type { RestConfig } from "../lib/kube/rest_config.ts";
import { serverForCluster } from "../lib/kube/rest_paths.ts";
import { rssBytes } from "./process_usage.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import { startSyncerProcess } from "./syncer_process.ts";

const CM = { version: "v1", resource: "configmaps" };
const PROJECTED = { labelSelector: `${EDGE_KEYS.projected}=yes` };

/** What `syncerFullSync` measured. */
export interface SyncerFigures {
  objects: number;
  ms: number;
  rss: number;
}

/** Runs one syncer for `mailbox` (with `admin`'s credentials) into a fresh edge cluster. */
export async function syncerFullSync(
  admin: RestConfig,
  mailbox: string,
  syncTargetName: string,
  syncTargetUid: string,
  dir: string,
): Promise<SyncerFigures> {
  const server = serverForCluster(admin.server, `root:espw:${mailbox}`);
  const mb = restClientFor({ ...admin, server });
  const objects = (await mb.list<KubeObject>(CM, PROJECTED)).items.length;
  mb.close();
  const wecDir = join(dir, "wec");
  await Deno.mkdir(wecDir, { recursive: true });
  const wec = await startKcpLiteProcess(wecDir, "kube");
  const wecClient = restClientFor(
    await (await loadKubeconfig({ kubeconfig: wec.adminKubeconfigPath })).restConfig(),
  );
  const t0 = performance.now();
  const child = await startSyncerProcess(
    { ...admin, server },
    wec.adminKubeconfigPath,
    { name: syncTargetName, uid: syncTargetUid },
    dir,
  );
  try {
    const deadline = t0 + 600_000;
    for (;;) {
      const have = (await wecClient.list<KubeObject>(CM, PROJECTED)).items.length;
      if (have >= objects) break;
      if (performance.now() > deadline) {
        throw new Error(`the syncer synced ${have} of ${objects} objects in 10 minutes`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const ms = performance.now() - t0;
    return { objects, ms, rss: await rssBytes(child.pid) };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    wecClient.close();
    await wec.stop();
  }
}
