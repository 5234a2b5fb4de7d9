/**
 * The APIExportEndpointSlice controller (kcp-spec §3.7): a slice naming an export
 * (`spec.export {path, name}`) gets `status.endpoints[].url`, the export's virtual
 * workspace URL, once the export exists; condition `APIExportValid` says why not.
 *
 * @module
 */
import type { ObjectStore } from "../store/object_store.ts";
import { R, setCondition } from "./kcp_kinds.ts";
import { virtualWorkspaceUrl } from "./apiexport_controller.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import { keyOf, type SystemWriter } from "./system_writer.ts";
import {
  joinKey,
  splitKey,
  startStoreController,
  type StoreController,
} from "./store_controller.ts";

/** Store key of the slices. */
export const ENDPOINT_SLICES = "apis.kcp.io/apiexportendpointslices";

/** What the controller needs. */
export interface EndpointSliceControllerOptions {
  store: ObjectStore;
  dir: LogicalClusterDirectory;
  writer: SystemWriter;
  serverUrl(): string;
  onError?(key: string, error: unknown): void;
}

/** Starts the controller. */
export function startEndpointSliceController(
  opts: EndpointSliceControllerOptions,
): StoreController {
  const { store, dir, writer } = opts;
  return startStoreController("apiexportendpointslices", store, [
    { scope: { resource: ENDPOINT_SLICES }, keys: (k) => [joinKey(k.cluster, k.name)] },
    {
      scope: { resource: R.exports },
      keys: () =>
        store.list({ resource: ENDPOINT_SLICES }).items.map((s) =>
          joinKey(s.metadata?.annotations?.["kcp.io/cluster"] ?? "", s.metadata!.name!)
        ),
    },
  ], (key) => {
    const { cluster, name } = splitKey(key);
    const sliceKey = keyOf(cluster, ENDPOINT_SLICES, name);
    const slice = store.get(sliceKey);
    if (!slice) return Promise.resolve();
    const ref = (slice.spec as { export?: { path?: string; name?: string } } | undefined)?.export;
    const path = ref?.path || dir.pathOf(cluster) || cluster;
    const exportCluster = dir.resolve(path);
    const exists = !!ref?.name && exportCluster !== undefined &&
      !!store.get(keyOf(exportCluster, R.exports, ref.name));
    writer.mutate(sliceKey, (o) => {
      const status = (o.status ??= {}) as Record<string, unknown>;
      if (!exists) {
        status.endpoints = [];
        setCondition(o, {
          type: "APIExportValid",
          status: "False",
          reason: "APIExportNotFound",
          message: `APIExport ${path}|${ref?.name ?? ""} not found`,
        });
        return;
      }
      status.endpoints = [{
        url: virtualWorkspaceUrl(opts.serverUrl(), exportCluster!, ref!.name!),
      }];
      setCondition(o, { type: "APIExportValid", status: "True" });
    });
    return Promise.resolve();
  }, { onError: opts.onError });
}
