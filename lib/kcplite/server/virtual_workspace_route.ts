/**
 * Routing of the APIExport virtual workspace (kcp-spec §1.7):
 * `/services/apiexport/<export cluster>/<export>/clusters/<consumer|*>/<kubernetes path>`.
 * The export's resources are served for every consumer cluster that binds the export;
 * `*` lists and watches across all of them. Callers need the request's verb on
 * `apiexports/content` (named after the export) in the export's cluster.
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";
import type { RequestAttributes, UserInfo } from "../auth/rbac.ts";
import type { ClusterBackend, VirtualWorkspace } from "./cluster_backend.ts";

/** A request addressed to an APIExport virtual workspace. */
export interface VirtualWorkspaceRoute {
  /** The export's logical cluster (id when it resolves, else as written). */
  exportCluster: string;
  exportName: string;
  workspace: VirtualWorkspace;
  /** The path after the `/services/apiexport/<cluster>/<export>` prefix. */
  rest: string;
}

const PREFIX = /^\/services\/apiexport\/([^/]+)\/([^/]+)(\/.*)?$/;

function notFound(): StatusError {
  return new StatusError(404, "NotFound", "the server could not find the requested resource");
}

/** The route of a `/services/…` path; throws 404 for anything that is not a served VW. */
export function routeVirtualWorkspace(
  path: string,
  backend: ClusterBackend,
): VirtualWorkspaceRoute {
  const m = PREFIX.exec(path);
  if (!m) throw notFound();
  const [, cluster, exportName, rest = "/"] = m;
  const consumer = /^\/clusters\/([^/]+)/.exec(rest)?.[1];
  if (!consumer || (consumer !== "*" && consumer.includes(":"))) throw notFound();
  const workspace = backend.virtualWorkspace(cluster, exportName);
  if (!workspace) throw notFound();
  return {
    exportCluster: backend.resolveCluster(cluster) ?? cluster,
    exportName,
    workspace,
    rest,
  };
}

/** The consumer cluster id of a routed request (undefined for `*`); 404 when not bound. */
export function consumerCluster(route: VirtualWorkspaceRoute, segment: string | undefined) {
  if (segment === undefined) return undefined;
  const ws = route.workspace;
  const bound = ws.bindsCluster ? ws.bindsCluster(segment) : ws.boundClusters().includes(segment);
  if (!bound) throw notFound();
  return segment;
}

/** The attributes checked in the export's cluster for a request through the VW. */
export function contentAttributes(
  route: VirtualWorkspaceRoute,
  user: UserInfo,
  verb: string,
): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: "apis.kcp.io",
    resource: "apiexports",
    subresource: "content",
    name: route.exportName,
  };
}
