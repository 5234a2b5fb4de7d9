/**
 * `WorkspaceType` resolution (kcp-spec §2.3): finding a type by reference, its
 * transitive `extend.with` set, the initializers and default APIBindings a workspace of
 * that type gets, and the parent/child constraints.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore, StoreWatch } from "../store/object_store.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import { A, LOGICAL_CLUSTER_NAME, R, ROOT } from "./kcp_kinds.ts";

/** A reference to a type: `{name, path}` (path of the workspace holding it). */
export interface TypeRef {
  name: string;
  path?: string;
}

/** A resolved type. */
export interface ResolvedType {
  name: string;
  /** Canonical path of the workspace holding it. */
  path: string;
  object: KubeObject;
}

/** A default binding of a type. */
export interface DefaultBinding {
  path: string;
  export: string;
}

interface TypeSpec {
  initializer?: boolean;
  extend?: { with?: TypeRef[] };
  defaultChildWorkspaceType?: TypeRef;
  limitAllowedChildren?: { none?: boolean; types?: TypeRef[] };
  limitAllowedParents?: { none?: boolean; types?: TypeRef[] };
  defaultAPIBindings?: DefaultBinding[];
}

/** `root:organization` for a resolved type or ref. */
export function typeText(t: { name: string; path?: string }): string {
  return t.path ? `${t.path}:${t.name}` : t.name;
}

/** Parses `root:organization` into a ref. */
export function parseTypeText(text: string): TypeRef {
  const i = text.lastIndexOf(":");
  return i < 0 ? { name: text } : { path: text.slice(0, i), name: text.slice(i + 1) };
}

function specOf(t: ResolvedType): TypeSpec {
  return (t.object.spec ?? {}) as TypeSpec;
}

/** Type lookups over the store. */
export class WorkspaceTypes {
  /** `cluster|name` → the WorkspaceType there (null: none); dropped on any type change. */
  readonly #cache = new Map<string, KubeObject | null>();
  readonly #watch: StoreWatch;

  constructor(readonly store: ObjectStore, readonly dir: LogicalClusterDirectory) {
    this.#watch = store.watch({ resource: R.workspaceTypes }, undefined, () => this.#cache.clear());
  }

  /** Stops following the store. */
  stop(): void {
    this.#watch.stop();
  }

  #get(clusterId: string, name: string): ResolvedType | undefined {
    const key = `${clusterId}|${name}`;
    let object = this.#cache.get(key);
    if (object === undefined) {
      object = this.store.get({
        cluster: clusterId,
        resource: R.workspaceTypes,
        namespace: "",
        name,
      }) ?? null;
      this.#cache.set(key, object);
    }
    if (!object) return undefined;
    return { name, path: this.dir.pathOf(clusterId) ?? clusterId, object };
  }

  /**
   * Resolves a reference seen from `fromCluster`: with a path, in that workspace; without,
   * in `fromCluster`, then each ancestor, finally `root`.
   */
  resolve(ref: TypeRef, fromCluster: string): ResolvedType | undefined {
    if (ref.path) {
      const id = this.dir.resolve(ref.path);
      return id === undefined ? undefined : this.#get(id, ref.name);
    }
    const seen = new Set<string>();
    for (
      let id: string | undefined = fromCluster;
      id && !seen.has(id);
      id = this.dir.parentOf(id)
    ) {
      seen.add(id);
      const t = this.#get(id, ref.name);
      if (t) return t;
    }
    return this.#get(ROOT, ref.name);
  }

  /** The type and every type it extends, transitively (the type first). */
  transitive(type: ResolvedType): ResolvedType[] {
    const out: ResolvedType[] = [];
    const seen = new Set<string>();
    const visit = (t: ResolvedType) => {
      const key = typeText(t);
      if (seen.has(key)) return;
      seen.add(key);
      out.push(t);
      for (const ref of specOf(t).extend?.with ?? []) {
        const parent = this.resolve(ref, this.dir.resolve(t.path) ?? ROOT);
        if (parent) visit(parent);
      }
    };
    visit(type);
    return out;
  }

  /** The type of a logical cluster (its LogicalCluster's `internal.tenancy.kcp.io/type`). */
  typeOfCluster(clusterId: string): ResolvedType | undefined {
    const lc = this.store.get({
      cluster: clusterId,
      resource: R.logicalClusters,
      namespace: "",
      name: LOGICAL_CLUSTER_NAME,
    });
    const text = lc?.metadata?.annotations?.[A.type];
    return text ? this.resolve(parseTypeText(text), clusterId) : undefined;
  }

  /** The default child type of a type, if it has one. */
  defaultChild(type: ResolvedType): TypeRef | undefined {
    const ref = specOf(type).defaultChildWorkspaceType;
    return ref?.name ? ref : undefined;
  }

  /** Initializers a workspace of this type starts with (type initializers, then apibindings). */
  initializers(type: ResolvedType): string[] {
    const all = this.transitive(type);
    const out = all.filter((t) => specOf(t).initializer).map((t) => typeText(t));
    if (this.defaultBindings(type).length > 0) out.push("system:apibindings");
    return out;
  }

  /** Default APIBindings of the type and the types it extends (deduplicated). */
  defaultBindings(type: ResolvedType): DefaultBinding[] {
    const out: DefaultBinding[] = [];
    for (const t of this.transitive(type)) {
      for (const b of specOf(t).defaultAPIBindings ?? []) {
        if (!out.some((x) => x.path === b.path && x.export === b.export)) out.push(b);
      }
    }
    return out;
  }

  /**
   * Why a child of type `child` may not be created under a parent of type `parent`, or
   * undefined when it may.
   */
  placementError(child: ResolvedType, parent: ResolvedType | undefined): string | undefined {
    const childSpec = specOf(child);
    if (childSpec.limitAllowedParents?.none) {
      return `workspace type ${typeText(child)} cannot have any parent`;
    }
    const implemented = parent ? this.transitive(parent).map((t) => typeText(t)) : [];
    const allowedParents = (childSpec.limitAllowedParents?.types ?? []).map((r) =>
      typeText({ name: r.name, path: r.path ?? ROOT })
    );
    if (allowedParents.length > 0 && !allowedParents.some((p) => implemented.includes(p))) {
      return `workspace type ${typeText(child)} only allows [${
        allowedParents.join(" ")
      }] parent workspaces, but parent type ${
        parent ? typeText(parent) : "<none>"
      } only implements [${implemented.join(" ")}]`;
    }
    if (!parent) return undefined;
    const parentSpec = specOf(parent);
    if (parentSpec.limitAllowedChildren?.none) {
      return `workspace type ${typeText(parent)} does not allow any child workspaces`;
    }
    const allowedChildren = (parentSpec.limitAllowedChildren?.types ?? []).map((r) =>
      typeText({ name: r.name, path: r.path ?? ROOT })
    );
    const childImplements = this.transitive(child).map((t) => typeText(t));
    if (
      allowedChildren.length > 0 && !allowedChildren.some((c) => childImplements.includes(c))
    ) {
      return `workspace type ${typeText(parent)} only allows [${
        allowedChildren.join(" ")
      }] child workspaces, but child type ${typeText(child)} only implements [${
        childImplements.join(" ")
      }]`;
    }
    return undefined;
  }
}
