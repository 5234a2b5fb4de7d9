/**
 * `GET /api/placements` and `GET /api/placements/WMW/NAME`: every EdgePlacement of every
 * workload management workspace, and one placement in full — its selectors, the
 * clusters it selected (its SinglePlacementSlice; resolved from the inventory with the
 * where-resolver's own function while there is none), the objects it selects (the
 * preview library over the workspace's watched objects, each with the test that chose
 * it), its upsync clauses, the StatusSummaries of its workspace, and the matrix of
 * object × cluster with each copy's state (`copy_state.ts`). Cluster columns are paged
 * and filtered on the server, so a placement over 1,000 clusters costs one page.
 *
 * @example
 * ```ts
 * placementDetail(model, "2x8zq1", "edge-placement-c", { offset: 0, limit: 25 }, 7);
 * ```
 *
 * @module
 */
import type { KubeObject } from "../controller/list_watch.ts";
import {
  type PlacementPreview,
  type PreviewDestination,
  type PreviewObject,
  previewObjects,
  selectedBy,
} from "../controllers/placement/preview.ts";
import { listedObjects } from "../controllers/placement/syncer_config_spec.ts";
import { resolvePlacement } from "../controllers/where/where_resolution.ts";
import { type EdgePlacement, mailboxName } from "../edge/api_types.ts";
import { propagationMode } from "../placement/resource_modes.ts";
import { describeDownsyncTest, type DownsyncTest } from "../placement/what_match.ts";
import { type CopyState, copyState, type CopyStateName } from "./copy_state.ts";
import { clusterOf, type FleetModel } from "./fleet_model.ts";
import { inventoryOf } from "./inventory.ts";

/** One placement in the list. */
export interface PlacementSummary {
  wmw: string;
  wmwCluster: string;
  name: string;
  locationSelectors: unknown[];
  downsync: number;
  upsync: number;
  /** Clusters selected (SinglePlacementSlice destinations); null without a slice. */
  clusters: number | null;
  /** Objects selected; null until the workspace has been listed. */
  objects: number | null;
  problems: string[];
}

/** One cluster column of the matrix. */
export interface MatrixColumn extends PreviewDestination {
  imw: string;
  mailbox: string;
  syncer: { state: string; detail: string; lastHeartbeat?: string };
}

/** Paging and filtering of the cluster columns. */
export interface ColumnQuery {
  offset?: number;
  limit?: number;
  /** Keep clusters whose SyncTarget, Location or workspace contains this text. */
  q?: string;
  /** Keep clusters with at least one cell in this state. */
  state?: CopyStateName;
}

/** The answer of `GET /api/placements/WMW/NAME`. */
export interface PlacementDetail extends PlacementPreview {
  generation: number;
  wmwCluster: string;
  spec: EdgePlacement["spec"];
  /** Each downsync test in words (as the preview's reasons name them). */
  downsyncText: string[];
  /** Where the destinations come from. */
  resolvedBy: "SinglePlacementSlice" | "inventory";
  /** The clusters of this page (matrix columns), with their mailbox and syncer. */
  destinations: MatrixColumn[];
  /** Which page of the filtered clusters `destinations` is. */
  columns: { total: number; offset: number; limit: number };
  /** `cells[row][column]`, rows in `objects` order, columns in `destinations` order. */
  cells: CopyState[][];
  /** Cells by state over every column that passes the filter. */
  counts: Record<CopyStateName, number>;
  summaries: KubeObject[];
}

/** The list of `GET /api/placements`. */
export interface PlacementsView {
  generation: number;
  placements: PlacementSummary[];
}

type Placement = EdgePlacement & KubeObject;

function destinationsOf(model: FleetModel, ep: Placement, problems: string[]) {
  const wmw = clusterOf(ep);
  const slice = model.inputs?.slices.get(`${wmw}|${ep.metadata.name}`);
  const labelsOf = (cluster: string, name: string) =>
    model.inputs?.locations.get(`${cluster}|${name}`)?.metadata?.labels;
  let resolvedBy: PlacementDetail["resolvedBy"] = "SinglePlacementSlice";
  let list = slice?.destinations ?? [];
  if (!slice) {
    resolvedBy = "inventory";
    problems.push(
      "no SinglePlacementSlice yet (is the where-resolver running?): destinations resolved from the inventory",
    );
    const inv = inventoryOf(model);
    const r = resolvePlacement(ep.spec?.locationSelectors, inv.locations, inv.index);
    list = r.destinations;
    problems.push(...r.problems);
  }
  const destinations = list.map((d): PreviewDestination => ({
    syncTarget: d.syncTargetName,
    location: d.locationName,
    cluster: d.cluster,
    syncTargetUID: d.syncTargetUID,
    matchedBy: selectedBy(ep, d.cluster, d.locationName, labelsOf(d.cluster, d.locationName)),
  }));
  if (destinations.length === 0) {
    problems.push("no SyncTarget is selected: no Location matches the locationSelectors");
  }
  return { destinations, resolvedBy };
}

/** Finds a placement by workspace (logical cluster id or path) and name. */
export function findPlacement(model: FleetModel, wmw: string, name: string) {
  return model.inputs?.placements.list().find((p) =>
    p.metadata.name === name && (clusterOf(p) === wmw || model.paths.of(clusterOf(p)) === wmw)
  );
}

const listCache = new WeakMap<FleetModel, { version: string; view: PlacementsView }>();

