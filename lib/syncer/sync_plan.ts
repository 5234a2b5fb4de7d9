/**
 * What a syncer must keep in step, computed from its mailbox's SyncerConfig
 * (controllers-spec §1.7, §5.3): the downsync selection (per resource: every object,
 * every object of some namespaces, or named objects, plus the Namespace of every
 * namespaced selection) and the upsync clauses.
 *
 * A plan is a pure value: `wantsDownsync` answers "should this mailbox object be in the
 * WEC?" without any server call.
 *
 * @example
 * ```ts
 * const plan = planFromSyncerConfig(syncerConfig);
 * plan.wantsDownsync({ group: "apps", version: "v1", resource: "deployments" }, "ns1", "web");
 * ```
 *
 * @module
 */
import type { SyncerConfig, UpsyncSet } from "../edge/api_types.ts";

/** A group/version/resource. */
export interface ResourceId {
  group: string;
  version: string;
  resource: string;
}

/** The Namespace resource. */
export const NAMESPACES: ResourceId = { group: "", version: "v1", resource: "namespaces" };
/** The CustomResourceDefinition resource. */
export const CRDS: ResourceId = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
};

/** The map key of a resource: `group/version/resource`. */
export function resourceKey(id: ResourceId): string {
  return `${id.group}/${id.version}/${id.resource}`;
}

/** Parses a `resourceKey`. */
export function parseResourceKey(key: string): ResourceId {
  const [group, version, resource] = key.split("/");
  return { group, version, resource };
}

/** The downsync selection of one resource. */
export interface ResourceSelection {
  id: ResourceId;
  /** True for namespaced resources. */
  namespaced: boolean;
  /** Every object of the resource (cluster-scoped `objects` absent). */
  all: boolean;
  /** Namespaces whose every object is selected. */
  wholeNamespaces: Set<string>;
  /** Selected objects: `name` (cluster-scoped) or `namespace/name`. */
  names: Set<string>;
}

/** A syncer's current task. */
export interface SyncPlan {
  /** Downsync selections keyed by `resourceKey`. */
  downsync: Map<string, ResourceSelection>;
  /** Upsync clauses as given. */
  upsync: UpsyncSet[];
  /** Whether `namespace/name` of `id` is to be downsynced. */
  wantsDownsync(id: ResourceId, namespace: string, name: string): boolean;
  /** Named objects of the plan (the wildcard parts are not listed). */
  namedObjects(): Array<{ id: ResourceId; namespace: string; name: string }>;
}

function selection(
  plan: Map<string, ResourceSelection>,
  id: ResourceId,
  namespaced: boolean,
): ResourceSelection {
  const key = resourceKey(id);
  let sel = plan.get(key);
  if (!sel) {
    sel = { id, namespaced, all: false, wholeNamespaces: new Set(), names: new Set() };
    plan.set(key, sel);
  }
  return sel;
}

function objectName(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Builds a plan from a SyncerConfig (undefined: nothing to sync). */
export function planFromSyncerConfig(config: SyncerConfig | undefined): SyncPlan {
  const downsync = new Map<string, ResourceSelection>();
  const spec = config?.spec ?? {};
  const addNamespace = (ns: string) => selection(downsync, NAMESPACES, false).names.add(ns);
  const scope = spec.namespaceScope ?? {};
  for (const ns of scope.namespaces ?? []) {
    addNamespace(ns);
    for (const r of scope.resources ?? []) {
      const id = { group: r.group ?? "", version: r.apiVersion, resource: r.resource };
      selection(downsync, id, true).wholeNamespaces.add(ns);
    }
  }
  for (const r of spec.namespacedObjects ?? []) {
    const id = { group: r.group ?? "", version: r.apiVersion, resource: r.resource };
    for (const byNs of r.objectsByNamespace ?? []) {
      if ((byNs.names ?? []).length === 0) continue;
      addNamespace(byNs.namespace);
      const sel = selection(downsync, id, true);
      for (const name of byNs.names) {
        if (name === "*") sel.wholeNamespaces.add(byNs.namespace);
        else sel.names.add(objectName(byNs.namespace, name));
      }
    }
  }
  for (const r of spec.clusterScope ?? []) {
    const id = { group: r.group ?? "", version: r.apiVersion, resource: r.resource };
    if (r.objects === undefined || r.objects === null) {
      selection(downsync, id, false).all = true;
      continue;
    }
    if (r.objects.length === 0) continue;
    const sel = selection(downsync, id, false);
    for (const name of r.objects) {
      if (name === "*") sel.all = true;
      else sel.names.add(name);
    }
  }
  return {
    downsync,
    upsync: spec.upsync ?? [],
    wantsDownsync(id, namespace, name) {
      const sel = downsync.get(resourceKey(id));
      if (!sel) return false;
      if (sel.all) return true;
      if (namespace && sel.wholeNamespaces.has(namespace)) return true;
      return sel.names.has(objectName(namespace, name));
    },
    namedObjects() {
      const found: Array<{ id: ResourceId; namespace: string; name: string }> = [];
      for (const sel of downsync.values()) {
        for (const n of sel.names) {
          const slash = sel.namespaced ? n.indexOf("/") : -1;
          found.push(
            slash < 0
              ? { id: sel.id, namespace: "", name: n }
              : { id: sel.id, namespace: n.slice(0, slash), name: n.slice(slash + 1) },
          );
        }
      }
      return found;
    },
  };
}

/** Whether an upsync clause selects `namespace/name` (`*` and absent lists match all). */
export function upsyncMatches(
  clause: UpsyncSet,
  group: string,
  resource: string,
  namespace: string,
  name: string,
): boolean {
  if ((clause.apiGroup ?? "") !== group) return false;
  if (!clause.resources.includes(resource) && !clause.resources.includes("*")) return false;
  const nss = clause.namespaces ?? [];
  if (namespace && nss.length > 0 && !nss.includes("*") && !nss.includes(namespace)) return false;
  const names = clause.names ?? [];
  return names.length === 0 || names.includes("*") || names.includes(name);
}

/**
 * Orders resources so that Namespaces come first and CRDs next, then the rest: what a
 * fresh WEC needs before the objects that live in them or are defined by them.
 */
export function dependencyRank(id: ResourceId): number {
  if (resourceKey(id) === resourceKey(NAMESPACES)) return 0;
  if (resourceKey(id) === resourceKey(CRDS)) return 1;
  return 2;
}
