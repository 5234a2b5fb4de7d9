/**
 * Legacy (unaggregated) discovery documents (kcp-spec §8.7): `/api` (`APIVersions`),
 * `/apis` (`APIGroupList`), `/apis/<g>` (`APIGroup`) and `/api/v1`, `/apis/<g>/<v>`
 * (`APIResourceList`, including `<plural>/status`, `<plural>/scale` and other subresource
 * entries), computed from a {@link ResourceRegistry}.
 *
 * @example
 * ```ts
 * const list = apiResourceList(registry, "apps", "v1");
 * list?.resources.map((r) => r.name); // ["controllerrevisions", …, "deployments/scale", …]
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { compareVersionPriority } from "./builtin_def.ts";
import { apiVersionOf, type ResourceDef, type ResourceRegistry } from "./resource_def.ts";

/** One `resources[]` entry of an `APIResourceList`. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** `APIResourceList`. */
export interface APIResourceList {
  kind: "APIResourceList";
  apiVersion: "v1";
  groupVersion: string;
  resources: APIResource[];
}

/** `{groupVersion, version}`. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** `APIGroup`. */
export interface APIGroup {
  kind?: "APIGroup";
  apiVersion?: "v1";
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** `APIGroupList`. */
export interface APIGroupList {
  kind: "APIGroupList";
  apiVersion: "v1";
  groups: APIGroup[];
}

/** Verbs of `<plural>/status` and `<plural>/scale`. */
const SUBRESOURCE_VERBS = ["get", "patch", "update"];

/** `/api`: the core group's versions; `serverAddress` is `host:port` as the client saw it. */
export function legacyApiVersions(serverAddress = "") {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** Kubernetes' storage version hash: base64 of the first 8 bytes of sha256("g/v/Kind"). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256").update(`${group}/${version}/${kind}`).digest().subarray(0, 8)
    .toString("base64");
}

/** The subresources of a resource as discovery lists them, sorted by name. */
export function subresourcesOf(def: ResourceDef): {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}[] {
  const subs = [];
  if (def.subresources.status) {
    subs.push({
      name: "status",
      group: def.group,
      version: def.version,
      kind: def.kind,
      verbs: SUBRESOURCE_VERBS,
    });
  }
  if (def.subresources.scale) {
    subs.push({
      name: "scale",
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: SUBRESOURCE_VERBS,
    });
  }
  for (const s of def.extraSubresources ?? []) {
    subs.push({
      name: s.name,
      group: s.group ?? def.group,
      version: s.version ?? def.version,
      kind: s.kind,
      verbs: s.verbs,
    });
  }
  return subs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ ...s, verbs: [...s.verbs] }));
}

/** The main entry of a resource in an `APIResourceList`. */
function resourceEntry(def: ResourceDef): APIResource {
  const r: APIResource = {
    name: def.resource,
    singularName: def.singularName,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: [...def.verbs],
  };
  if (def.shortNames.length) r.shortNames = [...def.shortNames];
  if (def.categories.length) r.categories = [...def.categories];
  r.storageVersionHash = storageVersionHash(def.group, def.version, def.kind);
  return r;
}

/** `/api/v1` or `/apis/<g>/<v>`; undefined when the group/version serves nothing. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): APIResourceList | undefined {
  const defs = registry.all().filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: APIResource[] = [];
  for (const def of defs) {
    resources.push(resourceEntry(def));
    for (const s of subresourcesOf(def)) {
      const entry: APIResource = {
        name: `${def.resource}/${s.name}`,
        singularName: "",
        namespaced: def.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      };
      if (s.group !== def.group || s.version !== def.version) {
        entry.group = s.group;
        entry.version = s.version;
      }
      resources.push(entry);
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}

/**
 * The groups with their versions, preferred version first; built-in groups before the
 * groups of CRDs and bindings, as kube-apiserver lists them (kubectl resolves a resource
 * name served by several groups to the first group listed).
 */
export function servedGroups(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const all = registry.all();
  const builtinFirst = [
    ...all.filter((d) => d.source === "builtin"),
    ...all.filter((d) => d.source !== "builtin"),
  ];
  for (const d of builtinFirst) {
    const versions = groups.get(d.group) ?? [];
    if (!versions.includes(d.version)) versions.push(d.version);
    groups.set(d.group, versions);
  }
  for (const versions of groups.values()) versions.sort(compareVersionPriority);
  return groups;
}

function groupEntry(name: string, versions: string[]): APIGroup {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: { ...gvs[0] } };
}

/** `/apis`: every named group. */
export function apiGroupList(registry: ResourceRegistry): APIGroupList {
  const groups: APIGroup[] = [];
  for (const [name, versions] of servedGroups(registry)) {
    if (name !== "") groups.push(groupEntry(name, versions));
  }
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** `/apis/<g>`; undefined when the group is not served. */
export function apiGroup(registry: ResourceRegistry, group: string): APIGroup | undefined {
  if (group === "") return undefined;
  const versions = servedGroups(registry).get(group);
  if (!versions) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, versions) };
}
