/**
 * What one mailbox workspace should hold, from every EdgePlacement that targets it
 * (controllers-spec §4.4): the union of the objects they select, one distribution per
 * object with the singleton and create-only bits OR-ed over the placements, and the
 * union of their upsync clauses. When two workspaces send objects with the same
 * identity, the one whose workspace sorts first wins and the clash is reported.
 *
 * `combinePart` decides one object at a time (what the translator's incremental path
 * runs for each object an event touched); `desiredMailbox` applies it to whole
 * selections.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement, SinglePlacement, UpsyncSet } from "../../edge/api_types.ts";
import { type PropagationMode, propagationMode } from "../../placement/resource_modes.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import { canonicalJson } from "./projected_form.ts";
import { partKey, type PlacementSelection, type SelectedPart } from "./selection.ts";

/** One placement with one of its destinations and its selection. */
export interface PlacementAtDestination {
  /** `<workspace cluster>|<placement name>`. */
  placementKey: string;
  /** The workload management workspace holding the placement. */
  wmw: string;
  placement: EdgePlacement;
  destination: SinglePlacement;
  selection: PlacementSelection;
}

/** One object the mailbox should hold. */
export interface DesiredPart {
  key: string;
  info: ApiResourceInfo;
  namespace: string;
  name: string;
  source: KubeObject;
  sourceCluster: string;
  destination: SinglePlacement;
  mode: PropagationMode;
  createOnly: boolean;
  singleton: boolean;
  /** Keys of the placements that select it. */
  placements: string[];
}

/** The contents a mailbox should have. */
export interface DesiredMailbox {
  parts: Map<string, DesiredPart>;
  upsync: UpsyncSet[];
  /** Same-identity objects from different workspaces. */
  conflicts: string[];
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const body = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return { rest, labels: o.metadata?.labels, annotations: o.metadata?.annotations };
  };
  const strip = (o: ReturnType<typeof body>) => {
    const annotations = { ...(o.annotations ?? {}) };
    delete annotations["kcp.io/cluster"];
    return canonicalJson({ ...o, annotations });
  };
  return strip(body(a)) === strip(body(b));
}

/** One placement's claim on one object for one mailbox. */
export interface PartContribution {
  placementKey: string;
  wmw: string;
  placement: EdgePlacement;
  destination: SinglePlacement;
  part: Pick<SelectedPart, "info" | "namespace" | "name" | "testIndex" | "createOnly">;
  source: KubeObject;
}

/**
 * The one distribution of object `key` in a mailbox from the placements that select
 * it there (`contributions`, any order): the first in placement-key order provides the
 * source and destination, bits are OR-ed, and a same-identity object with other
 * contents from another workspace is a conflict (the first workspace wins).
 */
export function combinePart(
  key: string,
  contributions: PartContribution[],
): { part?: DesiredPart; conflicts: string[] } {
  const conflicts: string[] = [];
  let out: DesiredPart | undefined;
  const sorted = [...contributions].sort((a, b) => a.placementKey.localeCompare(b.placementKey));
  for (const c of sorted) {
    const singleton = c.placement.spec?.wantSingletonReportedState === true &&
      c.part.testIndex >= 0;
    if (out && out.sourceCluster !== c.wmw && !sameContent(out.source, c.source)) {
      conflicts.push(
        `${key} is sent by workspaces ${out.sourceCluster} and ${c.wmw}; using ${out.sourceCluster}`,
      );
      continue;
    }
    if (out) {
      out.createOnly ||= c.part.createOnly;
      out.singleton ||= singleton;
      out.placements.push(c.placementKey);
      continue;
    }
    out = {
      key,
      info: c.part.info,
      namespace: c.part.namespace,
      name: c.part.name,
      source: c.source,
      sourceCluster: c.wmw,
      destination: c.destination,
      mode: propagationMode(c.part.info.group, c.part.info.resource),
      createOnly: c.part.createOnly,
      singleton,
      placements: [c.placementKey],
    };
  }
  return { part: out, conflicts };
}

/** The union of the upsync clauses of `placements`, de-duplicated and sorted. */
export function upsyncUnion(placements: EdgePlacement[]): UpsyncSet[] {
  const upsync = new Map<string, UpsyncSet>();
  for (const p of placements) for (const u of p.spec?.upsync ?? []) upsync.set(canonicalJson(u), u);
  return [...upsync.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, u]) => u);
}

/**
 * Combines whole selections of the placements targeting one mailbox (the reference the
 * translator's per-object path must agree with; used by tests and tools).
 */
export function desiredMailbox(inputs: PlacementAtDestination[]): DesiredMailbox {
  const byKey = new Map<string, PartContribution[]>();
  for (const input of inputs) {
    for (const p of input.selection.parts) {
      const key = partKey(p.info, p.namespace, p.name);
      let list = byKey.get(key);
      if (!list) byKey.set(key, list = []);
      list.push({
        placementKey: input.placementKey,
        wmw: input.wmw,
        placement: input.placement,
        destination: input.destination,
        part: p,
        source: p.object,
      });
    }
  }
  const parts = new Map<string, DesiredPart>();
  const conflicts: string[] = [];
  for (const [key, list] of byKey) {
    const r = combinePart(key, list);
    if (r.part) parts.set(key, r.part);
    conflicts.push(...r.conflicts);
  }
  return { parts, upsync: upsyncUnion(inputs.map((i) => i.placement)), conflicts };
}
