/**
 * What APIBindings make a workspace serve (kcp-spec §3.4): the `ResourceDef`s of the
 * APIResourceSchemas behind each Bound binding, tagged with the export's identity, and
 * the APIExport virtual workspace (an export's resources plus the clusters bound to it).
 * Results are cached and dropped whenever a binding, export or schema changes.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef } from "../api/resource_def.ts";
import { StaticRegistry } from "../api/static_registry.ts";
import {
  type APIResourceSchema,
  apiResourceSchemaToResourceDefs,
} from "../api/api_resource_schema.ts";
import type { VirtualWorkspace } from "../server/cluster_backend.ts";
import type { ObjectStore, StoreWatch } from "../store/object_store.ts";
import { R } from "./kcp_kinds.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";

/** One entry of `status.boundResources`. */
export interface BoundResource {
  group: string;
  resource: string;
  schema: { name: string; UID?: string; identityHash: string };
  storageVersions: string[];
}

/** The served versions of an APIResourceSchema as bound `ResourceDef`s with the export identity. */
export function schemaToResourceDefs(schema: KubeObject, identity: string): ResourceDef[] {
  return apiResourceSchemaToResourceDefs(schema as APIResourceSchema, identity);
}

/** A resource bound in a cluster and the export it comes from. */
export interface BoundExport {
  group: string;
  resource: string;
  /** The export's logical cluster id. */
  exportCluster: string;
  exportName: string;
}

/** `status.boundResources` of a binding. */
export function boundResourcesOf(binding: KubeObject | undefined): BoundResource[] {
  const list = (binding?.status as { boundResources?: BoundResource[] } | undefined)
    ?.boundResources;
  return Array.isArray(list) ? list : [];
}

/** True when the binding is Bound. */
export function isBound(binding: KubeObject): boolean {
  return (binding.status as { phase?: string } | undefined)?.phase === "Bound";
}

/** Bound resources per cluster and export virtual workspaces, cached over store watches. */
export class BoundResourceIndex {
  readonly #store: ObjectStore;
  readonly #dir: LogicalClusterDirectory;
  readonly #byCluster = new Map<string, ResourceDef[]>();
  readonly #exportsByCluster = new Map<string, BoundExport[]>();
  #all: ResourceDef[] | undefined;
  readonly #watches: StoreWatch[];
  /** Called after anything cached was dropped (registries may rebuild). */
  onChange?: (cluster: string | undefined) => void;

  constructor(store: ObjectStore, dir: LogicalClusterDirectory) {
    this.#store = store;
    this.#dir = dir;
    const drop = (cluster: string | undefined) => {
      if (cluster === undefined) {
        this.#byCluster.clear();
        this.#exportsByCluster.clear();
      } else {
        this.#byCluster.delete(cluster);
        this.#exportsByCluster.delete(cluster);
      }
      this.#all = undefined;
      this.onChange?.(cluster);
    };
    this.#watches = [
      store.watch({ resource: R.bindings }, undefined, (ev) => drop(ev.key.cluster)),
      store.watch({ resource: R.schemas }, undefined, () => drop(undefined)),
      store.watch({ resource: R.exports }, undefined, () => drop(undefined)),
    ];
  }

  /** Stops following the store. */
  stop(): void {
    for (const w of this.#watches) w.stop();
  }

  #schema(cluster: string, name: string): KubeObject | undefined {
    return this.#store.get({ cluster, resource: R.schemas, namespace: "", name });
  }

  /** The resources the Bound bindings of a cluster serve. */
  defsFor(cluster: string): ResourceDef[] {
    const cached = this.#byCluster.get(cluster);
    if (cached) return cached;
    const defs: ResourceDef[] = [];
    for (const b of this.#store.list({ cluster, resource: R.bindings }).items) {
      if (!isBound(b)) continue;
      const exportCluster = (b.status as { apiExportClusterName?: string }).apiExportClusterName;
      if (!exportCluster) continue;
      for (const br of boundResourcesOf(b)) {
        const schema = this.#schema(exportCluster, br.schema.name);
        if (schema) defs.push(...schemaToResourceDefs(schema, br.schema.identityHash));
      }
    }
    this.#byCluster.set(cluster, defs);
    return defs;
  }

  /** Which export each resource bound in the cluster comes from (Bound bindings only). */
  exportsFor(cluster: string): BoundExport[] {
    const cached = this.#exportsByCluster.get(cluster);
    if (cached) return cached;
    const out: BoundExport[] = [];
    for (const b of this.#store.list({ cluster, resource: R.bindings }).items) {
      if (!isBound(b)) continue;
      const exportCluster = (b.status as { apiExportClusterName?: string }).apiExportClusterName;
      const exportName = (b.spec as { reference?: { export?: { name?: string } } } | undefined)
        ?.reference?.export?.name;
      if (!exportCluster || !exportName) continue;
      for (const r of boundResourcesOf(b)) {
        out.push({ group: r.group, resource: r.resource, exportCluster, exportName });
      }
    }
    this.#exportsByCluster.set(cluster, out);
    return out;
  }

  /** Every bound resource of every cluster, one per identity and group/version/resource. */
  allDefs(): ResourceDef[] {
    if (this.#all) return this.#all;
    const seen = new Set<string>();
    const out: ResourceDef[] = [];
    for (const id of this.#dir.ids()) {
      for (const d of this.defsFor(id)) {
        const k = `${d.identity}/${d.group}/${d.version}/${d.resource}`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push(d);
        }
      }
    }
    return this.#all = out;
  }

  /** The virtual workspace of export `name` in the cluster `exportCluster` (an id). */
  virtualWorkspace(exportCluster: string, name: string): VirtualWorkspace | undefined {
    const exp = this.#store.get({
      cluster: exportCluster,
      resource: R.exports,
      namespace: "",
      name,
    });
    const identity = (exp?.status as { identityHash?: string } | undefined)?.identityHash;
    if (!exp || !identity) return undefined;
    const schemaNames = (exp.spec as { latestResourceSchemas?: string[] }).latestResourceSchemas ??
      [];
    const defs = schemaNames.flatMap((n) => {
      const s = this.#schema(exportCluster, n);
      return s ? schemaToResourceDefs(s, identity) : [];
    });
    const store = this.#store;
    return {
      resources: new StaticRegistry(defs),
      boundClusters(): string[] {
        const ids = new Set<string>();
        for (const b of store.list({ resource: R.bindings }).items) {
          const st = b.status as { apiExportClusterName?: string } | undefined;
          const ref = (b.spec as { reference?: { export?: { name?: string } } } | undefined)
            ?.reference?.export;
          const cluster = b.metadata?.annotations?.["kcp.io/cluster"];
          if (
            isBound(b) && st?.apiExportClusterName === exportCluster && ref?.name === name &&
            cluster
          ) {
            ids.add(cluster);
          }
        }
        return [...ids].sort();
      },
    };
  }
}
