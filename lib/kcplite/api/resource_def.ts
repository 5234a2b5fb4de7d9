/**
 * What kcp-lite knows about one served resource (one group/version/plural), and the
 * per-logical-cluster registry of them that discovery, OpenAPI and the REST handlers
 * consult. Built-in kinds, CRDs and resources bound through APIBindings all end up as
 * `ResourceDef`s.
 *
 * @module
 */

/** One served resource at one version. */
export interface ResourceDef {
  /** API group; `""` for the core group. */
  group: string;
  version: string;
  /** Plural resource name (`deployments`). */
  resource: string;
  kind: string;
  listKind: string;
  /** Lower-case singular (`deployment`). */
  singularName: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Verbs for discovery (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`). */
  verbs: string[];
  subresources: { status: boolean; scale: boolean };
  /**
   * The OpenAPI v3 schema of the whole object (`openAPIV3Schema`), used for the
   * `/openapi/v3` documents and for pruning/validation; undefined means "any object".
   */
  schema?: Record<string, unknown>;
  /** The store's resource key: `<group>/<plural>` (all versions of a resource share it). */
  storageResource: string;
  /** Where it comes from. */
  source: "builtin" | "crd" | "binding";
  /** For bound resources: the APIExport identity hash (kcp's `:identity` suffix). */
  identity?: string;
  /** Table columns besides NAME (CRD `additionalPrinterColumns`); undefined: just NAME, AGE. */
  printerColumns?: PrinterColumn[];
  /** Where the scale subresource finds replicas (CRD `subresources.scale`). */
  scale?: ScaleSubresource;
  /** Discovery-only subresources besides status/scale (`namespaces/finalize`, `pods/log`). */
  extraSubresources?: SubresourceDef[];
  /** The CRD's name for CRD-backed resources (`widgets.example.com`). */
  crdName?: string;
}

/** One Table column (the shape of a CRD's `additionalPrinterColumns` entry). */
export interface PrinterColumn {
  name: string;
  /** `string`, `integer`, `number`, `boolean` or `date`. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  /** A simple JSONPath such as `.spec.replicas` or `.metadata.labels['region']`. */
  jsonPath: string;
}

/** The CRD `subresources.scale` paths. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** A subresource listed in discovery only. */
export interface SubresourceDef {
  /** `finalize`, `token`, `log`, … */
  name: string;
  /** Response kind (`Namespace`, `TokenRequest`, …). */
  kind: string;
  /** Group/version of the response kind when it differs from the parent's. */
  group?: string;
  version?: string;
  verbs: string[];
}

/** The resources served in one logical cluster (or by one kube-mode server). */
export interface ResourceRegistry {
  /** Every served resource, in a stable order (core first, then groups by name). */
  all(): ResourceDef[];
  /** The resource at group/version/plural, if served. */
  lookup(group: string, version: string, resource: string): ResourceDef | undefined;
  /** The resource for a group/version/kind, if served. */
  lookupKind(group: string, version: string, kind: string): ResourceDef | undefined;
}

/** The store key of a resource. */
export function storageResourceOf(group: string, resource: string): string {
  return `${group}/${resource}`;
}

/** `apiVersion` of a group/version (`v1` for the core group). */
export function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}
