/**
 * `kubectl kubestellar preview`: what each EdgePlacement of a workload management
 * workspace would send to which SyncTargets, and why — computed from one read of the
 * workspace with the translator's own selection functions (`selection.ts`), and the
 * placement's SinglePlacementSlice with the Locations it names — or, before the
 * where-resolver has written one, the where-resolution itself over the inventory of
 * every workspace (when the user may read it). Writes nothing.
 *
 * @example
 * ```ts
 * const previews = await computePreview(client, "root:wmw1", ["edge-placement-c"]);
 * ```
 *
 * @module
 */
import { UserError } from "../../cli/errors.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import type {
  EdgePlacement,
  SinglePlacementSlice,
  StatusSummarizer,
} from "../../edge/api_types.ts";
import { EDGE_GROUP, EDGE_VERSION } from "../../edge/api_types.ts";
import { formatLabelSelector, type LabelSelector } from "../../kube/label_selector.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import { isNotFound } from "../../kube/rest_errors.ts";
import {
  locationSelected,
  type LocationView,
  resolveWhere,
  type SyncTargetView,
} from "../../placement/where_match.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import { type DownsyncTest, matchesDownsyncTest } from "../../placement/what_match.ts";
import { edgeExportFrom } from "../runtime/edge_resources.ts";
import { type ApiResourceInfo, discoverResources } from "./discovery.ts";
import { apiVersionOf } from "./projected_form.ts";
import {
  type PlacementSelection,
  resourcesToWatch,
  type SelectedPart,
  selectForPlacement,
  type WorkspaceCatalog,
} from "./selection.ts";

/** One destination and the selector that chose its Location. */
export interface PreviewDestination {
  syncTarget: string;
  location: string;
  /** Logical cluster of the inventory workspace. */
  cluster: string;
  syncTargetUID: string;
  matchedBy: string;
}

/** One object that would be sent. */
export interface PreviewObject {
  apiVersion: string;
  kind: string;
  resource: string;
  namespace?: string;
  name: string;
  matchedBy: string;
  createOnly?: boolean;
  /** The StatusSummarizers of the workspace that summarize it. */
  summarizedBy?: string[];
}

/** The preview of one placement. */
export interface PlacementPreview {
  name: string;
  workspace: string;
  destinations: PreviewDestination[];
  objects: PreviewObject[];
  problems: string[];
}

const API_EXPORTS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apiexports" };
const edge = (resource: string) => ({ group: EDGE_GROUP, version: EDGE_VERSION, resource });

/** A catalog read once (list of every resource a placement could select). */
export class SnapshotCatalog implements WorkspaceCatalog {
  readonly cluster: string;
  readonly #resources: ApiResourceInfo[];
  readonly #objects: Map<string, KubeObject[]>;

  private constructor(
    cluster: string,
    resources: ApiResourceInfo[],
    objects: Map<string, KubeObject[]>,
  ) {
    this.cluster = cluster;
    this.#resources = resources;
    this.#objects = objects;
  }

