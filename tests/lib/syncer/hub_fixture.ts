/**
 * Test fixture for the syncer: kcp-lite in kcp mode with `root:espw` exporting the edge
 * API, an inventory workspace `root:imw1` holding SyncTargets, mailbox workspaces
 * `root:espw:<imw id>-mb-<uid>` bound to the edge API and to `root:compute`'s
 * `kubernetes` export, and kube-mode kcp-lite servers standing in for WECs.
 *
 * @module
 */
import { join } from "node:path";
import { eventually as pollUntil } from "../../support/eventually.ts";
import { ensureObject, ensureWorkspace } from "../../support/kcp_setup_objects.ts";
import { startKcpLite } from "../../../lib/kcplite/kcp_lite_server.ts";
import {
  type ControlPlane,
  type ControlPlaneOptions,
  startControlPlane,
  startKubeCluster,
} from "../../support/control_plane.ts";
import { edgeApiBinding, edgeApiExportObjects } from "../../../lib/edge/api_export.ts";
import { waitForBinding } from "../../../lib/core/api_bindings.ts";
import { computeRbacObjects } from "../../../lib/core/compute_exports.ts";
import { EDGE_API_VERSION, EDGE_KEYS, mailboxName } from "../../../lib/edge/api_types.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, type RestClient, restClientFor } from "../../../lib/kube/rest_client.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";
import { serverForCluster } from "../../../lib/kube/rest_paths.ts";

/** Workspaces resource. */
export const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
/** SyncTargets. */
export const SYNC_TARGETS = {
  group: "edge.kubestellar.io",
  version: "v2alpha1",
  resource: "synctargets",
};
/** SyncerConfigs. */
export const SYNCER_CONFIGS = {
  group: "edge.kubestellar.io",
  version: "v2alpha1",
  resource: "syncerconfigs",
};
const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };
const SCHEMAS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiresourceschemas" };

/** A running hub. */
export interface Hub {
  cp: ControlPlane;
  admin: RestClient;
  adminConfig: RestConfig;
  /** Logical cluster id of `root:imw1`. */
  imwCluster: string;
  /**
   * Stops the server, runs `during` while it is down, keeps it down for `downMs` in
   * all, and starts it again on the same port (admin tokens change; `admin` is renewed).
   */
  restart(downMs: number, during?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** One mailbox. */
export interface Mailbox {
  name: string;
  path: string;
  syncTargetName: string;
  syncTargetUid: string;
  client: RestClient;
  /** Admin connection into the mailbox. */
  config: RestConfig;
}

export { ensureWorkspace };

/**
 * `eventually` of `tests/support/eventually.ts`; with `SYNCER_TEST_TIMING` set it also
 * prints how long the wait took.
 */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const t0 = Date.now();
  const v = await pollUntil(what, fn, timeoutMs);
  if (Deno.env.get("SYNCER_TEST_TIMING")) console.error(`${what}: ${Date.now() - t0} ms`);
  return v;
}

/**
 * Sets up a fresh kcp server as `kubestellar init` would for the syncer: root:compute's
 * extended RBAC, `root:espw` exporting the edge API, `root:imw1` bound to it. Resolves
 * to the IMW's logical cluster.
 */
export async function prepareHub(admin: RestClient): Promise<string> {
  const compute = admin.withCluster("root:compute");
  for (const obj of computeRbacObjects()) {
    const plural = obj.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings";
    await ensureObject(
      compute,
      { group: "rbac.authorization.k8s.io", version: "v1", resource: plural },
      obj,
    );
  }
  compute.close();
  await ensureWorkspace(admin, "root", "espw");
  const espw = admin.withCluster("root:espw");
  const { schemas, apiExport } = await edgeApiExportObjects();
  for (const s of schemas) await ensureObject(espw, SCHEMAS, s);
  await ensureObject(espw, API_EXPORTS, apiExport);
  espw.close();
  const imwWs = await ensureWorkspace(admin, "root", "imw1");
  const imw = admin.withCluster("root:imw1");
  await ensureObject(imw, API_BINDINGS, edgeApiBinding("bind-espw", "root:espw"));
  await waitForBinding(imw, "bind-espw");
  imw.close();
  return String((imwWs.spec as { cluster?: string }).cluster);
}

/** Options of `startHub`. */
export interface HubOptions extends ControlPlaneOptions {
  /** Run kcp-lite in-process on a fixed port so `restart` can stop and start it. */
  restartable?: boolean;
}

async function startRestartableLite(): Promise<
  ControlPlane & { restart(downMs: number, during?: () => Promise<void>): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "kcp-lite-syncer-" });
  let server = await startKcpLite({
    rootDirectory: dir,
    securePort: 0,
    bindAddress: "127.0.0.1",
    mode: "kcp",
  });
  const port = Number(new URL(server.url).port);
  const cp = {
    kubeconfigPath: server.adminKubeconfigPath,
    url: server.url,
    rootDirectory: dir,
    async stop() {
      await server.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
    async restart(downMs: number, during?: () => Promise<void>) {
      await server.stop();
      const t0 = Date.now();
      await during?.();
      const left = downMs - (Date.now() - t0);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      server = await startKcpLite({
        rootDirectory: dir,
        securePort: port,
        bindAddress: "127.0.0.1",
        mode: "kcp",
      });
    },
  };
  return cp;
}

