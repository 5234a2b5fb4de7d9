/**
 * `POST /api/whatif`: what the placements would select if some placements' location
 * selectors or some clusters' labels were different — computed with the
 * where-resolver's own resolution (`resolvePlacement`) and the preview's reasons
 * (`selectedBy`) over the UI's cached inventory. Nothing is written anywhere.
 *
 * A cluster's labels are those of its SyncTarget and of the same-named Location in
 * the same inventory workspace (the pair `ensure location` makes); an edit sets both.
 * Selectors may be strings (`env=prod,tier in (web)`) or `metav1.LabelSelector` objects.
 *
 * @example
 * ```ts
 * whatIf(model, { clusters: [{ imw: "root:imw1", name: "florin", labels: { env: "qa" } }] });
 * // { results: [{ name: "edge-placement-c", removed: [{ syncTarget: "florin", … }], … }], … }
 * ```
 *
 * @module
 */
import type { KubeObject } from "../controller/list_watch.ts";
import { type PreviewDestination, selectedBy } from "../controllers/placement/preview.ts";
import {
  type IndexedLocation,
  InstanceSelectorCache,
  resolvePlacement,
} from "../controllers/where/where_resolution.ts";
import type { EdgePlacement } from "../edge/api_types.ts";
import {
  type LabelSelector,
  labelSelectorFromObject,
  SelectorError,
} from "../kube/label_selector.ts";
import { parseToLabelSelector } from "../kube/label_selector_object.ts";
import { validateLabelValue, validateQualifiedName } from "../kube/names.ts";
import type { Destination, SyncTargetView } from "../placement/where_match.ts";
import { clusterOf, type FleetModel } from "./fleet_model.ts";
import { inventoryOf } from "./inventory.ts";

/** A what-if request. */
export interface WhatIfRequest {
  placements?: { wmw: string; name: string; locationSelectors: unknown[] }[];
  clusters?: { imw: string; name: string; labels: Record<string, string> }[];
}

/** The outcome for one placement. */
export interface WhatIfResult {
  wmw: string;
  wmwCluster: string;
  name: string;
  /** True when the request changed this placement's selectors. */
  edited: boolean;
  before: number;
  after: number;
  added: PreviewDestination[];
  removed: PreviewDestination[];
  /** Every destination after the change (edited placements only, at most 500). */
  destinations?: PreviewDestination[];
  problems: string[];
}

/** The answer of `POST /api/whatif`. */
export interface WhatIfView {
  results: WhatIfResult[];
  /** Placements whose destinations would not change. */
  unchanged: number;
}

/** A request that cannot be evaluated (answered with 400). */
export class WhatIfError extends Error {}

const MAX_EDITS = 1000;

function selectorOf(s: unknown, where: string): LabelSelector {
  try {
    if (typeof s === "string") return parseToLabelSelector(s);
    if (s && typeof s === "object" && !Array.isArray(s)) {
      labelSelectorFromObject(s as LabelSelector); // validates
      return s as LabelSelector;
    }
  } catch (e) {
    if (e instanceof SelectorError) throw new WhatIfError(`${where}: ${e.message}`);
    throw e;
  }
  throw new WhatIfError(`${where}: a selector is a string or a LabelSelector object`);
}

function labelsOf(l: unknown, where: string): Record<string, string> {
  if (!l || typeof l !== "object" || Array.isArray(l)) {
    throw new WhatIfError(`${where}: labels must be an object of strings`);
  }
  for (const [k, v] of Object.entries(l)) {
    const errs = typeof v === "string"
      ? [...validateQualifiedName(k), ...validateLabelValue(v)]
      : ["the value must be a string"];
    if (errs.length > 0) throw new WhatIfError(`${where}: label ${JSON.stringify(k)}: ${errs[0]}`);
  }
  return l as Record<string, string>;
}

function key(d: Destination): string {
  return `${d.cluster}|${d.locationName}|${d.syncTargetName}|${d.syncTargetUID}`;
}

