/**
 * The spec of the SyncerConfig `the-one` of a mailbox (controllers-spec §1.7, §4.8):
 * namespaced objects grouped by resource and namespace, cluster-scoped objects by
 * resource, the union of upsync clauses, an empty `namespaceScope`. Objects that go to
 * the mailbox only (APIBindings) are left out. Entries are sorted so equal contents
 * give equal specs. The spec read back is also the record of which resources hold
 * projected copies (used after a restart to find copies that are no longer wanted).
 *
 * @module
 */
import type { SyncerConfig, UpsyncSet } from "../../edge/api_types.ts";
import { propagationMode } from "../../placement/resource_modes.ts";
import type { ApiResourceInfo } from "./discovery.ts";

/** A SyncerConfig spec. */
export type SyncerConfigSpec = SyncerConfig["spec"];

/** One object a mailbox holds. */
export interface MailboxEntry {
  info: ApiResourceInfo;
  namespace: string;
  name: string;
}

/** The spec for a mailbox holding `parts`, with the upsync clauses `upsync`. */
export function syncerConfigSpec(
  parts: Iterable<MailboxEntry>,
  upsync: UpsyncSet[],
): SyncerConfigSpec {
  const namespaced = new Map<
    string,
    { group: string; resource: string; apiVersion: string; byNs: Map<string, string[]> }
  >();
  const cluster = new Map<
    string,
    { group: string; resource: string; apiVersion: string; objects: string[] }
  >();
  for (const p of parts) {
    if (propagationMode(p.info.group, p.info.resource) !== "goes-to-edge") continue;
    const gr = `${p.info.group}/${p.info.resource}`;
    if (p.info.namespaced) {
      let e = namespaced.get(gr);
      if (!e) {
        e = {
          group: p.info.group,
          resource: p.info.resource,
          apiVersion: p.info.version,
          byNs: new Map(),
        };
        namespaced.set(gr, e);
      }
      const names = e.byNs.get(p.namespace) ?? [];
      names.push(p.name);
      e.byNs.set(p.namespace, names);
    } else {
      let e = cluster.get(gr);
      if (!e) {
        e = {
          group: p.info.group,
          resource: p.info.resource,
          apiVersion: p.info.version,
          objects: [],
        };
        cluster.set(gr, e);
      }
      e.objects.push(p.name);
    }
  }
  const byKey = <T>(m: Map<string, T>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  const spec: SyncerConfigSpec = { namespaceScope: {} };
  if (namespaced.size > 0) {
    spec.namespacedObjects = byKey(namespaced).map((e) => ({
      group: e.group,
      resource: e.resource,
      apiVersion: e.apiVersion,
      objectsByNamespace: [...e.byNs.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map((
        [namespace, names],
      ) => ({ namespace, names: [...names].sort() })),
    }));
  }
  if (cluster.size > 0) {
    spec.clusterScope = byKey(cluster).map((e) => ({
      group: e.group,
      resource: e.resource,
      apiVersion: e.apiVersion,
      objects: [...e.objects].sort(),
    }));
  }
  if (upsync.length > 0) spec.upsync = upsync;
  return spec;
}

/** One object a SyncerConfig lists. */
export interface ListedObject {
  group: string;
  resource: string;
  version: string;
  namespace: string;
  name: string;
}

/** Every object `spec` lists (wildcards left out). */
export function listedObjects(spec: SyncerConfigSpec | undefined): ListedObject[] {
  const out: ListedObject[] = [];
  for (const e of spec?.namespacedObjects ?? []) {
    for (const g of e.objectsByNamespace ?? []) {
      for (const name of g.names ?? []) {
        if (name !== "*") {
          out.push({
            group: e.group,
            resource: e.resource,
            version: e.apiVersion,
            namespace: g.namespace,
            name,
          });
        }
      }
    }
  }
  for (const e of spec?.clusterScope ?? []) {
    for (const name of e.objects ?? []) {
      out.push({
        group: e.group,
        resource: e.resource,
        version: e.apiVersion,
        namespace: "",
        name,
      });
    }
  }
  return out;
}
