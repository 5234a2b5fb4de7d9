/**
 * Addresses of the `edge.kubestellar.io` resources across every workspace that binds
 * the edge APIExport: kcp serves bound resources under `/clusters/*` only with the
 * export's identity (`synctargets:<identity hash>`), which this module reads from the
 * APIExport `edge.kubestellar.io` in the ESPW, waiting (with back-off and a log line)
 * until `kubestellar init` has created it.
 *
 * @example
 * ```ts
 * const edge = await waitForEdgeExport(ctx, signal);
 * const lw = restListWatch(ctx.allClusters.withCluster("*"), edge.wildcard("synctargets"));
 * ```
 *
 * @module
 */
import { describeError } from "../../cli/errors.ts";
import type { Clock } from "../../controller/clock.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import { EDGE_GROUP, EDGE_VERSION } from "../../edge/api_types.ts";
import type { KubeObject, ResourceRef, RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };

/** The edge export as seen by a controller. */
export interface EdgeExport {
  /** The export's identity hash. */
  identityHash: string;
  /** Logical cluster id of the ESPW. */
  espwCluster: string;
  /** The wildcard-ready address of an edge resource (`synctargets`, …). */
  wildcard(resource: string): ResourceRef;
  /** The address of an edge resource inside one workspace. */
  local(resource: string): ResourceRef;
}

/** Builds an `EdgeExport` from a fetched APIExport. */
export function edgeExportFrom(apiExport: KubeObject): EdgeExport | undefined {
  const hash = (apiExport.status as { identityHash?: string } | undefined)?.identityHash;
  if (!hash) return undefined;
  return {
    identityHash: hash,
    espwCluster: apiExport.metadata?.annotations?.["kcp.io/cluster"] ?? "",
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
