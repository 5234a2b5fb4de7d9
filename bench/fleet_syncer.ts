/**
 * The syncer figure of the fleet benchmark: one `kubestellar syncer` process for a
 * mailbox that already holds many objects, syncing into a fresh edge cluster (kcp-lite
 * in kube mode, its own process): the time until every projected object of the mailbox
 * is in the edge cluster, and the syncer's resident memory then.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { EDGE_KEYS } from "../lib/edge/api_types.ts";
import { type KubeObject, restClientFor } from "../lib/kube/rest_client.ts";
import type { RestConfig } from "../lib/kube/rest_config.ts";
import { serverForCluster } from "../lib/kube/rest_paths.ts";
import { rssBytes } from "./fleet_support.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";

const MAIN = join(fileURLToPath(import.meta.url), "..", "..", "main.ts");
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
  const kubeconfig = join(dir, "mailbox.kubeconfig");
  const user: Record<string, string> = {};
  if (admin.token) user.token = admin.token;
  if (admin.certData) user["client-certificate-data"] = btoa(admin.certData);
  if (admin.keyData) user["client-key-data"] = btoa(admin.keyData);
  await Deno.writeTextFile(
    kubeconfig,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{
        name: "mb",
        cluster: { server, "certificate-authority-data": btoa(admin.caData ?? "") },
      }],
      users: [{ name: "u", user }],
      contexts: [{ name: "c", context: { cluster: "mb", user: "u" } }],
      "current-context": "c",
    }),
    { mode: 0o600 },
  );
  const wecClient = restClientFor(
    await (await import("../lib/kubeconfig/kubeconfig.ts")).loadKubeconfig({
      kubeconfig: wec.adminKubeconfigPath,
    }).then((kc) => kc.restConfig()),
  );
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "syncer",
      "--from-kubeconfig",
      kubeconfig,
      "--to-kubeconfig",
      wec.adminKubeconfigPath,
      "--sync-target-name",
      syncTargetName,
      "--sync-target-uid",
      syncTargetUid,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
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
