/**
 * How controllers reach the `edge.kubestellar.io` objects of every workspace that binds
 * the edge APIExport (design §5, controllers-spec §0.4 generation A). This module reads
 * the APIExport `edge.kubestellar.io` in the ESPW, waiting (with back-off and a log
 * line) until `kubestellar init` has created it, then offers two ways in:
 *
 * - `openEdgeView`: the export's virtual workspace (`status.virtualWorkspaces[0].url`),
 *   as upstream's controllers did — `/clusters/*` lists and watches every bound
 *   workspace, `/clusters/<id>` reads and writes one; needs only `apiexports/content`
 *   on the export (the root context's user). Falls back to the wildcard below when the
 *   server publishes no virtual workspace URL.
 * - `wildcard(resource)`: the shard-wide `/clusters/*` with the export's identity
 *   (`synctargets:<identity hash>`), for a client allowed to read every cluster.
 *
 * @example
 * ```ts
 * const edge = await waitForEdgeExport(ctx, signal);
 * const view = openEdgeView(edge, ctx);
 * const lw = restListWatch(view.all, view.ref("synctargets"));
 * ```
 *
 * @module
 */
import { describeError } from "../../cli/errors.ts";
import type { Clock } from "../../controller/clock.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import { EDGE_GROUP, EDGE_VERSION } from "../../edge/api_types.ts";
import { type KubeObject, type ResourceRef, RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };

/** The edge export as seen by a controller. */
export interface EdgeExport {
  /** The export's identity hash. */
  identityHash: string;
  /** Logical cluster id of the ESPW. */
  espwCluster: string;
  /** The export's virtual workspace URL, when the server publishes one. */
  virtualWorkspaceUrl?: string;
  /** The wildcard-ready address of an edge resource (`synctargets`, …). */
  wildcard(resource: string): ResourceRef;
  /** The address of an edge resource inside one workspace. */
  local(resource: string): ResourceRef;
}

/** Builds an `EdgeExport` from a fetched APIExport. */
export function edgeExportFrom(apiExport: KubeObject): EdgeExport | undefined {
  const hash = (apiExport.status as { identityHash?: string } | undefined)?.identityHash;
  if (!hash) return undefined;
  const vws =
    (apiExport.status as { virtualWorkspaces?: Array<{ url?: string }> }).virtualWorkspaces;
  return {
    identityHash: hash,
    espwCluster: apiExport.metadata?.annotations?.["kcp.io/cluster"] ?? "",
    virtualWorkspaceUrl: vws?.find((v) => v.url)?.url,
    wildcard: (resource) => ({
      group: EDGE_GROUP,
      version: EDGE_VERSION,
      resource: `${resource}:${hash}`,
    }),
    local: (resource) => ({ group: EDGE_GROUP, version: EDGE_VERSION, resource }),
  };
}

/** Resolves once the ESPW's edge APIExport has an identity (undefined if aborted). */
export async function waitForEdgeExport(
  ctx: { client: RestClient; espwPath: string; log: Logger; clock: Clock },
  signal: AbortSignal,
): Promise<EdgeExport | undefined> {
  const espw = ctx.client.withCluster(ctx.espwPath);
  try {
    let delay = 100;
    let warned = false;
    while (!signal.aborted) {
      let why = "it has no identity yet";
      try {
        const found = edgeExportFrom(
          await espw.get<KubeObject>({ ...API_EXPORTS, name: EDGE_EXPORT_NAME }),
        );
        if (found) return found;
      } catch (e) {
        why = describeError(e);
      }
      if (!warned) {
        ctx.log.warn(
          `waiting for APIExport ${EDGE_EXPORT_NAME} in ${ctx.espwPath} (has 'kubestellar init' run?)`,
          { reason: why },
        );
        warned = true;
      }
      await ctx.clock.sleep(delay, signal);
      delay = Math.min(delay * 2, 5_000);
    }
    return undefined;
  } finally {
    espw.close();
  }
}

/** The edge objects of every bound workspace, through one client. */
export interface EdgeView {
  /** How the objects are reached (for logs). */
  via: "virtual workspace" | "wildcard";
  /** Lists and watches across every bound workspace (use with `ref`). */
  all: RestClient;
  /** The address of an edge resource for `all`. */
  ref(resource: string): ResourceRef;
  /** A client for one bound workspace by logical cluster id, for `local` refs (close it). */
  workspace(clusterId: string): RestClient;
  /** The address of an edge resource inside one workspace. */
  local(resource: string): ResourceRef;
  close(): void;
}

/**
 * Opens the view of the edge objects: through the export's virtual workspace with
 * `client`'s credentials when there is one, else through `/clusters/*` with
 * `allClusters`'s.
 */
export function openEdgeView(
  edge: EdgeExport,
  clients: { client: RestClient; allClusters: RestClient },
): EdgeView {
  const url = edge.virtualWorkspaceUrl;
  if (url) {
    const base = new RestClient({ ...clients.client.config, server: url });
    const all = base.withCluster("*");
    return {
      via: "virtual workspace",
      all,
      ref: edge.local,
      workspace: (id) => base.withCluster(id),
      local: edge.local,
      close() {
        all.close();
        base.close();
      },
    };
  }
  const all = clients.allClusters.withCluster("*");
  return {
    via: "wildcard",
    all,
    ref: edge.wildcard,
    workspace: (id) => clients.allClusters.withCluster(id),
    local: edge.local,
    close: () => all.close(),
  };
}
