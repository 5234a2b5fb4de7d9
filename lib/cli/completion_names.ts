/**
 * Names from the API for shell completion: workspaces (`--imw`, `kubectl ws`), SyncTarget
 * names (prep-for-*, `remove location`), workload management workspaces (`remove wmw`),
 * namespaces, and kubeconfig contexts. Each lookup connects as the command being completed
 * would (kubectl's flags already typed on the line apply) and gives up quietly after a
 * short time, so a slow or unreachable server never stalls the shell: no names is the
 * answer then.
 *
 * Loaded only for completions that need a name (it brings the kubeconfig and HTTP code).
 *
 * @module
 */
import { connectionFlags } from "./kubectl_flags.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import {
  type KubeObject,
  type ResourceRef,
  type RestClient,
  restClientFor,
} from "../kube/rest_client.ts";
import { joinPath, parseClusterUrl, ROOT_PATH } from "../workspace/workspace_path.ts";

/** The whole budget of one completion's API lookups (`KUBESTELLAR_COMPLETION_TIMEOUT`, ms). */
export function completionTimeoutMs(): number {
  const set = Number(Deno.env.get("KUBESTELLAR_COMPLETION_TIMEOUT") ?? "");
  return Number.isFinite(set) && set > 0 ? set : 2000;
}

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
const SYNC_TARGETS = { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" };
const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const NAMESPACES = { version: "v1", resource: "namespaces" };
const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };
/** The APIBinding every workload management workspace has (`lib/core/wmw.ts`). */
const WMW_BINDING = "bind-espw";

/** A connection for the words typed so far (their kubectl flags apply). */
export interface NameSource {
  /** A client on the current workspace of the selected context. */
  client: RestClient;
  /** The current workspace's path ("" when the server URL names none). */
  current: string;
  /** The kubeconfig's context names. */
  contexts: string[];
  close(): void;
}

/** Resolves `work` within `ms`, else to `fallback` (the work is left to the process exit). */
export function withinTime<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

/** Opens a name source for the typed words; undefined when no kubeconfig works. */
export async function openNameSource(typed: string[]): Promise<NameSource | undefined> {
  try {
    const kubeconfig = await loadKubeconfig(connectionFlags(typed));
    const contexts = kubeconfig.list("contexts").map((c) => c.name);
    const config = await kubeconfig.restConfig();
    const client = restClientFor(config);
    const current = parseClusterUrl(config.server)?.path ?? "";
    return { client, current, contexts, close: () => client.close() };
  } catch {
    return undefined;
  }
}

async function names(client: RestClient, ref: ResourceRef): Promise<string[]> {
  const list = await client.list<KubeObject>(ref);
  return (list.items ?? []).map((o) => o.metadata?.name ?? "").filter((n) => n !== "").sort();
}

/** Where a workspace argument as typed (`imw1`, `root:imw1`, `.`) points from `current`. */
export function workspaceArgumentPath(current: string, given: string | undefined): string {
  if (given === undefined || given === "" || given === ".") return current;
  if (given === ROOT_PATH || given.startsWith(`${ROOT_PATH}:`)) return given;
  return current ? joinPath(current, given) : given;
}

/**
 * Workspace paths for `partial`: with a colon, the children of the path before its last
 * colon (`root:im` → `root:imw1`); without, the current workspace's children by name and
 * root's children by absolute path.
 */
export async function workspaceNames(source: NameSource, partial: string): Promise<string[]> {
  const colon = partial.lastIndexOf(":");
  if (colon >= 0) {
    const parent = partial.slice(0, colon);
    const children = await names(source.client.withCluster(parent), WORKSPACES);
    return children.map((n) => joinPath(parent, n));
  }
  const [here, underRoot] = await Promise.all([
    source.current ? names(source.client, WORKSPACES).catch(() => []) : Promise.resolve([]),
    names(source.client.withCluster(ROOT_PATH), WORKSPACES).catch(() => []),
  ]);
  return [...here, ...underRoot.map((n) => joinPath(ROOT_PATH, n))];
}

/** SyncTarget names in the inventory workspace `imwPath`. */
export function syncTargetNames(source: NameSource, imwPath: string): Promise<string[]> {
  return names(source.client.withCluster(imwPath), SYNC_TARGETS);
}

/** The children of root that are workload management workspaces (they bind the ESPW). */
export async function wmwNames(source: NameSource): Promise<string[]> {
  const children = await names(source.client.withCluster(ROOT_PATH), WORKSPACES);
  const checked = await Promise.all(children.map(async (name) => {
    try {
      await source.client.withCluster(joinPath(ROOT_PATH, name)).get({
        ...API_BINDINGS,
        name: WMW_BINDING,
      });
      return name;
    } catch {
      return undefined;
    }
  }));
  return checked.filter((n): n is string => n !== undefined);
}

/** Namespace names in the current workspace. */
export function namespaceNames(source: NameSource): Promise<string[]> {
  return names(source.client, NAMESPACES);
}

/** `<path>:<export>` for each APIExport in workspace `path`. */
export async function exportNames(source: NameSource, path: string): Promise<string[]> {
  const exports = await names(source.client.withCluster(path), API_EXPORTS);
  return exports.map((n) => joinPath(path, n));
}
