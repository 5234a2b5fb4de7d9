/**
 * kcp's `apis.kcp.io/v1alpha1` APIResourceSchema (kcp-spec §3.1) to and from
 * {@link ResourceDef}s: what an APIBinding serves in a consumer workspace, and how
 * `root:compute`'s `kubernetes` export schemas are made from the kube-mode catalog
 * (`v124.deployments.apps`, `v124.pods.core`, §2.8).
 *
 * Bound resources keep their objects apart per export identity: their
 * `storageResource` is `<group>/<plural>:<identityHash>`.
 *
 * @example
 * ```ts
 * const deploy = kubeModeBuiltins().find((d) => d.resource === "deployments")!;
 * const schema = resourceDefToApiResourceSchema(deploy, "v124"); // name v124.deployments.apps
 * const [bound] = apiResourceSchemaToResourceDefs(schema, identityHash);
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { type CrdNames, defsFromNamesAndVersions } from "./crd_conversion.ts";
import type { PrinterColumn, ResourceDef, ScaleSubresource } from "./resource_def.ts";

/** The parts of an APIResourceSchema kcp-lite reads and writes. */
export interface APIResourceSchema extends KubeObject {
  spec: {
    group: string;
    names: CrdNames;
    scope: "Namespaced" | "Cluster";
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: Record<string, unknown>;
      subresources?: { status?: Record<string, unknown>; scale?: ScaleSubresource };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

/** The schema name part of a group: `core` for the core group (kcp-spec §3.1). */
export function schemaGroupName(group: string): string {
  return group === "" ? "core" : group;
}

/** `<prefix>.<plural>.<group|core>`. */
export function apiResourceSchemaName(prefix: string, plural: string, group: string): string {
  return `${prefix}.${plural}.${schemaGroupName(group)}`;
}

/** Groups whose schemas need `api-approved.kubernetes.io` (kcp-spec §3.1). */
function needsApproval(group: string): boolean {
  return group === "k8s.io" || group.endsWith(".k8s.io") || group === "kubernetes.io" ||
    group.endsWith(".kubernetes.io");
}

/**
 * The bound resources of a schema (one per served version), source `binding`, carrying
 * the export's identity hash.
 */
export function apiResourceSchemaToResourceDefs(
  schema: APIResourceSchema,
  identity: string,
): ResourceDef[] {
  const key = `${schema.metadata?.uid}/${schema.metadata?.resourceVersion}/${identity}`;
  const cached = schema.metadata?.uid ? defsBySchema.get(key) : undefined;
  if (cached) return cached.map((d) => ({ ...d }));
  const defs = buildDefs(schema, identity);
  if (schema.metadata?.uid) {
    if (defsBySchema.size >= DEFS_CACHE_LIMIT) {
      defsBySchema.delete(defsBySchema.keys().next().value!);
    }
    defsBySchema.set(key, defs);
  }
  return defs.map((d) => ({ ...d }));
}

/**
 * Defs already made from a stored schema (uid, resourceVersion, identity): every workspace
 * that binds an export shares the schema objects of its resources instead of holding a
 * parsed copy of each.
 */
const defsBySchema = new Map<string, ResourceDef[]>();
const DEFS_CACHE_LIMIT = 4096;

function buildDefs(schema: APIResourceSchema, identity: string): ResourceDef[] {
  const spec = schema.spec;
  const defs = defsFromNamesAndVersions({
    group: spec.group === "core" ? "" : spec.group,
    names: spec.names,
    scope: spec.scope,
    versions: spec.versions,
    source: "binding",
  });
  for (const d of defs) {
    d.identity = identity;
    if (identity) d.storageResource = `${d.storageResource}:${identity}`;
  }
  return defs;
}

/** A plain tree copy of a (possibly shared-node) schema without descriptions. */
function withoutDescriptions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDescriptions);
  if (!v || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === "description" && typeof x === "string") continue;
    out[k] = k === "properties" && x && typeof x === "object"
      ? Object.fromEntries(
        Object.entries(x as Record<string, unknown>).map(([p, y]) => [p, withoutDescriptions(y)]),
      )
      : withoutDescriptions(x);
  }
  return out;
}

/**
 * A schema fit for a CRD: a plain tree, no GVK extension, no `metadata` properties (set
 * implicitly). Descriptions are left out: the Kubernetes schemas of the workload kinds are
 * ~430 KB each with them and ~60 KB without, and every workspace that binds them reads them.
 */
function crdSchemaOf(def: ResourceDef): Record<string, unknown> {
  if (!def.schema) return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  const s = withoutDescriptions(def.schema) as Record<string, unknown>;
  delete s["x-kubernetes-group-version-kind"];
  const props = s.properties as Record<string, unknown> | undefined;
  if (props?.metadata) props.metadata = { type: "object" };
  return s;
}

/**
 * An APIResourceSchema named `<prefix>.<plural>.<group|core>` describing `def` as its
 * only (served, storage) version, with status/scale subresources and printer columns.
 */
export function resourceDefToApiResourceSchema(
  def: ResourceDef,
  prefix: string,
): APIResourceSchema {
  const names: CrdNames = {
    plural: def.resource,
    singular: def.singularName,
    kind: def.kind,
    listKind: def.listKind,
  };
  if (def.shortNames.length) names.shortNames = [...def.shortNames];
  if (def.categories.length) names.categories = [...def.categories];
  const version: APIResourceSchema["spec"]["versions"][number] = {
    name: def.version,
    served: true,
    storage: true,
    schema: crdSchemaOf(def),
  };
  const subresources: NonNullable<typeof version.subresources> = {};
  if (def.subresources.status) subresources.status = {};
  if (def.subresources.scale) {
    subresources.scale = def.scale ?? {
      specReplicasPath: ".spec.replicas",
      statusReplicasPath: ".status.replicas",
    };
  }
  if (Object.keys(subresources).length) version.subresources = subresources;
  if (def.printerColumns?.length) {
    version.additionalPrinterColumns = def.printerColumns.map((c) => ({ ...c }));
  }
  const metadata: NonNullable<KubeObject["metadata"]> = {
    name: apiResourceSchemaName(prefix, def.resource, def.group),
  };
  if (needsApproval(def.group)) {
    metadata.annotations = { "api-approved.kubernetes.io": "https://github.com/kcp-dev/kcp" };
  }
  return {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIResourceSchema",
    metadata,
    spec: {
      group: def.group,
      names,
      scope: def.namespaced ? "Namespaced" : "Cluster",
      versions: [version],
    },
  };
}
