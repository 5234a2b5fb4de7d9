/**
 * A {@link ResourceRegistry} over a fixed list of definitions, with constant-time lookups
 * by group/version/plural and group/version/kind. The first definition of a
 * group/version/plural wins, so callers list higher-priority definitions first.
 * Returned definitions are shared: treat them as read-only.
 *
 * @example
 * ```ts
 * const reg = new StaticRegistry(kubeModeBuiltins());
 * reg.lookupKind("", "v1", "ConfigMap")?.resource; // "configmaps"
 * ```
 *
 * @module
 */
import { compareDefs } from "./builtin_def.ts";
import type { ResourceDef, ResourceRegistry } from "./resource_def.ts";

/** A registry of a fixed set of resources. */
export class StaticRegistry implements ResourceRegistry {
  readonly #all: ResourceDef[];
  readonly #byResource = new Map<string, ResourceDef>();
  readonly #byKind = new Map<string, ResourceDef>();

  constructor(defs: readonly ResourceDef[]) {
    const kept: ResourceDef[] = [];
    for (const def of defs) {
      const rk = `${def.group}/${def.version}/${def.resource}`;
      if (this.#byResource.has(rk)) continue;
      this.#byResource.set(rk, def);
      const kk = `${def.group}/${def.version}/${def.kind}`;
      if (!this.#byKind.has(kk)) this.#byKind.set(kk, def);
      kept.push(def);
    }
    this.#all = kept.sort(compareDefs);
  }

  all(): ResourceDef[] {
    return [...this.#all];
  }

  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.#byResource.get(`${group}/${version}/${resource}`);
  }

  lookupKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.#byKind.get(`${group}/${version}/${kind}`);
  }
}