/** Evaluates `request` against the model's inventory and placements. */
export function whatIf(model: FleetModel, request: WhatIfRequest): WhatIfView {
  if (!request || typeof request !== "object" || Array.isArray(request)) {
    throw new WhatIfError("the request must be a JSON object");
  }
  const pEdits = request.placements ?? [];
  const cEdits = request.clusters ?? [];
  if (!Array.isArray(pEdits) || !Array.isArray(cEdits)) {
    throw new WhatIfError("placements and clusters must be lists");
  }
  if (pEdits.length + cEdits.length > MAX_EDITS) {
    throw new WhatIfError(`at most ${MAX_EDITS} edits at once`);
  }
  const placements = model.inputs?.placements.list() ?? [];
  const isWs = (id: string, given: string) => id === given || model.paths.of(id) === given;
  const selectors = new Map<KubeObject, LabelSelector[]>();
  pEdits.forEach((e, i) => {
    const ep = placements.find((p) => p.metadata.name === e?.name && isWs(clusterOf(p), e?.wmw));
    if (!ep) throw new WhatIfError(`placements[${i}]: no EdgePlacement ${e?.name} in ${e?.wmw}`);
    if (!Array.isArray(e.locationSelectors)) {
      throw new WhatIfError(`placements[${i}]: locationSelectors must be a list`);
    }
    selectors.set(ep, e.locationSelectors.map((s, j) => selectorOf(s, `placements[${i}][${j}]`)));
  });
  const inv = inventoryOf(model);
  const editedLabels = new Map<string, Record<string, string>>();
  cEdits.forEach((e, i) => {
    const st = inv.syncTargets.find((s) => s.name === e?.name && isWs(s.cluster, e?.imw));
    if (!st) throw new WhatIfError(`clusters[${i}]: no SyncTarget ${e?.name} in ${e?.imw}`);
    editedLabels.set(`${st.cluster}|${st.name}`, labelsOf(e.labels, `clusters[${i}]`));
  });
  const cache = new InstanceSelectorCache();
  const before = new Map(placements.map((p) => [
    p,
    resolvePlacement(p.spec?.locationSelectors, inv.locations, inv.index, cache).destinations,
  ]));
  // Apply the label edits to a copy of the Locations and, for the time of this
  // synchronous computation, to the shared SyncTarget index.
  const locations: IndexedLocation[] = inv.locations.map((l) => {
    const labels = editedLabels.get(`${l.cluster}|${l.name}`);
    return labels ? { ...l, labels } : l;
  });
  const originals: SyncTargetView[] = [];
  for (const st of inv.syncTargets) {
    const labels = editedLabels.get(`${st.cluster}|${st.name}`);
    if (!labels) continue;
    originals.push(st);
    inv.index.put({ ...st, labels });
  }
  const results: WhatIfResult[] = [];
  let unchanged = 0;
  const labelsAt = new Map(locations.map((l) => [`${l.cluster}|${l.name}`, l.labels]));
  try {
    for (const ep of placements) {
      const sels = selectors.get(ep);
      const r = resolvePlacement(
        sels ?? ep.spec?.locationSelectors,
        locations,
        inv.index,
        cache,
      );
      const was = new Set(before.get(ep)!.map(key));
      const now = new Set(r.destinations.map(key));
      const shown = {
        ...ep,
        spec: { ...ep.spec, locationSelectors: sels ?? ep.spec?.locationSelectors },
      };
      const view = (d: Destination): PreviewDestination => ({
        syncTarget: d.syncTargetName,
        location: d.locationName,
        cluster: d.cluster,
        syncTargetUID: d.syncTargetUID,
        matchedBy: selectedBy(
          shown as EdgePlacement,
          d.cluster,
          d.locationName,
          labelsAt.get(`${d.cluster}|${d.locationName}`),
        ),
      });
      const added = r.destinations.filter((d) => !was.has(key(d))).map(view);
      const removed = before.get(ep)!.filter((d) => !now.has(key(d))).map(view);
      if (!sels && added.length === 0 && removed.length === 0) {
        unchanged++;
        continue;
      }
      results.push({
        wmw: model.paths.of(clusterOf(ep)),
        wmwCluster: clusterOf(ep),
        name: ep.metadata.name,
        edited: !!sels,
        before: was.size,
        after: now.size,
        added,
        removed,
        ...(sels ? { destinations: r.destinations.slice(0, 500).map(view) } : {}),
        problems: r.problems,
      });
    }
  } finally {
    for (const st of originals) inv.index.put(st);
  }
  results.sort((a, b) => a.wmw.localeCompare(b.wmw) || a.name.localeCompare(b.name));
  return { results, unchanged };
}
