/**
 * A compact way to declare one built-in resource of the catalogs: sensible defaults
 * for verbs, singular name, list kind and schema, so each catalog entry is one line or
 * a few.
 *
 * @example
 * ```ts
 * const cm = builtin({ version: "v1", resource: "configmaps", kind: "ConfigMap",
 *   namespaced: true, shortNames: ["cm"] });
 * cm.storageResource; // "/configmaps"
 * ```
 *
 * @module
 */
import {
  type PrinterColumn,
  type ResourceDef,
  type ScaleSubresource,
  storageResourceOf,
  type SubresourceDef,
} from "./resource_def.ts";
import { builtinKindSchema } from "./builtin_schemas.ts";
import { kindSchema, type Schema } from "./schema_builders.ts";

/** Every verb of a normal resource, in discovery's (alphabetical) order. */
export const CRUD_VERBS: readonly string[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** Verbs of review-style resources (SubjectAccessReview, TokenReview, …). */
export const CREATE_ONLY_VERBS: readonly string[] = ["create"];

/** Verbs of read-only resources. */
export const READ_VERBS: readonly string[] = ["get", "list", "watch"];

/** Verbs of a status subresource. */
export const STATUS_VERBS: readonly string[] = ["get", "patch", "update"];

/** Where `/scale` finds replicas for the apps kinds. */
export const DEFAULT_SCALE: ScaleSubresource = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.replicas",
  labelSelectorPath: ".status.selector",
};

/** What a catalog entry states; everything else is derived. */
export interface BuiltinSpec {
  group?: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  singularName?: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: readonly string[];
  status?: boolean;
  scale?: boolean;
  extraSubresources?: SubresourceDef[];
  printerColumns?: PrinterColumn[];
  /**
   * Top-level fields besides apiVersion/kind/metadata, for kinds without a Kubernetes
   * definition in `builtin_openapi_data.ts` (default: free-form spec + status).
   */
  fields?: Record<string, Schema>;
  /** Keep unknown top-level fields (for kinds whose fields are not all listed). */
  open?: boolean;
  /** A complete schema, replacing the generated one. */
  schema?: Schema;
}

/** A `ResourceDef` of source `builtin` from a catalog entry. */
export function builtin(spec: BuiltinSpec): ResourceDef {
  const group = spec.group ?? "";
  const def: ResourceDef = {
    group,
    version: spec.version,
    resource: spec.resource,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    singularName: spec.singularName ?? spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: [...(spec.verbs ?? CRUD_VERBS)],
    subresources: { status: spec.status ?? false, scale: spec.scale ?? false },
    schema: spec.schema ?? builtinKindSchema(group, spec.version, spec.kind) ??
      kindSchema(group, spec.version, spec.kind, spec.fields, spec.open),
    storageResource: storageResourceOf(group, spec.resource),
    source: "builtin",
  };
  if (spec.scale) def.scale = DEFAULT_SCALE;
  if (spec.extraSubresources) def.extraSubresources = spec.extraSubresources;
  if (spec.printerColumns) def.printerColumns = spec.printerColumns;
  return def;
}

/** Sorts defs the way registries list them: core group first, then by group, version, plural. */
export function compareDefs(a: ResourceDef, b: ResourceDef): number {
  if (a.group !== b.group) {
    if (a.group === "") return -1;
    if (b.group === "") return 1;
    return a.group < b.group ? -1 : 1;
  }
  if (a.version !== b.version) return compareVersionPriority(a.version, b.version);
  return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes version priority as a comparator (higher priority first): GA before beta
 * before alpha, higher numbers first, then non-Kubernetes-like versions alphabetically.
 */
export function compareVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const rank = (m: RegExpExecArray) => (m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1);
  if (rank(ma) !== rank(mb)) return rank(mb) - rank(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
