/**
 * The "what" of every EdgePlacement of one workload management workspace, kept up to
 * date object by object (controllers-spec §4.3). For each placement it holds the keys
 * of the objects it selects (`PartRef`: keys and flags, never object copies — the
 * watcher's informer caches hold the only full copies) and the implicit definers of
 * the resources they belong to.
 *
 * - An object event looks up the placements whose tests can match the object's group,
 *   resource, namespace and name (`DownsyncTestIndex`) and evaluates only those.
 * - A Namespace whose labels changed re-evaluates, for the placements with namespace
 *   selectors, the objects of that namespace only.
 * - A CRD or APIBinding event recomputes the definers of the placements using resources.
 * - A placement is selected in full only when it is new, its tests changed, or the
 *   resources it covers changed (`select`), scanning only the namespaces its tests name
 *   when they all name some.
 *
 * Every change of what a placement selects, or of a selected object, is told to the
 * listener as `(placement, part key)`; the translator turns that into work on exactly
 * the mailboxes concerned.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import { DownsyncTestIndex } from "../../placement/downsync_test_index.ts";
import { CompiledPlacement, type EvaluationCounter, partKey } from "./compiled_placement.ts";
import { customizerRef } from "./customization.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import {
  coveredResources,
  definersOf,
  isCreateOnlySource,
  selectableResource,
  testCoversResource,
  type WorkspaceCatalog,
} from "./selection.ts";

/** One object a placement selects. */
export interface PartRef {
  info: ApiResourceInfo;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
  /** Index of the first matching downsync test; -1 for an implicit definer. */
  testIndex: number;
  createOnly: boolean;
  /** The Customizer the object names (`namespace/name`), if any. */
  customizer?: string;
}

/** What the selection reads: a catalog with keyed and per-namespace access. */
export interface SelectionCatalog extends WorkspaceCatalog {
  get(group: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  objectsIn(group: string, resource: string, namespace: string): KubeObject[] | undefined;
}

/** Told about every change. */
export interface SelectionListener {
  /** What `placement` selects as `key` appeared, went, or its object changed. */
  partChanged(placement: string, key: string): void;
}

interface PlacementWhat {
  cp: CompiledPlacement;
  explicit: Map<string, PartRef>;
  definers: Map<string, PartRef>;
  /** Selected (explicit) parts per `group/resource`: definers follow these. */
  used: Map<string, { info: ApiResourceInfo; count: number }>;
  selected: boolean;
}

const NS = { group: "", resource: "namespaces" };
const DEFINER_RESOURCES = new Set([
  "apiextensions.k8s.io/customresourcedefinitions",
  "apis.kcp.io/apibindings",
]);

function same(a: PartRef | undefined, b: PartRef | undefined): boolean {
  return a === b || (!!a && !!b && a.info === b.info && a.testIndex === b.testIndex &&
    a.createOnly === b.createOnly && a.customizer === b.customizer);
}

/** The incremental selection of one workspace. */
export class WmwSelection {
  readonly cluster: string;
  readonly catalog: SelectionCatalog;
  readonly #listener: SelectionListener;
  readonly #counter: EvaluationCounter;
  readonly #placements = new Map<string, PlacementWhat>();
  readonly #index = new DownsyncTestIndex();
  /** Customizer (`namespace/name`) → part keys of selected objects naming it → count. */
  readonly #customizerUsers = new Map<string, Map<string, number>>();

  constructor(
    catalog: SelectionCatalog,
    listener: SelectionListener,
    counter: EvaluationCounter,
  ) {
    this.cluster = catalog.cluster;
    this.catalog = catalog;
    this.#listener = listener;
    this.#counter = counter;
  }

  /** The compiled placement `key`. */
  compiled(key: string): CompiledPlacement | undefined {
    return this.#placements.get(key)?.cp;
  }

  /** True once `key` was selected in full at least once. */
  selected(key: string): boolean {
    return this.#placements.get(key)?.selected === true;
  }

