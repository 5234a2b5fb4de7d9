/**
 * What APIBindings make a workspace serve (kcp-spec §3.4): the `ResourceDef`s of the
 * APIResourceSchemas behind each Bound binding, tagged with the export's identity, and
 * the APIExport virtual workspace (an export's resources plus the clusters bound to it).
 *
 * Kept incrementally from a watch of the bindings, so that the work for a binding event is
 * that binding (and its cluster's few others), whatever the number of workspaces: per cluster the schemas its
 * Bound bindings use, per export the clusters bound to it. The definitions of one schema
 * (for one identity) are built once and shared by every cluster that binds it — 10,000
 * mailboxes bound to the edge export hold one set of definitions, not 10,000 — and so is
 * the list of definitions of every cluster with the same bindings. A schema or export
 * change drops the shared definitions.
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

/** What one Bound binding uses. */
export interface BindingUse {
  /** Its bound resources with the export identity. */
  resources: { group: string; resource: string; identity: string }[];
  /** `exportCluster|schemaName|identity` of each bound resource. */
  schemaKeys: string[];
  exports: BoundExport[];
  /** `exportCluster|exportName`, when the binding names its export. */
  exportKey?: string;
}

/** What one cluster's Bound bindings use, combined in binding-name order. */
interface ClusterBindings {
  bindings: Map<string, BindingUse>;
  schemaKeys: string[];
  exports: BoundExport[];
  exportKeys: string[];
}

/** What a binding uses; undefined when it is not Bound. */
function bindingUse(b: KubeObject): BindingUse | undefined {
  if (!isBound(b)) return undefined;
  const exportCluster = (b.status as { apiExportClusterName?: string }).apiExportClusterName;
  const exportName = (b.spec as { reference?: { export?: { name?: string } } } | undefined)
    ?.reference?.export?.name;
  if (!exportCluster) return undefined;
  const use: BindingUse = { resources: [], schemaKeys: [], exports: [] };
  if (exportName) use.exportKey = `${exportCluster}|${exportName}`;
  for (const br of boundResourcesOf(b)) {
    use.resources.push({
      group: br.group,
      resource: br.resource,
      identity: br.schema.identityHash,
    });
    use.schemaKeys.push(schemaKey(exportCluster, br.schema.name, br.schema.identityHash));
    if (exportName) {
      use.exports.push({ group: br.group, resource: br.resource, exportCluster, exportName });
    }
  }
  return use;
}

const schemaKey = (exportCluster: string, schema: string, identity: string) =>
  `${exportCluster}|${schema}|${identity}`;

/** Bound resources per cluster and export virtual workspaces, kept over store watches. */
export class BoundResourceIndex {
  readonly #store: ObjectStore;
  readonly #clusters = new Map<string, ClusterBindings>();
  /** `exportCluster|exportName` → clusters bound to it. */
  readonly #byExport = new Map<string, Set<string>>();
  /** schema key → how many clusters use it. */
  readonly #schemaUse = new Map<string, number>();
  /** schema key → its definitions (shared). */
  readonly #schemaDefs = new Map<string, ResourceDef[]>();
  /** joined schema keys → the definitions of a cluster with those bindings (shared). */
  readonly #defLists = new Map<string, ResourceDef[]>();
  #all: ResourceDef[] | undefined;
  readonly #watches: StoreWatch[];
  /**
   * Called after what a cluster serves may have changed (`cluster`), or after what every
   * cluster serves together (`undefined`: the wildcard registry) changed.
   */
  onChange?: (cluster: string | undefined) => void;

  constructor(store: ObjectStore) {
    this.#store = store;
    const { items, resourceVersion } = store.list({ resource: R.bindings });
    for (const b of items) {
      const cluster = b.metadata?.annotations?.["kcp.io/cluster"];
      if (cluster) this.#update(cluster, b.metadata!.name!, bindingUse(b));
    }
    const dropDefs = () => {
      this.#schemaDefs.clear();
      this.#defLists.clear();
      this.#all = undefined;
      this.onChange?.(undefined);
      for (const c of this.#clusters.keys()) this.onChange?.(c);
    };
    this.#watches = [
      store.watch({ resource: R.bindings }, resourceVersion, (ev) => {
        const use = ev.type === "DELETED" ? undefined : bindingUse(ev.object);
        this.#update(ev.key.cluster, ev.key.name, use);
      }),
      store.watch({ resource: R.schemas }, undefined, dropDefs),
      store.watch({ resource: R.exports }, undefined, dropDefs),
    ];
  }

