/**
 * Test fixture for the placement translator on kcp-lite (kcp mode): `root:espw` with the
 * edge APIExport, an inventory workspace `root:imw1` with SyncTarget/Location pairs and
 * their mailbox workspaces (made here as the mailbox controller would), workload
 * management workspaces bound to the edge API and `root:compute`'s `kubernetes`
 * export, and SinglePlacementSlices written directly (as the where-resolver would).
 *
 * @module
 */
import { waitForBinding } from "../../../../lib/core/api_bindings.ts";
import { edgeApiBinding, edgeApiExportObjects } from "../../../../lib/edge/api_export.ts";
import { EDGE_API_VERSION, EDGE_KEYS, mailboxName } from "../../../../lib/edge/api_types.ts";
import { loadKubeconfig } from "../../../../lib/kubeconfig/kubeconfig.ts";
import {
  type KubeObject,
  type RestClient,
  restClientFor,
} from "../../../../lib/kube/rest_client.ts";
import { isNotFound } from "../../../../lib/kube/rest_errors.ts";
import {
  type ControlPlane,
  type ControlPlaneOptions,
  startControlPlane,
} from "../../../support/control_plane.ts";
import { eventually } from "../../../support/eventually.ts";
import { ensureObject as ensure, ensureWorkspace } from "../../../support/kcp_setup_objects.ts";

/** REST coordinates used by the tests. */
export const R = {
  workspaces: { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" },
  bindings: { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" },
  exports: { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" },
  schemas: { group: "apis.kcp.io", version: "v1alpha1", resource: "apiresourceschemas" },
  syncTargets: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" },
  locations: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "locations" },
  placements: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "edgeplacements" },
  slices: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "singleplacementslices" },
  customizers: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "customizers" },
  syncerConfigs: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "syncerconfigs" },
  namespaces: { version: "v1", resource: "namespaces" },
  configmaps: { version: "v1", resource: "configmaps" },
  events: { version: "v1", resource: "events" },
  deployments: { group: "apps", version: "v1", resource: "deployments" },
  crds: { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
};

/** A running hub. */
export interface Hub {
  cp: ControlPlane;
  /** `system:admin` client (wildcard reads, every workspace). */
  admin: RestClient;
  imwCluster: string;
  stop(): Promise<void>;
}

/** One inventory entry and its mailbox. */
export interface Destination {
  cluster: string;
  locationName: string;
  syncTargetName: string;
  syncTargetUID: string;
  mailbox: string;
  /** Client on the mailbox workspace. */
  client: RestClient;
}

export { ensure, ensureWorkspace, eventually };

/** GET, or undefined on NotFound. */
export async function getOrUndefined(
  client: RestClient,
  ref: { group?: string; version: string; resource: string; namespace?: string; name: string },
): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(ref);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** A client with the `system:admin` context of a control plane's admin kubeconfig. */
export async function adminClient(cp: ControlPlane): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig: cp.kubeconfigPath, context: "system:admin" });
  return restClientFor(await kc.restConfig());
}

/** Starts kcp-lite with the ESPW (edge export) and `root:imw1`. */
export async function startHub(options: ControlPlaneOptions = {}): Promise<Hub> {
  const cp = await startControlPlane(options);
  const admin = await adminClient(cp);
  const stop = async () => {
    admin.close();
    await cp.stop();
  };
  try {
    await ensureWorkspace(admin, "root", "espw");
    const espw = admin.withCluster("root:espw");
    const { schemas, apiExport } = await edgeApiExportObjects();
    for (const s of schemas) await ensure(espw, R.schemas, s);
    await ensure(espw, R.exports, apiExport);
    espw.close();
    const imwWs = await ensureWorkspace(admin, "root", "imw1");
    await bindEdge(admin, "root:imw1", "bind-espw");
    return { cp, admin, imwCluster: String((imwWs.spec as { cluster?: string }).cluster), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function bindEdge(admin: RestClient, path: string, name: string): Promise<void> {
  const c = admin.withCluster(path);
  try {
    await ensure(c, R.bindings, edgeApiBinding(name, "root:espw"));
    await waitForBinding(c, name);
  } finally {
    c.close();
  }
}

/** A WMW bound to the edge API and to `root:compute`'s `kubernetes` export. */
export async function addWmw(
  hub: Hub,
  name: string,
): Promise<{ cluster: string; client: RestClient }> {
  const ws = await ensureWorkspace(hub.admin, "root", name);
  await bindEdge(hub.admin, `root:${name}`, "bind-espw");
  const client = hub.admin.withCluster(`root:${name}`);
  await ensure(client, R.bindings, {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIBinding",
    metadata: { name: "bind-kubernetes" },
    spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
  });
  await waitForBinding(client, "bind-kubernetes");
  return { cluster: String((ws.spec as { cluster?: string }).cluster), client };
}

/**
 * A SyncTarget/Location pair in `root:imw1` (as `ensure location` makes it) and its
 * mailbox workspace with the edge binding (as the mailbox controller makes it).
 */
export async function addLocation(
  hub: Hub,
  name: string,
  labels: Record<string, string>,
): Promise<Destination> {
  const imw = hub.admin.withCluster("root:imw1");
  let st: KubeObject;
  try {
    st = await ensure(imw, R.syncTargets, {
      apiVersion: EDGE_API_VERSION,
      kind: "SyncTarget",
      metadata: { name, labels: { id: name, ...labels } },
      spec: {},
    });
    await ensure(imw, R.locations, {
      apiVersion: EDGE_API_VERSION,
      kind: "Location",
      metadata: { name, labels },
      spec: {
        resource: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" },
        instanceSelector: { matchLabels: { id: name } },
      },
    });
  } finally {
    imw.close();
  }
  const uid = st.metadata!.uid!;
  const mailbox = mailboxName(hub.imwCluster, uid);
  await ensureWorkspace(hub.admin, "root:espw", mailbox, { [EDGE_KEYS.syncTargetName]: name });
  await bindEdge(hub.admin, `root:espw:${mailbox}`, "bind-edge");
  return {
    cluster: hub.imwCluster,
    locationName: name,
    syncTargetName: name,
    syncTargetUID: uid,
    mailbox,
    client: hub.admin.withCluster(`root:espw:${mailbox}`),
  };
}

/** Writes the SinglePlacementSlice of placement `name` (create or replace). */
export async function putSlice(
  wmw: RestClient,
  name: string,
  destinations: Destination[],
): Promise<void> {
  const dests = destinations.map(({ cluster, locationName, syncTargetName, syncTargetUID }) => ({
    cluster,
    locationName,
    syncTargetName,
    syncTargetUID,
  }));
  const ref = { ...R.slices, name };
  const cur = await getOrUndefined(wmw, ref);
  const body = {
    apiVersion: EDGE_API_VERSION,
    kind: "SinglePlacementSlice",
    metadata: { name, ...(cur ? { resourceVersion: cur.metadata!.resourceVersion } : {}) },
    destinations: dests,
  };
  if (cur) await wmw.update(ref, body);
  else await wmw.create(R.slices, body);
}