  /** Keys of the selected objects that name Customizer `namespace/name`. */
  customizerUsers(namespace: string, name: string): string[] {
    return [...(this.#customizerUsers.get(`${namespace}/${name}`)?.keys() ?? [])];
  }

  /** What placement `key` selects as `part` (explicitly or as a definer). */
  partOf(key: string, part: string): PartRef | undefined {
    const p = this.#placements.get(key);
    return p?.explicit.get(part) ?? p?.definers.get(part);
  }

  /** Every part key placement `key` selects. */
  *partsOf(key: string): IterableIterator<string> {
    const p = this.#placements.get(key);
    if (!p) return;
    yield* p.explicit.keys();
    for (const k of p.definers.keys()) if (!p.explicit.has(k)) yield k;
  }

  /**
   * Takes placement `key` in (or its new version). Its tests are indexed at once, so
   * object events use them; resolves to true when they changed (`select` is then due).
   */
  setPlacement(key: string, placement: EdgePlacement): boolean {
    const p = this.#placements.get(key);
    const specText = (ep: EdgePlacement) => JSON.stringify([ep.spec?.downsync, ep.spec?.upsync]);
    if (p && specText(p.cp.placement) === specText(placement)) {
      p.cp = new CompiledPlacement(placement, this.#counter); // same tests, newer object
      return false;
    }
    const cp = new CompiledPlacement(placement, this.#counter);
    if (p) p.cp = cp;
    else {
      this.#placements.set(key, {
        cp,
        explicit: new Map(),
        definers: new Map(),
        used: new Map(),
        selected: false,
      });
    }
    this.#index.put(key, cp.tests);
    return true;
  }

  /** Forgets placement `key`; its parts are told as gone. */
  removePlacement(key: string): void {
    const p = this.#placements.get(key);
    if (!p) return;
    const parts = [...this.partsOf(key)];
    for (const [k, ref] of p.explicit) this.#drop(p, k, ref);
    this.#placements.delete(key);
    this.#index.remove(key);
    for (const k of parts) this.#listener.partChanged(key, k);
  }

  /** Selects placement `key` in full from the catalog (its tests or resources changed). */
  select(key: string): void {
    const p = this.#placements.get(key);
    if (!p) return;
    const before = new Map([...p.definers, ...p.explicit]);
    for (const [k, ref] of [...p.explicit]) this.#drop(p, k, ref);
    for (const info of coveredResources(p.cp, this.catalog)) {
      for (const object of this.#candidates(p.cp, info)) {
        const namespace = info.namespaced ? (object.metadata?.namespace ?? "") : "";
        const ref = this.#evaluate(p, info, object, namespace);
        if (ref) this.#add(p, partKey(info, namespace, ref.name), ref);
      }
    }
    p.selected = true;
    p.definers = this.#definers(p);
    for (const [k, ref] of before) {
      if (!same(ref, this.partOf(key, k))) this.#listener.partChanged(key, k);
    }
    for (const k of this.partsOf(key)) if (!before.has(k)) this.#listener.partChanged(key, k);
  }

  /** An object of the workspace was added, changed (`old` and `obj`) or deleted (`obj` undefined). */
  onObject(info: ApiResourceInfo, old: KubeObject | undefined, obj: KubeObject | undefined): void {
    const o = (obj ?? old)!;
    const namespace = info.namespaced ? (o.metadata?.namespace ?? "") : "";
    const name = o.metadata?.name ?? "";
    const key = partKey(info, namespace, name);
    if (info.group === NS.group && info.resource === NS.resource) {
      this.#namespaceEvent(name, old, obj);
    }
    if (selectableResource(info)) {
      for (const pk of this.#index.candidates(info.group, info.resource, namespace, name)) {
        const p = this.#placements.get(pk);
        if (p?.selected) this.#reevaluate(pk, p, info, key, obj, namespace);
      }
    }
    if (DEFINER_RESOURCES.has(`${info.group}/${info.resource}`)) this.#definersChanged();
  }

  #reevaluate(
    pk: string,
    p: PlacementWhat,
    info: ApiResourceInfo,
    key: string,
    obj: KubeObject | undefined,
    namespace: string,
  ): void {
    const ref = obj && this.#evaluate(p, info, obj, namespace);
    const had = p.explicit.get(key);
    if (!ref && !had) return;
    const usedBefore = p.used.size;
    if (had) this.#drop(p, key, had);
    if (ref) this.#add(p, key, ref);
    if (p.used.size !== usedBefore) this.#updateDefiners(pk, p);
    this.#listener.partChanged(pk, key);
  }

  #evaluate(
    p: PlacementWhat,
    info: ApiResourceInfo,
    object: KubeObject,
    namespace: string,
  ): PartRef | undefined {
    const labels = namespace
      ? this.catalog.get(NS.group, NS.resource, "", namespace)?.metadata?.labels ?? {}
      : undefined;
    const testIndex = p.cp.select(info, object, labels);
    if (testIndex < 0) return undefined;
    return {
      info,
      namespace,
      name: object.metadata?.name ?? "",
      testIndex,
      createOnly: isCreateOnlySource(object),
      customizer: customizerKey(object),
    };
  }

