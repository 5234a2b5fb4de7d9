/**
 * The server calls of the `kubectl ws` commands, each addressed to one logical
 * cluster by path: get, list and create Workspaces, discovery as an access test, and
 * the APIBinding list checked after a switch.
 *
 * Not-found and already-exists answers carry kcp's own messages
 * (`workspaces.tenancy.kcp.io "x" not found`) whatever the server wrote.
 *
 * @example
 * ```ts
 * const ws = await getWorkspace(client, "root", "espw");
 * ```
 *
 * @module
 */
import type { KubeList, KubeObject, RestClient } from "../kube/rest_client.ts";
import { ApiError, isForbidden, isNotFound } from "../kube/rest_errors.ts";
import { type Workspace, WORKSPACES, type WorkspaceTypeReference } from "./workspace_object.ts";

/**
 * `ApiError` with the message kcp's client shows for a 404 on a Workspace read or a 409
 * on a create.
 */
function kcpMessage(e: unknown, name: string, op: "get" | "create"): unknown {
  if (!(e instanceof ApiError)) return e;
  if (e.code === 404 && op === "get") {
    return new ApiError(
      { ...e.status, message: `workspaces.tenancy.kcp.io "${name}" not found` },
      404,
    );
  }
  if (e.code === 409 && e.reason === "AlreadyExists" && op === "create") {
    return new ApiError(
      { ...e.status, message: `workspaces.tenancy.kcp.io "${name}" already exists` },
      409,
    );
  }
  return e;
}

/** Runs `fn` on a client for logical cluster `path`, closing it afterwards. */
export async function inCluster<T>(
  client: RestClient,
  path: string,
  fn: (c: RestClient) => Promise<T>,
): Promise<T> {
  const c = client.withCluster(path);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/** GET Workspace `name` in logical cluster `parent`. */
export async function getWorkspace(
  client: RestClient,
  parent: string,
  name: string,
): Promise<Workspace> {
  try {
    return await inCluster(client, parent, (c) => c.get<Workspace>({ ...WORKSPACES, name }));
  } catch (e) {
    throw kcpMessage(e, name, "get");
  }
}

/** LIST the Workspaces of logical cluster `path`. */
export async function listWorkspaces(client: RestClient, path: string): Promise<Workspace[]> {
  const list = await inCluster(client, path, (c) => c.list<Workspace>(WORKSPACES));
  return list.items ?? [];
}

/**
 * POST a Workspace named `name` into logical cluster `parent`, with `spec.type` and
 * `spec.location` when given.
 */
export async function postWorkspace(
  client: RestClient,
  parent: string,
  name: string,
  type?: WorkspaceTypeReference,
  location?: { selector: unknown },
): Promise<Workspace> {
  const spec: Record<string, unknown> = {};
  if (type) spec.type = type;
  if (location) spec.location = location;
  const body: Workspace = {
    apiVersion: `${WORKSPACES.group}/${WORKSPACES.version}`,
    kind: "Workspace",
    metadata: { name },
    spec,
  };
  try {
    return await inCluster(client, parent, (c) => c.create<Workspace>(WORKSPACES, body));
  } catch (e) {
    throw kcpMessage(e, name, "create");
  }
}

/**
 * How many API groups discovery shows in logical cluster `path` (the legacy core
 * group counts as one); "forbidden" when the server refused.
 */
export function countServerGroups(
  client: RestClient,
  path: string,
): Promise<number | "forbidden"> {
  return inCluster(client, path, async (c) => {
    let count = 0;
    for (const [discoveryPath, field] of [["/api", "versions"], ["/apis", "groups"]] as const) {
      try {
        const doc = await c.getPath<Record<string, unknown[] | undefined>>(discoveryPath);
        const items = doc?.[field] ?? [];
        count += field === "versions" ? (items.length > 0 ? 1 : 0) : items.length;
      } catch (e) {
        if (isForbidden(e)) return "forbidden";
        if (!isNotFound(e)) throw e;
      }
    }
    return count;
  });
}

/** One permission claim of an APIExport / APIBinding. */
export interface PermissionClaim {
  group?: string;
  resource?: string;
  identityHash?: string;
  state?: string;
  [field: string]: unknown;
}

/** The fields of an APIBinding the switch check reads. */
export interface ApiBinding extends KubeObject {
  spec?: { permissionClaims?: PermissionClaim[]; [field: string]: unknown };
  status?: { exportPermissionClaims?: PermissionClaim[]; [field: string]: unknown };
}

/** LIST the APIBindings of logical cluster `path`. */
export async function listApiBindings(client: RestClient, path: string): Promise<ApiBinding[]> {
  const list: KubeList<ApiBinding> = await inCluster(
    client,
    path,
    (c) =>
      c.list<ApiBinding>({ group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" }),
  );
  return list.items ?? [];
}