/** Starts kcp-lite with the ESPW and an IMW. */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const lite = options.restartable ? await startRestartableLite() : undefined;
  const cp = lite ?? await startControlPlane(options);
  const connect = async () => {
    const kc = await loadKubeconfig({ kubeconfig: cp.kubeconfigPath, context: "base" });
    return await kc.restConfig();
  };
  let adminConfig = await connect();
  let admin = restClientFor(adminConfig);
  try {
    const imwCluster = await prepareHub(admin);
    const hub: Hub = {
      cp,
      admin,
      adminConfig,
      imwCluster,
      async restart(downMs, during) {
        if (!lite) throw new Error("startHub({ restartable: true }) is needed to restart");
        admin.close();
        await lite.restart(downMs, during);
        adminConfig = await connect();
        admin = restClientFor(adminConfig);
        hub.admin = admin;
        hub.adminConfig = adminConfig;
      },
      async stop() {
        hub.admin.close();
        await cp.stop();
      },
    };
    return hub;
  } catch (e) {
    admin.close();
    await cp.stop();
    throw e;
  }
}

/** Creates SyncTarget `name` in `root:imw1` and its mailbox (as the mailbox controller). */
export async function addMailbox(hub: Hub, syncTargetName: string): Promise<Mailbox> {
  const imw = hub.admin.withCluster("root:imw1");
  const st = await ensureObject(imw, SYNC_TARGETS, {
    apiVersion: EDGE_API_VERSION,
    kind: "SyncTarget",
    metadata: { name: syncTargetName, labels: { id: syncTargetName } },
    spec: {},
  });
  imw.close();
  const uid = st.metadata!.uid!;
  const name = mailboxName(hub.imwCluster, uid);
  await ensureWorkspace(hub.admin, "root:espw", name, {
    [EDGE_KEYS.syncTargetName]: syncTargetName,
  });
  const path = `root:espw:${name}`;
  const client = hub.admin.withCluster(path);
  await ensureObject(client, API_BINDINGS, edgeApiBinding("bind-edge", "root:espw"));
  await ensureObject(client, API_BINDINGS, {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIBinding",
    metadata: { name: "bind-kube" },
    spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
  });
  await waitForBinding(client, "bind-edge");
  await waitForBinding(client, "bind-kube");
  return {
    name,
    path,
    syncTargetName,
    syncTargetUid: uid,
    client,
    config: { ...hub.adminConfig, server: serverForCluster(hub.adminConfig.server, path) },
  };
}

/** Writes the mailbox's SyncerConfig `the-one` (create or replace). */
export async function putSyncerConfig(mb: Mailbox, spec: Record<string, unknown>): Promise<void> {
  const ref = { ...SYNCER_CONFIGS, name: "the-one" };
  const body = {
    apiVersion: EDGE_API_VERSION,
    kind: "SyncerConfig",
    metadata: { name: "the-one" },
    spec,
  };
  for (let attempt = 0;; attempt++) {
    try {
      const cur = await mb.client.get<KubeObject>(ref).catch(() => undefined);
      if (!cur) {
        await mb.client.create(SYNCER_CONFIGS, body);
      } else {
        await mb.client.update(ref, {
          ...body,
          metadata: { ...body.metadata, resourceVersion: cur.metadata!.resourceVersion },
        });
      }
      return;
    } catch (e) {
      if (attempt > 5) throw e;
    }
  }
}

/** A kube-mode WEC with an admin client. */
export interface Wec {
  cluster: ControlPlane;
  config: RestConfig;
  client: RestClient;
  stop(): Promise<void>;
}

/** Starts a WEC. */
export async function startWec(): Promise<Wec> {
  const cluster = await startKubeCluster();
  const config = await (await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath })).restConfig();
  const client = restClientFor(config);
  return {
    cluster,
    config,
    client,
    async stop() {
      client.close();
      await cluster.stop();
    },
  };
}

/** A temporary directory path joined with `name`. */
export function tempPath(dir: string, name: string): string {
  return join(dir, name);
}

/** The syncer's own connection to a mailbox (its ServiceAccount token, as prep-for-syncer makes). */
export async function syncerConnection(hub: Hub, mb: Mailbox): Promise<RestConfig> {
  const { ensureSyncerCredentials } = await import(
    "../../../lib/syncer_prep/mailbox_credentials.ts"
  );
  const { syncerId } = await import("../../../lib/syncer_prep/syncer_identity.ts");
  const token = await ensureSyncerCredentials(mb.client, {
    id: syncerId(mb.syncTargetName, mb.syncTargetUid),
    syncTargetUid: mb.syncTargetUid,
    say: () => {},
  });
  return {
    server: serverForCluster(hub.adminConfig.server, mb.path),
    caData: hub.adminConfig.caData,
    token,
    namespace: "default",
    contextName: "",
    clusterName: "",
    userName: "",
  };
}
