/**
 * Shared e2e fixtures for the edge control plane on a kcp control plane
 * (`startControlPlane()`): the ESPW `root:espw` with the edge APIResourceSchemas and
 * the APIExport `edge.kubestellar.io`, inventory workspaces (IMWs) bound to it,
 * workload management workspaces (WMWs) with `bind-espw` — what `kubestellar init`
 * sets up, done directly through the REST client so tests start fast — plus helpers to
 * write SyncTarget/Location pairs and EdgePlacements and to wait for conditions.
 *
 * @example
 * ```ts
 * const cp = await startControlPlane();
 * const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
 * try {
 *   await putSyncTargetAndLocation(edge.workspace("root:imw1"), "c1", { env: "prod" });
 *   await waitFor("a mailbox", async () => (await listMailboxes(edge)).length === 1);
 * } finally { edge.close(); await cp.stop(); }
 * ```
 *
 * @module
 */
import {
  EDGE_EXPORT_NAME,
  edgeApiBinding,
  edgeApiExportObjects,
} from "../../lib/edge/api_export.ts";
import {
  EDGE_API_VERSION,
  EDGE_GROUP,
  EDGE_VERSION,
  type EdgePlacement,
  type Location,
  type SyncTarget,
} from "../../lib/edge/api_types.ts";
import type { LabelSelector } from "../../lib/kube/label_selector.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { isAlreadyExists, isNotFound } from "../../lib/kube/rest_errors.ts";
import type { ControllerFlags } from "../../lib/controllers/runtime/controller_flags.ts";

/** Workspaces (`tenancy.kcp.io`). */
export const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
/** APIBindings. */
export const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
/** Edge resources in one workspace. */
export const SYNC_TARGETS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" };
export const LOCATIONS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "locations" };
export const EDGE_PLACEMENTS = {
  group: EDGE_GROUP,
  version: EDGE_VERSION,
  resource: "edgeplacements",
};
export const SPS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "singleplacementslices" };

/** Polls `check` until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

/** The edge control plane a test works with. */
export interface EdgeFixture {
  kubeconfigPath: string;
  /** kcp-admin on `root`. */
  root: RestClient;
  /** The shard admin (wildcard reads, writes by cluster id). */
  admin: RestClient;
  espwPath: string;
  /** A client for a workspace path or cluster id (closed by `close`). */
  workspace(pathOrId: string): RestClient;
  /** Logical cluster id of a workspace path. */
  clusterId(path: string): Promise<string>;
  /** Flags for an in-process controller against this control plane. */
  controllerFlags(overrides?: Partial<ControllerFlags>): ControllerFlags;
  close(): void;
}

/** Options of `setUpEdge`. */
export interface EdgeSetup {
  /** IMW names (children of root). */
  imws?: string[];
  /** WMW names (children of root). */
  wmws?: string[];
}

async function client(kubeconfigPath: string, context: string): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig: kubeconfigPath, context });
  return restClientFor(await kc.restConfig());
}

