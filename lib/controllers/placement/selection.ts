/**
 * The "what" of the placement translator as pure functions over one workload
 * management workspace (controllers-spec §4.3): which objects an EdgePlacement selects
 * (first matching `downsync` test, upsync precedence, system objects and resources
 * that never go to the edge left out), the CRDs and APIBindings that implicitly come
 * with them (§4.3.3), which resources have to be watched for a set of placements, and
 * the problems worth telling the user about (bad selectors, unknown resources, missing
 * namespaces). Shared by the translator and `kubectl kubestellar preview`.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import { EDGE_EXPORT_NAME } from "../../edge/api_export.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";
import { propagationMode } from "../../placement/resource_modes.ts";
import {
  describeDownsyncTest,
  type DownsyncTest,
  testGroupCovers,
} from "../../placement/what_match.ts";
import { CompiledPlacement, partKey } from "./compiled_placement.ts";
import type { ApiResourceInfo } from "./discovery.ts";

/** What the selection reads of a workspace. */
export interface WorkspaceCatalog {
  /** The workspace's logical cluster. */
  readonly cluster: string;
  /** Every resource it serves. */
  resources(): ApiResourceInfo[];
  /** The objects of one resource; undefined when they are not known (not watched). */
  objects(group: string, resource: string): KubeObject[] | undefined;
}

/** One object an EdgePlacement sends. */
export interface SelectedPart {
  info: ApiResourceInfo;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
  object: KubeObject;
  /** Index of the first matching downsync test; -1 for an implicit definer. */
  testIndex: number;
  /** Why it was selected, for people. */
  reason: string;
  /** `edge.kubestellar.io/downsync-overwrite: "false"`. */
  createOnly: boolean;
}

/** The selection of one EdgePlacement in its workspace. */
export interface PlacementSelection {
  parts: SelectedPart[];
  /** One line per problem found (bad selector, unknown resource, missing namespace). */
  problems: string[];
}

const CRDS = { group: "apiextensions.k8s.io", resource: "customresourcedefinitions" };
const BINDINGS = { group: "apis.kcp.io", resource: "apibindings" };
const NAMESPACES = { group: "", resource: "namespaces" };

function resourceListed(list: string[] | undefined, resource: string): boolean {
  return !list || list.length === 0 || list.includes("*") || list.includes(resource);
}

/** True when `test` could select objects of `info` (group and resource criteria). */
export function testCoversResource(test: DownsyncTest, info: ApiResourceInfo): boolean {
  if (!testGroupCovers(test.apiGroup, info.group, info.resource)) return false;
  return resourceListed(test.resources, info.resource);
}

/** True when objects of `info` may be selected at all (served, listable, may leave). */
export function selectableResource(info: ApiResourceInfo): boolean {
  return propagationMode(info.group, info.resource) !== "not-for-edge" &&
    info.verbs.includes("list") && info.verbs.includes("watch");
}

/**
 * The resources whose objects must be known to select for `placements`: those some
 * downsync test covers, plus Namespaces, CRDs and APIBindings (namespace selectors,
 * implicit definers, and noticing new resources).
 */
export function resourcesToWatch(
  placements: EdgePlacement[],
  resources: ApiResourceInfo[],
): ApiResourceInfo[] {
  const tests = placements.flatMap((p) => p.spec?.downsync ?? []);
  const always = (r: ApiResourceInfo) =>
    [NAMESPACES, CRDS, BINDINGS].some((a) => a.group === r.group && a.resource === r.resource);
  return resources.filter((r) =>
    r.verbs.includes("list") && r.verbs.includes("watch") &&
    (always(r) || (selectableResource(r) && tests.some((t) => testCoversResource(t, r))))
  );
}

function nameOf(o: KubeObject): string {
  return o.metadata?.name ?? "";
}

/** The CRDs and APIBindings (other than bindings to the edge API) that define a resource. */
export function definersOf(catalog: WorkspaceCatalog, group: string, resource: string): {
  info: ApiResourceInfo;
  object: KubeObject;
}[] {
  const out: { info: ApiResourceInfo; object: KubeObject }[] = [];
  const infoOf = (g: string, r: string) =>
    catalog.resources().find((x) => x.group === g && x.resource === r);
  const crdInfo = infoOf(CRDS.group, CRDS.resource);
  for (const crd of (crdInfo && catalog.objects(CRDS.group, CRDS.resource)) ?? []) {
    const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
    if (spec?.group === group && spec?.names?.plural === resource) {
      out.push({ info: crdInfo!, object: crd });
    }
  }
  const bindingInfo = infoOf(BINDINGS.group, BINDINGS.resource);
  for (const b of (bindingInfo && catalog.objects(BINDINGS.group, BINDINGS.resource)) ?? []) {
    const exportName = (b.spec as { reference?: { export?: { name?: string } } } | undefined)
      ?.reference?.export?.name;
    if (exportName === EDGE_EXPORT_NAME) continue;
    const bound =
      (b.status as { boundResources?: { group?: string; resource?: string }[] } | undefined)
        ?.boundResources ?? [];
    if (bound.some((r) => (r.group ?? "") === group && r.resource === resource)) {
      out.push({ info: bindingInfo!, object: b });
    }
  }
  return out;
}