  /** Stops following the store. */
  stop(): void {
    for (const w of this.#watches) w.stop();
  }

  /** Records what binding `name` of `cluster` uses now and updates the indexes. */
  #update(cluster: string, name: string, use: BindingUse | undefined): void {
    const before = this.#clusters.get(cluster);
    // A binding that is not Bound and was not: nothing changes (a new binding's creation).
    if (!use && !before?.bindings.has(name)) return;
    const bindings = new Map(before?.bindings ?? []);
    if (use) bindings.set(name, use);
    else bindings.delete(name);
    const uses = [...bindings].sort((a, b) => a[0] < b[0] ? -1 : 1).map(([, u]) => u);
    const next: ClusterBindings = {
      bindings,
      schemaKeys: uses.flatMap((u) => u.schemaKeys),
      exports: uses.flatMap((u) => u.exports),
      exportKeys: uses.flatMap((u) => u.exportKey ? [u.exportKey] : []),
    };
    const same = before !== undefined &&
      before.schemaKeys.join("\n") === next.schemaKeys.join("\n") &&
      before.exportKeys.join("\n") === next.exportKeys.join("\n") &&
      JSON.stringify(before.exports) === JSON.stringify(next.exports);
    if (same) {
      before.bindings = bindings;
      return;
    }
    let allChanged = false;
    for (const k of before?.schemaKeys ?? []) {
      const n = (this.#schemaUse.get(k) ?? 1) - 1;
      if (n > 0) this.#schemaUse.set(k, n);
      else {
        this.#schemaUse.delete(k);
        allChanged = true;
      }
    }
    for (const k of next.schemaKeys) {
      const n = this.#schemaUse.get(k) ?? 0;
      if (n === 0) allChanged = true;
      this.#schemaUse.set(k, n + 1);
    }
    for (const k of before?.exportKeys ?? []) this.#byExport.get(k)?.delete(cluster);
    for (const k of next.exportKeys) {
      let set = this.#byExport.get(k);
      if (!set) this.#byExport.set(k, set = new Set());
      set.add(cluster);
    }
    if (bindings.size === 0) this.#clusters.delete(cluster);
    else this.#clusters.set(cluster, next);
    if (allChanged) {
      this.#all = undefined;
      this.onChange?.(undefined);
    }
    this.onChange?.(cluster);
  }

  /** The definitions of one schema key, built once. */
  #defsOf(key: string): ResourceDef[] {
    let defs = this.#schemaDefs.get(key);
    if (!defs) {
      const [exportCluster, name, identity] = key.split("|");
      const schema = this.#store.get({
        cluster: exportCluster,
        resource: R.schemas,
        namespace: "",
        name,
      });
      defs = schema ? schemaToResourceDefs(schema, identity) : [];
      this.#schemaDefs.set(key, defs);
    }
    return defs;
  }

  /** The resources the Bound bindings of a cluster serve (shared: do not change). */
  defsFor(cluster: string): ResourceDef[] {
    const keys = this.#clusters.get(cluster)?.schemaKeys ?? [];
    const joined = keys.join("\n");
    let defs = this.#defLists.get(joined);
    if (!defs) {
      defs = keys.flatMap((k) => this.#defsOf(k));
      this.#defLists.set(joined, defs);
    }
    return defs;
  }

  /** The Bound bindings of a cluster by name, and what each uses (do not change). */
  bindingsIn(cluster: string): ReadonlyMap<string, BindingUse> {
    return this.#clusters.get(cluster)?.bindings ?? new Map();
  }

  /** Which export each resource bound in the cluster comes from (Bound bindings only). */
  exportsFor(cluster: string): BoundExport[] {
    return this.#clusters.get(cluster)?.exports ?? [];
  }

  /** Every bound resource of every cluster, one per identity and group/version/resource. */
  allDefs(): ResourceDef[] {
    if (this.#all) return this.#all;
    const seen = new Set<string>();
    const out: ResourceDef[] = [];
    for (const key of [...this.#schemaUse.keys()].sort()) {
      for (const d of this.#defsOf(key)) {
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
    const defs = schemaNames.flatMap((n) => this.#defsOf(schemaKey(exportCluster, n, identity)));
    const bound = () => this.#byExport.get(`${exportCluster}|${name}`) ?? new Set<string>();
    return {
      resources: new StaticRegistry(defs),
      boundClusters: () => [...bound()].sort(),
      bindsCluster: (id) => bound().has(id),
    };
  }
}