/** Creates a child workspace of root (if absent) and waits until it is Ready. */
export async function ensureRootChild(root: RestClient, name: string): Promise<KubeObject> {
  try {
    await root.create(WORKSPACES, {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      kind: "Workspace",
      metadata: { name },
    });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  let ws: KubeObject | undefined;
  await waitFor(`workspace root:${name} Ready`, async () => {
    const got = await root.get({ ...WORKSPACES, name });
    ws = got;
    return (got.status as { phase?: string } | undefined)?.phase === "Ready";
  });
  return ws!;
}

async function ensureCreated(
  c: RestClient,
  ref: typeof API_BINDINGS,
  body: KubeObject,
): Promise<void> {
  try {
    await c.create(ref, body);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

/** Waits until APIBinding `name` in `c`'s workspace is Bound. */
export async function waitBound(c: RestClient, name: string): Promise<void> {
  await waitFor(`APIBinding ${name} Bound`, async () => {
    const b = await c.get({ ...API_BINDINGS, name });
    return (b.status as { phase?: string } | undefined)?.phase === "Bound";
  });
}

/** Sets up `root:espw` with the edge export, and the given IMWs and WMWs bound to it. */
export async function setUpEdge(
  kubeconfigPath: string,
  setup: EdgeSetup = {},
): Promise<EdgeFixture> {
  const root = await client(kubeconfigPath, "root");
  const admin = await client(kubeconfigPath, "system:admin");
  const opened: RestClient[] = [];
  const workspace = (p: string) => {
    const c = root.withCluster(p);
    opened.push(c);
    return c;
  };
  const espwPath = "root:espw";
  const fixture: EdgeFixture = {
    kubeconfigPath,
    root,
    admin,
    espwPath,
    workspace,
    async clusterId(path) {
      const parent = path.slice(0, path.lastIndexOf(":"));
      const name = path.slice(path.lastIndexOf(":") + 1);
      const ws = await workspace(parent).get({ ...WORKSPACES, name });
      return String((ws.spec as { cluster?: string }).cluster);
    },
    controllerFlags(overrides = {}) {
      return {
        kubeconfig: kubeconfigPath,
        rootContext: "root",
        allClustersContext: "system:admin",
        espwPath,
        workers: 4,
        metricsHost: "127.0.0.1",
        metricsPort: 0,
        verbosity: 2,
        help: false,
        ...overrides,
      };
    },
    close() {
      for (const c of opened) c.close();
      root.close();
      admin.close();
    },
  };
  try {
    await ensureRootChild(root, "espw");
    const espw = workspace(espwPath);
    const { schemas, apiExport } = await edgeApiExportObjects();
    for (const s of schemas) {
      await ensureCreated(espw, {
        group: "apis.kcp.io",
        version: "v1alpha1",
        resource: "apiresourceschemas",
      }, s);
    }
    await ensureCreated(
      espw,
      { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" },
      apiExport,
    );
    await Promise.all([
      ...(setup.imws ?? []).map(async (name) => {
        await ensureRootChild(root, name);
        const c = workspace(`root:${name}`);
        await ensureCreated(c, API_BINDINGS, edgeApiBinding(EDGE_EXPORT_NAME, espwPath));
        await waitBound(c, EDGE_EXPORT_NAME);
      }),
      ...(setup.wmws ?? []).map(async (name) => {
        await ensureRootChild(root, name);
        const c = workspace(`root:${name}`);
        await ensureCreated(c, API_BINDINGS, edgeApiBinding("bind-espw", espwPath));
        await waitBound(c, "bind-espw");
      }),
    ]);
  } catch (e) {
    fixture.close();
    throw e;
  }
  return fixture;
}

/**
 * Creates or relabels SyncTarget and Location `name` (the `ensure location` shape: the
 * SyncTarget labelled `id=<name>` plus `labels`, the Location selecting `id=<name>`
 * and labelled `labels`). Returns the SyncTarget.
 */
export async function putSyncTargetAndLocation(
  imw: RestClient,
  name: string,
  labels: Record<string, string> = {},
): Promise<SyncTarget> {
  const st: SyncTarget = {
    apiVersion: EDGE_API_VERSION,
    kind: "SyncTarget",
    metadata: { name, labels: { id: name, ...labels } },
  };
  const loc: Location = {
    apiVersion: EDGE_API_VERSION,
    kind: "Location",
    metadata: { name, labels },
    spec: {
      resource: { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" },
      instanceSelector: { matchLabels: { id: name } },
    },
  };
  const stored = await upsert<SyncTarget>(imw, SYNC_TARGETS, st);
  await upsert(imw, LOCATIONS, loc);
  return stored;
}

/** Creates `obj`, or merge-patches its labels and spec when it exists. */
export async function upsert<T = KubeObject>(
  c: RestClient,
  ref: typeof SYNC_TARGETS,
  obj: { metadata: { name: string; labels?: Record<string, string> }; spec?: unknown },
): Promise<T> {
  try {
    return await c.create<T>(ref, obj);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const patch: Record<string, unknown> = { metadata: { labels: obj.metadata.labels ?? {} } };
    if (obj.spec !== undefined) patch.spec = obj.spec;
    return await c.patch<T>({ ...ref, name: obj.metadata.name }, patch, "merge");
  }
}

/** Deletes an object; absent is fine. */
export async function deleteIfPresent(
  c: RestClient,
  ref: typeof SYNC_TARGETS,
  name: string,
): Promise<void> {
  try {
    await c.delete({ ...ref, name });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Creates or updates EdgePlacement `name` with these location selectors. */
export function putEdgePlacement(
  wmw: RestClient,
  name: string,
  locationSelectors: LabelSelector[],
  spec: Partial<EdgePlacement["spec"]> = {},
): Promise<EdgePlacement> {
  return upsert<EdgePlacement>(wmw, EDGE_PLACEMENTS, {
    metadata: { name },
    spec: { locationSelectors, ...spec },
  });
}

/** The mailbox Workspaces in the ESPW (names containing `-mb-`). */
export async function listMailboxes(edge: EdgeFixture): Promise<KubeObject[]> {
  const list = await edge.workspace(edge.espwPath).list<KubeObject>(WORKSPACES);
  return list.items.filter((w) => w.metadata?.name?.includes("-mb-"));
}