/** Every placement, with counts and problems (memoized per version). */
export function placementsView(model: FleetModel, generation: number): PlacementsView {
  const version = `${model.version("placements")}/${model.version("fleet")}`;
  const hit = listCache.get(model);
  if (hit && hit.version === version) return { ...hit.view, generation };
  const placements = (model.inputs?.placements.list() ?? []).map((ep): PlacementSummary => {
    const wmwCluster = clusterOf(ep);
    const selection = model.selections.selection(ep);
    const slice = model.inputs?.slices.get(`${wmwCluster}|${ep.metadata.name}`);
    const problems = [...(selection?.problems ?? [])];
    if (!slice) problems.push("no SinglePlacementSlice yet: is the where-resolver running?");
    else if ((slice.destinations ?? []).length === 0) problems.push("no SyncTarget is selected");
    return {
      wmw: model.paths.of(wmwCluster),
      wmwCluster,
      name: ep.metadata.name,
      locationSelectors: ep.spec?.locationSelectors ?? [],
      downsync: ep.spec?.downsync?.length ?? 0,
      upsync: ep.spec?.upsync?.length ?? 0,
      clusters: slice ? (slice.destinations ?? []).length : null,
      objects: selection ? selection.parts.length : null,
      problems,
    };
  }).sort((a, b) => a.wmw.localeCompare(b.wmw) || a.name.localeCompare(b.name));
  const view = { generation, placements };
  listCache.set(model, { version, view });
  return view;
}

/** Kinds whose status the mailbox's own server writes. */
const SERVER_STATUS = new Set(["/namespaces", "apiextensions.k8s.io/customresourcedefinitions"]);

function groupOf(o: PreviewObject): string {
  return o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
}

function column(model: FleetModel, d: PreviewDestination, now: Date) {
  const mb = model.mailbox(mailboxName(d.cluster, d.syncTargetUID));
  const { staleInMs: _s, ...syncer } = model.livenessOf(mb.cluster, now);
  const listed = new Set(
    listedObjects(model.syncerConfigOf(mb.cluster)?.spec).map((o) =>
      `${o.group}/${o.resource}|${o.namespace}/${o.name}`
    ),
  );
  return { mb, listed, col: { ...d, imw: model.paths.of(d.cluster), mailbox: mb.name, syncer } };
}

function cell(model: FleetModel, o: PreviewObject, c: ReturnType<typeof column>): CopyState {
  const group = groupOf(o);
  const ns = o.namespace ?? "";
  const found = model.copies.lookup({ group, resource: o.resource }, c.mb.cluster, ns, o.name);
  return copyState({
    mailbox: c.mb.name,
    mailboxReady: c.mb.phase === "Ready",
    copy: found.copy,
    copySeenAt: found.seenAt,
    copiesUnreadable: found.unreadable,
    listed: c.listed.has(`${group}/${o.resource}|${ns}/${o.name}`),
    liveness: c.col.syncer,
    serverStatus: SERVER_STATUS.has(`${group}/${o.resource}`),
    mailboxOnly: propagationMode(group, o.resource) === "goes-to-mailbox",
  });
}

/** One placement in full, with one page of matrix columns; undefined when not found. */
export function placementDetail(
  model: FleetModel,
  wmw: string,
  name: string,
  query: ColumnQuery,
  generation: number,
): PlacementDetail | undefined {
  const ep = findPlacement(model, wmw, name);
  if (!ep) return undefined;
  const wmwCluster = clusterOf(ep);
  const selection = model.selections.selection(ep);
  const problems = [...(selection?.problems ?? [])];
  if (!selection) problems.push("the workspace's objects are still being listed");
  const { destinations, resolvedBy } = destinationsOf(model, ep, problems);
  const objects = selection ? previewObjects(selection) : [];
  const now = new Date();
  const q = query.q?.toLowerCase() ?? "";
  const counts: Record<CopyStateName, number> = {
    pending: 0,
    mailbox: 0,
    edge: 0,
    status: 0,
    error: 0,
    unknown: 0,
  };
  const kept: { col: MatrixColumn; cells: CopyState[] }[] = [];
  for (const d of destinations) {
    const c = column(model, d, now);
    const text = `${d.syncTarget} ${d.location} ${c.col.imw}`.toLowerCase();
    if (q && !text.includes(q)) continue;
    const cells = objects.map((o) => cell(model, o, c));
    if (query.state && !cells.some((x) => x.state === query.state)) continue;
    for (const x of cells) counts[x.state]++;
    kept.push({ col: c.col, cells });
  }
  const limit = Math.max(1, Math.min(query.limit ?? 25, 200));
  const offset = Math.max(0, Math.min(query.offset ?? 0, Math.max(0, kept.length - 1)));
  const page = kept.slice(offset, offset + limit);
  const summaries = (model.inputs?.summaries.list() ?? []).filter((s) =>
    clusterOf(s) === wmwCluster
  )
    .sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  return {
    generation,
    name,
    workspace: model.paths.of(wmwCluster),
    wmwCluster,
    spec: ep.spec ?? {},
    downsyncText: (ep.spec?.downsync ?? []).map((t) => describeDownsyncTest(t as DownsyncTest)),
    resolvedBy,
    destinations: page.map((p) => p.col),
    objects,
    problems: [...new Set(problems)],
    columns: { total: kept.length, offset, limit },
    cells: objects.map((_o, r) => page.map((p) => p.cells[r])),
    counts,
    summaries,
  };
}