/**
 * The problems of a placement worth telling the user about in `catalog`: selectors
 * that do not parse, resources the workspace does not serve, namespaces it lacks.
 */
export function placementProblems(cp: CompiledPlacement, catalog: WorkspaceCatalog): string[] {
  const problems = [...cp.selectorProblems];
  const namespaces = catalog.objects("", "namespaces");
  const known = namespaces && new Set(namespaces.map(nameOf));
  cp.tests.forEach((t, i) => {
    if (!cp.compiled[i]) return;
    for (const r of t.resources ?? []) {
      if (r === "*") continue;
      const served = catalog.resources().some((x) =>
        x.resource === r &&
        testGroupCovers(t.apiGroup, x.group, x.resource)
      );
      if (!served) {
        const g = t.apiGroup ? `.${t.apiGroup}` : "";
        problems.push(
          `downsync[${i}] names resource "${r}${g}", which the workspace does not serve`,
        );
      }
    }
    if (known) {
      for (const ns of t.namespaces ?? []) {
        if (ns !== "*" && !known.has(ns)) {
          problems.push(
            `downsync[${i}] names namespace "${ns}", which does not exist in the workspace`,
          );
        }
      }
    }
  });
  return problems;
}

/** The resources a placement's usable tests cover (those worth scanning). */
export function coveredResources(
  cp: CompiledPlacement,
  catalog: WorkspaceCatalog,
): ApiResourceInfo[] {
  return catalog.resources().filter((info) =>
    selectableResource(info) &&
    cp.tests.some((t, i) => cp.compiled[i] !== undefined && testCoversResource(t, info))
  );
}

/** The Namespace labels of a workspace, by name. */
export function namespaceLabels(catalog: WorkspaceCatalog): Map<string, Record<string, string>> {
  return new Map(
    (catalog.objects("", "namespaces") ?? []).map((n) => [nameOf(n), n.metadata?.labels ?? {}]),
  );
}

/** Selects what `placement` sends from `catalog`, with implicit definers. */
export function selectForPlacement(
  placement: EdgePlacement,
  catalog: WorkspaceCatalog,
): PlacementSelection {
  const cp = new CompiledPlacement(placement);
  const problems = placementProblems(cp, catalog);
  const nsLabels = namespaceLabels(catalog);
  const parts: SelectedPart[] = [];
  const usedResources = new Map<string, ApiResourceInfo>();
  for (const info of coveredResources(cp, catalog)) {
    for (const object of catalog.objects(info.group, info.resource) ?? []) {
      const namespace = info.namespaced ? (object.metadata?.namespace ?? "") : "";
      const testIndex = cp.select(info, object, nsLabels.get(namespace));
      if (testIndex < 0) continue;
      parts.push({
        info,
        namespace,
        name: nameOf(object),
        object,
        testIndex,
        reason: `downsync[${testIndex}]: ${describeDownsyncTest(cp.tests[testIndex])}`,
        createOnly: isCreateOnlySource(object),
      });
      usedResources.set(`${info.group}/${info.resource}`, info);
    }
  }
  const have = new Set(parts.map((p) => partKey(p.info, p.namespace, p.name)));
  for (const info of usedResources.values()) {
    for (const d of definersOf(catalog, info.group, info.resource)) {
      const key = partKey(d.info, "", nameOf(d.object));
      if (have.has(key)) continue;
      have.add(key);
      parts.push({
        info: d.info,
        namespace: "",
        name: nameOf(d.object),
        object: d.object,
        testIndex: -1,
        reason: `defines ${info.resource}${info.group ? "." + info.group : ""}`,
        createOnly: false,
      });
    }
  }
  return { parts, problems };
}

/** True when a workload object asks to be created only (`downsync-overwrite: "false"`). */
export function isCreateOnlySource(object: KubeObject): boolean {
  return object.metadata?.annotations?.[EDGE_KEYS.downsyncOverwrite] === "false";
}

export { partKey };