  #add(p: PlacementWhat, key: string, ref: PartRef): void {
    p.explicit.set(key, ref);
    const gr = `${ref.info.group}/${ref.info.resource}`;
    const u = p.used.get(gr);
    if (u) u.count++;
    else p.used.set(gr, { info: ref.info, count: 1 });
    if (ref.customizer) {
      let users = this.#customizerUsers.get(ref.customizer);
      if (!users) this.#customizerUsers.set(ref.customizer, users = new Map());
      users.set(key, (users.get(key) ?? 0) + 1);
    }
  }

  #drop(p: PlacementWhat, key: string, ref: PartRef): void {
    p.explicit.delete(key);
    const gr = `${ref.info.group}/${ref.info.resource}`;
    const u = p.used.get(gr);
    if (u && --u.count === 0) p.used.delete(gr);
    if (ref.customizer) {
      const users = this.#customizerUsers.get(ref.customizer);
      const n = (users?.get(key) ?? 0) - 1;
      if (n > 0) users!.set(key, n);
      else users?.delete(key);
      if (users?.size === 0) this.#customizerUsers.delete(ref.customizer);
    }
  }

  /** The objects of `info` worth testing: only the namespaces the tests name, when they all do. */
  #candidates(cp: CompiledPlacement, info: ApiResourceInfo): Iterable<KubeObject> {
    const covering = cp.tests.filter((t, i) => cp.compiled[i] && testCoversResource(t, info));
    const namespaces = new Set<string>();
    for (const t of covering) {
      const list = t.namespaces ?? [];
      if (!info.namespaced || list.length === 0 || list.includes("*")) {
        return this.catalog.objects(info.group, info.resource) ?? [];
      }
      for (const ns of list) namespaces.add(ns);
    }
    return [...namespaces].flatMap((ns) =>
      this.catalog.objectsIn(info.group, info.resource, ns) ?? []
    );
  }

  #definers(p: PlacementWhat): Map<string, PartRef> {
    const out = new Map<string, PartRef>();
    for (const { info } of p.used.values()) {
      for (const d of definersOf(this.catalog, info.group, info.resource)) {
        const name = d.object.metadata?.name ?? "";
        out.set(partKey(d.info, "", name), {
          info: d.info,
          namespace: "",
          name,
          testIndex: -1,
          createOnly: false,
        });
      }
    }
    return out;
  }

  #updateDefiners(pk: string, p: PlacementWhat): void {
    const before = p.definers;
    p.definers = this.#definers(p);
    for (const k of new Set([...before.keys(), ...p.definers.keys()])) {
      if (p.explicit.has(k) || same(before.get(k), p.definers.get(k))) continue;
      this.#listener.partChanged(pk, k);
    }
  }

  #definersChanged(): void {
    for (const [pk, p] of this.#placements) {
      if (!p.selected) continue;
      const keys = new Set(p.definers.keys());
      this.#updateDefiners(pk, p);
      // A definer's own object changed: its copies must be rewritten.
      for (const k of keys) {
        if (p.definers.has(k) && !p.explicit.has(k)) this.#listener.partChanged(pk, k);
      }
    }
  }

  /** A Namespace's labels matter to namespace selectors: re-test its objects. */
  #namespaceEvent(name: string, old: KubeObject | undefined, obj: KubeObject | undefined): void {
    const before = JSON.stringify(old?.metadata?.labels ?? {});
    const after = JSON.stringify(obj?.metadata?.labels ?? {});
    if (old && obj && before === after) return;
    for (const [pk, p] of this.#placements) {
      if (!p.selected || !p.cp.usesNamespaceSelectors) continue;
      for (const info of coveredResources(p.cp, this.catalog)) {
        if (!info.namespaced) continue;
        for (const o of this.catalog.objectsIn(info.group, info.resource, name) ?? []) {
          this.#reevaluate(pk, p, info, partKey(info, name, o.metadata?.name ?? ""), o, name);
        }
      }
    }
  }
}

/** The Customizer an object names, as `namespace/name`. */
function customizerKey(o: KubeObject): string | undefined {
  const ref = customizerRef(o);
  return ref && `${ref.namespace}/${ref.name}`;
}
