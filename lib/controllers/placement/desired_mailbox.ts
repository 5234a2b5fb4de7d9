/**
 * What one mailbox workspace should hold, from every EdgePlacement that targets it
 * (controllers-spec §4.4): the union of the objects they select, one distribution per
 * object with the singleton and create-only bits OR-ed over the placements, and the
 * union of their upsync clauses. When two workspaces send objects with the same
 * identity, the one whose workspace sorts first wins and the clash is reported.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement, SinglePlacement, UpsyncSet } from "../../edge/api_types.ts";
import { type PropagationMode, propagationMode } from "../../placement/resource_modes.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import { canonicalJson } from "./projected_form.ts";
import { partKey, type PlacementSelection } from "./selection.ts";

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

/** Combines the placements targeting one mailbox. */
export function desiredMailbox(inputs: PlacementAtDestination[]): DesiredMailbox {
  const parts = new Map<string, DesiredPart>();
  const conflicts: string[] = [];
  const upsync = new Map<string, UpsyncSet>();
  const sorted = [...inputs].sort((a, b) => a.placementKey.localeCompare(b.placementKey));
  for (const input of sorted) {
    for (const u of input.placement.spec?.upsync ?? []) upsync.set(canonicalJson(u), u);
    const singleton = input.placement.spec?.wantSingletonReportedState === true;
    for (const p of input.selection.parts) {
      const key = partKey(p.info, p.namespace, p.name);
      const have = parts.get(key);
      if (have && have.sourceCluster !== input.wmw && !sameContent(have.source, p.object)) {
        conflicts.push(
          `${key} is sent by workspaces ${have.sourceCluster} and ${input.wmw}; using ${
            have.sourceCluster < input.wmw ? have.sourceCluster : input.wmw
          }`,
        );
        if (have.sourceCluster < input.wmw) continue;
        parts.delete(key);
      } else if (have) {
        have.createOnly ||= p.createOnly;
        have.singleton ||= singleton && p.testIndex >= 0;
        have.placements.push(input.placementKey);
        continue;
      }
      parts.set(key, {
        key,
        info: p.info,
        namespace: p.namespace,
        name: p.name,
        source: p.object,
        sourceCluster: input.wmw,
        destination: input.destination,
        mode: propagationMode(p.info.group, p.info.resource),
        createOnly: p.createOnly,
        singleton: singleton && p.testIndex >= 0,
        placements: [input.placementKey],
      });
    }
  }
  const upsyncList = [...upsync.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, u]) => u);
  return { parts, upsync: upsyncList, conflicts };
}
