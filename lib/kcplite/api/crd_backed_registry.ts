/**
 * The resources one logical cluster serves: built-ins, resources bound through
 * APIBindings (supplied by the kcp layer) and the established CRDs stored in that
 * cluster. The CRD part is cached and rebuilt after any CRD write in the cluster (a
 * store watch); bound resources are re-read whenever the provider returns a different
 * array, or after {@link CrdBackedRegistry.invalidate}.
 *
 * Priority when names collide (kcp-spec §3.4–§3.6): built-ins (kcp's system CRDs) win
 * over bound resources, which win over local CRDs. A CRD whose group/plural or
 * group/version/kind is already served is not served at all (kcp refuses such a CRD
 * on create; {@link CrdBackedRegistry.shadowingDef} tells the server why).
 *
 * @example
 * ```ts
 * const reg = new CrdBackedRegistry(store, clusterId, kcpModeBuiltins(), () => bound);
 * reg.lookup("example.com", "v1", "widgets"); // served once the CRD is established
 * reg.close();
 * ```
 *
 * @module
 */
import type { ObjectStore, StoreWatch } from "../store/object_store.ts";
import {
  crdToResourceDefs,
  type CustomResourceDefinition,
  isCrdEstablished,
} from "./crd_conversion.ts";
import { type ResourceDef, type ResourceRegistry, storageResourceOf } from "./resource_def.ts";
import { StaticRegistry } from "./static_registry.ts";

/** The store key of CRDs. */
export const CRD_STORAGE_RESOURCE = storageResourceOf(
  "apiextensions.k8s.io",
  "customresourcedefinitions",
);

/** Supplies the resources bound in the cluster (kcp mode); return the same array while unchanged. */
export type BoundResourceProvider = () => readonly ResourceDef[];

/** A cluster's registry over built-ins, bound resources and stored CRDs. */
export class CrdBackedRegistry implements ResourceRegistry {
  readonly #store: ObjectStore;
  readonly #cluster: string;
  readonly #base: readonly ResourceDef[];
  readonly #extra?: BoundResourceProvider;
  #watch?: StoreWatch;
  #crdDefs?: ResourceDef[];
  #lastExtra?: readonly ResourceDef[];
  #merged?: StaticRegistry;

  constructor(
    store: ObjectStore,
    cluster: string,
    baseDefs: readonly ResourceDef[],
    extraDefs?: BoundResourceProvider,
  ) {
    this.#store = store;
    this.#cluster = cluster;
    this.#base = baseDefs;
    this.#extra = extraDefs;
    this.#watch = store.watch(
      { cluster, resource: CRD_STORAGE_RESOURCE },
      undefined,
      () => this.#dropCrds(),
    );
  }

  /** Forget cached bound resources and CRDs; the next call rebuilds. */
  invalidate(): void {
    this.#dropCrds();
    this.#lastExtra = undefined;
  }

  /** Stops watching the store. */
  close(): void {
    this.#watch?.stop();
    this.#watch = undefined;
  }

  all(): ResourceDef[] {
    return this.#registry().all();
  }

  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.#registry().lookup(group, version, resource);
  }

  lookupKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.#registry().lookupKind(group, version, kind);
  }

  /**
   * The built-in or bound resource a CRD would collide with (same group and plural, or
   * same group/version/kind), if any; such a CRD is not served.
   */
  shadowingDef(crd: CustomResourceDefinition): ResourceDef | undefined {
    return firstShadow(this.#preferred(), crdToResourceDefs(crd), crd);
  }

  #dropCrds(): void {
    this.#crdDefs = undefined;
    this.#merged = undefined;
  }

  #preferred(): ResourceDef[] {
    return [...this.#base, ...(this.#extra?.() ?? [])];
  }

  #registry(): StaticRegistry {
    const extra = this.#extra?.();
    if (extra !== this.#lastExtra) {
      this.#lastExtra = extra;
      this.#merged = undefined;
    }
    if (this.#merged) return this.#merged;
    const preferred = [...this.#base, ...(extra ?? [])];
    if (!this.#crdDefs) this.#crdDefs = this.#loadCrds(preferred);
    // Workspaces without CRDs and with the same bound resources share one registry.
    this.#merged = this.#crdDefs.length === 0
      ? sharedRegistry(this.#base, extra ?? NO_DEFS)
      : new StaticRegistry([...preferred, ...this.#crdDefs]);
    return this.#merged;
  }

  #loadCrds(preferred: ResourceDef[]): ResourceDef[] {
    const { items } = this.#store.list({
      cluster: this.#cluster,
      resource: CRD_STORAGE_RESOURCE,
    });
    const defs: ResourceDef[] = [];
    for (const item of items) {
      const crd = item as CustomResourceDefinition;
      if (!crd.spec?.names || !isCrdEstablished(crd)) continue;
      const own = crdToResourceDefs(crd);
      if (firstShadow(preferred, own, crd)) continue;
      defs.push(...own);
    }
    return defs;
  }
}

const NO_DEFS: readonly ResourceDef[] = [];
const shared = new WeakMap<
  readonly ResourceDef[],
  WeakMap<readonly ResourceDef[], StaticRegistry>
>();

/** The registry of `base` + `extra`, one per pair of lists. */
function sharedRegistry(
  base: readonly ResourceDef[],
  extra: readonly ResourceDef[],
): StaticRegistry {
  let byExtra = shared.get(base);
  if (!byExtra) shared.set(base, byExtra = new WeakMap());
  let registry = byExtra.get(extra);
  if (!registry) byExtra.set(extra, registry = new StaticRegistry([...base, ...extra]));
  return registry;
}

function firstShadow(
  preferred: readonly ResourceDef[],
  own: ResourceDef[],
  crd: CustomResourceDefinition,
): ResourceDef | undefined {
  const group = crd.spec?.group;
  const plural = crd.spec?.names?.plural;
  return preferred.find((p) =>
    p.group === group &&
    (p.resource === plural || own.some((o) => o.version === p.version && o.kind === p.kind))
  );
}
