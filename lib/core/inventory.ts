/**
 * SyncTarget/Location pairs in an inventory management workspace (commands-spec §7):
 * what `kubectl kubestellar ensure location` and `remove location` do once the
 * workspace is chosen. Works through the Kubernetes API only.
 *
 * @example
 * ```ts
 * await ensureLocation(client.withCluster("root:imw-1"), "demo1", [["env", "prod"]], out);
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { EDGE_GROUP, EDGE_VERSION, type Location, type SyncTarget } from "../edge/api_types.ts";
import { EDGE_EXPORT_NAME, edgeApiBinding } from "../edge/api_export.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { isAlreadyExists, isNotFound } from "../kube/rest_errors.ts";
import { createdLine, deletedLine, labeledLine } from "./kubectl_lines.ts";
import { waitForBinding } from "./api_bindings.ts";

const SYNC_TARGETS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" };
const LOCATIONS = { group: EDGE_GROUP, version: EDGE_VERSION, resource: "locations" };
const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

/** Where the edge API is exported from. */
export const DEFAULT_ESPW_PATH = "root:espw";

async function getOrUndefined<T = KubeObject>(
  client: RestClient,
  ref: typeof SYNC_TARGETS & { name: string },
): Promise<T | undefined> {
  try {
    return await client.get<T>(ref);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Ensures the workspace binds the edge API; prints a line when it creates the binding. */
export async function ensureEdgeBinding(
  client: RestClient,
  print: (line: string) => void,
  espwPath = DEFAULT_ESPW_PATH,
): Promise<void> {
  const existing = await getOrUndefined(client, { ...API_BINDINGS, name: EDGE_EXPORT_NAME });
  if (!existing) {
    try {
      await client.create(API_BINDINGS, edgeApiBinding(EDGE_EXPORT_NAME, espwPath));
      print(createdLine("APIBinding", "apis.kcp.io", EDGE_EXPORT_NAME));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  await waitForBinding(client, EDGE_EXPORT_NAME);
}

/**
 * Ensures SyncTarget and Location `name` exist in the client's workspace with at least
 * the given labels (the SyncTarget also `id=<name>`), and no Location `default`.
 */
export async function ensureLocation(
  client: RestClient,
  name: string,
  labels: Array<[string, string]>,
  print: (line: string) => void,
): Promise<void> {
  let st = await getOrUndefined<SyncTarget>(client, { ...SYNC_TARGETS, name });
  if (!st) {
    const body: SyncTarget = {
      apiVersion: `${EDGE_GROUP}/${EDGE_VERSION}`,
      kind: "SyncTarget",
      metadata: { name, labels: { id: name } },
    };
    st = await createOrFail(client, SYNC_TARGETS, body, "SyncTarget");
    print(createdLine("SyncTarget", EDGE_GROUP, name));
  }
  let loc = await getOrUndefined<Location>(client, { ...LOCATIONS, name });
  if (!loc) {
    const body: Location = {
      apiVersion: `${EDGE_GROUP}/${EDGE_VERSION}`,
      kind: "Location",
      metadata: { name },
      spec: {
        resource: { group: EDGE_GROUP, version: EDGE_VERSION, resource: "synctargets" },
        instanceSelector: { matchLabels: { id: name } },
      },
    };
    loc = await createOrFail(client, LOCATIONS, body, "Location");
    print(createdLine("Location", EDGE_GROUP, name));
  }
  if (name !== "default") {
    try {
      await client.delete({ ...LOCATIONS, name: "default" });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  for (const [key, value] of labels) {
    if (st.metadata.labels?.[key] !== value) {
      st = await labelOrFail<SyncTarget>(client, SYNC_TARGETS, name, key, value, "SyncTarget");
      print(labeledLine("SyncTarget", EDGE_GROUP, name));
    }
    if (loc.metadata.labels?.[key] !== value) {
      loc = await labelOrFail<Location>(client, LOCATIONS, name, key, value, "Location");
      print(labeledLine("Location", EDGE_GROUP, name));
    }
  }
}

async function createOrFail<T extends SyncTarget | Location>(
  client: RestClient,
  ref: typeof SYNC_TARGETS,
  body: T,
  kind: string,
): Promise<T> {
  try {
    return await client.create<T>(ref, body);
  } catch (e) {
    if (isAlreadyExists(e)) return await client.get<T>({ ...ref, name: body.metadata.name });
    throw new UserError(`Creation of ${kind} failed: ${(e as Error).message}`, 3);
  }
}

async function labelOrFail<T>(
  client: RestClient,
  ref: typeof SYNC_TARGETS,
  name: string,
  key: string,
  value: string,
  kind: string,
): Promise<T> {
  try {
    return await client.patch<T>(
      { ...ref, name },
      { metadata: { labels: { [key]: value } } },
      "merge",
    );
  } catch (e) {
    throw new UserError(`failed to add label to ${kind}: ${(e as Error).message}`, 4);
  }
}

/** Deletes SyncTarget and Location `name` where they exist; prints a line for each. */
export async function removeLocation(
  client: RestClient,
  name: string,
  print: (line: string) => void,
): Promise<void> {
  for (const [ref, kind] of [[SYNC_TARGETS, "SyncTarget"], [LOCATIONS, "Location"]] as const) {
    try {
      await client.delete({ ...ref, name });
      print(deletedLine(kind, EDGE_GROUP, name));
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
  }
}
