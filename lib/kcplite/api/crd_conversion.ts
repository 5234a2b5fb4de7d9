/**
 * CustomResourceDefinitions as kcp-lite serves them: one {@link ResourceDef} per served
 * version, and the status the API server gives a CRD when it is created or updated
 * (names accepted, established, stored versions — kcp-spec §3.6).
 *
 * @example
 * ```ts
 * const stored = establishCrd(crd);          // before the store write
 * const defs = crdToResourceDefs(stored);   // one per served version
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { CRUD_VERBS } from "./builtin_def.ts";
import {
  type PrinterColumn,
  type ResourceDef,
  type ScaleSubresource,
  storageResourceOf,
} from "./resource_def.ts";

/** `spec.names` of a CRD (and of an APIResourceSchema). */
export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

/** One entry of `spec.versions`. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: Record<string, unknown>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
}

/** The parts of a CRD kcp-lite reads. */
export interface CustomResourceDefinition extends KubeObject {
  spec: {
    group: string;
    names: CrdNames;
    scope: "Namespaced" | "Cluster";
    versions: CrdVersion[];
    [field: string]: unknown;
  };
  status?: {
    conditions?: CrdCondition[];
    acceptedNames?: CrdNames;
    storedVersions?: string[];
  };
}

/** A CRD status condition. */
export interface CrdCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Fills in `singular` and `listKind` the way the API server defaults them. */
export function defaultedNames(names: CrdNames): CrdNames {
  const out: CrdNames = {
    ...names,
    singular: names.singular || names.kind.toLowerCase(),
    listKind: names.listKind || `${names.kind}List`,
  };
  return out;
}

/** The resources one served version set of names/scope/versions yields (CRD or schema). */
export function defsFromNamesAndVersions(input: {
  group: string;
  names: CrdNames;
  scope: string;
  versions: {
    name: string;
    served?: boolean;
    schema?: Record<string, unknown>;
    subresources?: CrdVersion["subresources"];
    additionalPrinterColumns?: PrinterColumn[];
  }[];
  source: ResourceDef["source"];
}): ResourceDef[] {
  const names = defaultedNames(input.names);
  const defs: ResourceDef[] = [];
  for (const v of input.versions) {
    if (v.served === false) continue;
    const def: ResourceDef = {
      group: input.group,
      version: v.name,
      resource: names.plural,
      kind: names.kind,
      listKind: names.listKind!,
      singularName: names.singular!,
      namespaced: input.scope === "Namespaced",
      shortNames: [...(names.shortNames ?? [])],
      categories: [...(names.categories ?? [])],
      verbs: [...CRUD_VERBS],
      subresources: { status: !!v.subresources?.status, scale: !!v.subresources?.scale },
      storageResource: storageResourceOf(input.group, names.plural),
      source: input.source,
    };
    if (v.schema) def.schema = structuredClone(v.schema);
    if (v.subresources?.scale) def.scale = { ...v.subresources.scale };
    if (v.additionalPrinterColumns?.length) {
      def.printerColumns = v.additionalPrinterColumns.map((c) => ({ ...c }));
    }
    defs.push(def);
  }
  return defs;
}

/** One `ResourceDef` (source `crd`) per served version of a CRD. */
export function crdToResourceDefs(crd: CustomResourceDefinition): ResourceDef[] {
  const defs = defsFromNamesAndVersions({
    group: crd.spec.group,
    names: crd.spec.names,
    scope: crd.spec.scope,
    versions: (crd.spec.versions ?? []).map((v) => ({
      ...v,
      schema: v.schema?.openAPIV3Schema,
    })),
    source: "crd",
  });
  const name = crd.metadata?.name;
  if (name) { for (const d of defs) d.crdName = name; }
  return defs;
}

/** True once the CRD's `Established` condition is True. */
export function isCrdEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) =>
    c.type === "Established" && c.status === "True"
  );
}

/** How {@link establishCrd} decides. */
export interface EstablishOptions {
  /** The time for new conditions' `lastTransitionTime` (default: now). */
  now?: Date;
  /**
   * Why the names cannot be accepted (e.g. another CRD or a bound resource already uses
   * them); the CRD then gets `NamesAccepted` and `Established` False and is not served.
   */
  nameConflict?: string;
}

function setCondition(conditions: CrdCondition[], next: CrdCondition): CrdCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  const merged = old && old.status === next.status
    ? { ...next, lastTransitionTime: old.lastTransitionTime ?? next.lastTransitionTime }
    : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

/**
 * The CRD as stored after create/update: defaulted names and conversion, and a status
 * with `acceptedNames`, `NamesAccepted`/`Established` conditions and `storedVersions`
 * (which only grows). Does not modify its argument.
 */
export function establishCrd(
  crd: CustomResourceDefinition,
  options: EstablishOptions = {},
): CustomResourceDefinition {
  const out = structuredClone(crd);
  const time = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  out.spec.names = defaultedNames(out.spec.names);
  if (out.spec.conversion === undefined) out.spec.conversion = { strategy: "None" };
  const status = out.status ?? {};
  let conditions = status.conditions ?? [];
  if (options.nameConflict) {
    conditions = setCondition(conditions, {
      type: "NamesAccepted",
      status: "False",
      lastTransitionTime: time,
      reason: "NameConflict",
      message: options.nameConflict,
    });
    if (!isCrdEstablished(out)) {
      conditions = setCondition(conditions, {
        type: "Established",
        status: "False",
        lastTransitionTime: time,
        reason: "NotAccepted",
        message: "not all names are accepted",
      });
    }
  } else {
    status.acceptedNames = structuredClone(out.spec.names);
    conditions = setCondition(conditions, {
      type: "NamesAccepted",
      status: "True",
      lastTransitionTime: time,
      reason: "NoConflicts",
      message: "no conflicts found",
    });
    conditions = setCondition(conditions, {
      type: "Established",
      status: "True",
      lastTransitionTime: time,
      reason: "InitialNamesAccepted",
      message: "the initial names have been accepted",
    });
  }
  status.conditions = conditions;
  const stored = [...(status.storedVersions ?? [])];
  const storage = out.spec.versions?.find((v) => v.storage)?.name;
  if (storage && !stored.includes(storage)) stored.push(storage);
  status.storedVersions = stored;
  if (!status.acceptedNames) status.acceptedNames = { plural: "", kind: "" };
  out.status = status;
  return out;
}