  /** Reads what `placements` could select from the workspace of `client`. */
  static async read(
    client: RestClient,
    cluster: string,
    placements: EdgePlacement[],
  ): Promise<SnapshotCatalog> {
    const resources = await discoverResources(client);
    const objects = new Map<string, KubeObject[]>();
    await Promise.all(
      resourcesToWatch(placements, resources).map(async (r) => {
        try {
          const list = await client.list<KubeObject>({
            group: r.group,
            version: r.version,
            resource: r.resource,
          });
          objects.set(`${r.group}/${r.resource}`, list.items ?? []);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
    );
    return new SnapshotCatalog(cluster, resources, objects);
  }

  resources(): ApiResourceInfo[] {
    return this.#resources;
  }

  objects(group: string, resource: string): KubeObject[] | undefined {
    return this.#objects.get(`${group}/${resource}`);
  }
}

/** Which locationSelector chose a Location with `labels` (the "LOCATION SELECTED BY" column). */
export function selectedBy(
  placement: EdgePlacement,
  cluster: string,
  name: string,
  labels?: Record<string, string>,
): string {
  const selectors = placement.spec?.locationSelectors ?? [];
  const i = selectors.findIndex((s) => locationSelected({ cluster, name, labels }, [s]));
  return i < 0
    ? "no locationSelector matches any more"
    : `locationSelectors[${i}]: ${formatLabelSelector(selectors[i])}`;
}

/**
 * The objects of a selection as the preview shows them (with why each was selected),
 * sorted; `extra` adds fields to each (what summarizes it).
 */
export function previewObjects(
  selection: PlacementSelection,
  extra: (p: SelectedPart) => Partial<PreviewObject> = () => ({}),
): PreviewObject[] {
  return selection.parts.map((p): PreviewObject => ({
    apiVersion: apiVersionOf(p.info.group, p.info.version),
    kind: p.info.kind,
    resource: p.info.resource,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    name: p.name,
    matchedBy: p.reason,
    ...(p.createOnly ? { createOnly: true } : {}),
    ...extra(p),
  })).sort((a, b) =>
    `${a.resource}/${a.namespace ?? ""}/${a.name}`.localeCompare(
      `${b.resource}/${b.namespace ?? ""}/${b.name}`,
    )
  );
}

/** Every Location and SyncTarget, for placements the where-resolver has not resolved. */
interface Inventory {
  locations: LocationView[];
  syncTargets: SyncTargetView[];
}

const clusterOf = (o: KubeObject) => o.metadata?.annotations?.["kcp.io/cluster"] ?? "";

/**
 * Reads the inventory of every workspace through `/clusters/*` with the edge export's
 * identity; undefined when this user may not (only the shard admin usually may).
 */
async function readInventory(client: RestClient, espwPath: string): Promise<Inventory | undefined> {
  const espw = client.withCluster(espwPath);
  const all = client.withCluster("*");
  try {
    const exp = edgeExportFrom(
      await espw.get<KubeObject>({ ...API_EXPORTS, name: EDGE_EXPORT_NAME }),
    );
    if (!exp) return undefined;
    const [locs, sts] = await Promise.all([
      all.list<KubeObject>(exp.wildcard("locations")),
      all.list<KubeObject>(exp.wildcard("synctargets")),
    ]);
    return {
      locations: (locs.items ?? []).map((l) => ({
        cluster: clusterOf(l),
        name: l.metadata?.name ?? "",
        labels: l.metadata?.labels,
        instanceSelector: (l.spec as { instanceSelector?: LabelSelector } | undefined)
          ?.instanceSelector,
      })),
      syncTargets: (sts.items ?? []).map((st) => ({
        cluster: clusterOf(st),
        name: st.metadata?.name ?? "",
        uid: st.metadata?.uid ?? "",
        labels: st.metadata?.labels,
      })),
    };
  } catch {
    return undefined;
  } finally {
    espw.close();
    all.close();
  }
}

async function destinationsOf(
  client: RestClient,
  placement: EdgePlacement,
  problems: string[],
  inventory: () => Promise<Inventory | undefined>,
): Promise<PreviewDestination[]> {
  let slice: SinglePlacementSlice | undefined;
  try {
    slice = await client.get<SinglePlacementSlice>({
      ...edge("singleplacementslices"),
      name: placement.metadata.name,
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  let out: PreviewDestination[];
  if (!slice) {
    const inv = await inventory();
    if (!inv) {
      problems.push("no SinglePlacementSlice yet: is the where-resolver running?");
      return [];
    }
    problems.push(
      "no SinglePlacementSlice yet (is the where-resolver running?): destinations resolved from the inventory",
    );
    const labels = new Map(inv.locations.map((l) => [`${l.cluster}|${l.name}`, l.labels]));
    out = resolveWhere(placement.spec?.locationSelectors, inv.locations, inv.syncTargets).map((
      d,
    ) => ({
      syncTarget: d.syncTargetName,
      location: d.locationName,
      cluster: d.cluster,
      syncTargetUID: d.syncTargetUID,
      matchedBy: selectedBy(
        placement,
        d.cluster,
        d.locationName,
        labels.get(`${d.cluster}|${d.locationName}`),
      ),
    }));
  } else {
    out = [];
    for (const d of slice.destinations ?? []) {
      let matchedBy = "Location not found";
      const imw = client.withCluster(d.cluster);
      try {
        const loc = await imw.get<KubeObject>({ ...edge("locations"), name: d.locationName });
        matchedBy = selectedBy(placement, d.cluster, d.locationName, loc.metadata?.labels);
      } catch (e) {
        if (!isNotFound(e)) {
          matchedBy = `Location not readable: ${e instanceof Error ? e.message : e}`;
        }
      } finally {
        imw.close();
      }
      out.push({
        syncTarget: d.syncTargetName,
        location: d.locationName,
        cluster: d.cluster,
        syncTargetUID: d.syncTargetUID,
        matchedBy,
      });
    }
  }
  if (out.length === 0) {
    problems.push("no SyncTarget is selected: no Location matches the locationSelectors");
  }
  return out;
}

/** The workspace's StatusSummarizers (none when the edge API predates them). */
async function listSummarizers(client: RestClient): Promise<StatusSummarizer[]> {
  try {
    return (await client.list<StatusSummarizer>(edge("statussummarizers"))).items ?? [];
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

function summarizedBy(
  summarizers: StatusSummarizer[],
  p: { info: ApiResourceInfo; namespace: string; name: string; object: KubeObject },
  catalog: WorkspaceCatalog,
): { summarizedBy?: string[] } {
  const ns = catalog.objects("", "namespaces")?.find((n) => n.metadata?.name === p.namespace);
  const ref = {
    group: p.info.group,
    resource: p.info.resource,
    namespace: p.namespace,
    name: p.name,
    labels: p.object.metadata?.labels,
  };
  const names = summarizers.filter((s) =>
    (s.spec?.objects ?? []).some((t) =>
      matchesDownsyncTest(ref, t as DownsyncTest, ns?.metadata?.labels ?? {})
    )
  ).map((s) => s.metadata.name).sort();
  return names.length > 0 ? { summarizedBy: names } : {};
}

/**
 * Previews the placements named `names` (all when empty) of the workspace `client`
 * addresses (`workspace` is its path, for display).
 */
export async function computePreview(
  client: RestClient,
  workspace: string,
  names: string[],
  espwPath = "root:espw",
): Promise<PlacementPreview[]> {
  let all: EdgePlacement[];
  try {
    all = (await client.list<EdgePlacement>(edge("edgeplacements"))).items ?? [];
  } catch (e) {
    if (!isNotFound(e)) throw e;
    throw new UserError(
      `workspace ${workspace} does not serve EdgePlacements: name a workload management workspace with --wmw`,
    );
  }
  const missing = names.filter((n) => !all.some((p) => p.metadata.name === n));
  if (missing.length > 0) {
    throw new UserError(
      `EdgePlacement ${
        missing.map((m) => `"${m}"`).join(", ")
      } not found in workspace ${workspace}` +
        ` (it has: ${all.map((p) => p.metadata.name).join(", ") || "none"})`,
    );
  }
  const chosen = (names.length > 0 ? all.filter((p) => names.includes(p.metadata.name)) : all)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const catalog = await SnapshotCatalog.read(client, workspace, chosen);
  const summarizers = await listSummarizers(client);
  let inventoryRead: Promise<Inventory | undefined> | undefined;
  const inventory = () => inventoryRead ??= readInventory(client, espwPath);
  const out: PlacementPreview[] = [];
  for (const placement of chosen) {
    const selection = selectForPlacement(placement, catalog);
    const problems = [...selection.problems];
    const destinations = await destinationsOf(client, placement, problems, inventory);
    const objects = previewObjects(selection, (p) => summarizedBy(summarizers, p, catalog));
    out.push({ name: placement.metadata.name, workspace, destinations, objects, problems });
  }
  return out;
}
