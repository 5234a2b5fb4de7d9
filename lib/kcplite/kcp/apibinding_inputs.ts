/**
 * What the APIBinding controller knows without reading the store for every binding: the
 * bindings of each export name (so that an export or schema change requeues only the
 * bindings that may use it), summaries of the exports and APIResourceSchemas bindings
 * use (read once: schemas are whole OpenAPI trees, and every default binding of every
 * workspace reads its export and schemas), and which clusters have CRDs a binding could
 * clash with. Kept from the controller's watches: each event drops or updates what it
 * changes.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { exportReferenceOf } from "./apibinding_admission.ts";
import { A, R } from "./kcp_kinds.ts";
import { keyOf } from "./system_writer.ts";
import type { WatchedChange } from "./store_controller.ts";

/** What a binding uses of an APIExport. */
export interface ExportSummary {
  identityHash?: string;
  latestResourceSchemas: string[];
  /** Its `extra.apis.kcp.io/` annotations, copied to the bindings. */
  extraAnnotations: [string, string][];
}

/** What a binding uses of an APIResourceSchema. */
export interface SchemaSummary {
  group: string;
  plural: string;
  storage: string;
  uid?: string;
}

interface SchemaSpec {
  group?: string;
  names?: { plural?: string; kind?: string };
  versions?: { name: string; storage?: boolean }[];
}

function summarizeExport(exp: KubeObject): ExportSummary {
  return {
    identityHash: (exp.status as { identityHash?: string } | undefined)?.identityHash,
    latestResourceSchemas:
      (exp.spec as { latestResourceSchemas?: string[] } | undefined)?.latestResourceSchemas ?? [],
    extraAnnotations: Object.entries(exp.metadata?.annotations ?? {}).filter(([k]) =>
      k.startsWith(A.extraPrefix)
    ),
  };
}

/** The summary of a usable schema; undefined when missing or invalid. */
function summarizeSchema(schema: KubeObject | undefined): SchemaSummary | undefined {
  const spec = (schema?.spec ?? {}) as SchemaSpec;
  const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
  if (!schema || !spec.names?.plural || !storage) return undefined;
  return { group: spec.group ?? "", plural: spec.names.plural, storage, uid: schema.metadata?.uid };
}

/** The controller's indexes and summaries; see the module documentation. */
export class BindingInputs {
  readonly #store: ObjectStore;
  /** export name → reconcile keys of the bindings that reference it. */
  readonly #byExportName = new Map<string, Set<string>>();
  readonly #exportNameOf = new Map<string, string>();
  readonly #schemas = new Map<string, SchemaSummary | undefined>();
  readonly #exports = new Map<string, ExportSummary>();
  /** cluster → names of its CRDs. */
  readonly #crds = new Map<string, Set<string>>();

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** Follows a binding's export reference (immutable: an update is not parsed again). */
  bindingChanged(key: string, change: WatchedChange): void {
    const before = this.#exportNameOf.get(key);
    if (change.type === "MODIFIED" && before !== undefined) return;
    const after = change.type === "DELETED" ? undefined : exportReferenceOf(change.object)?.name;
    if (before === after) return;
    if (before !== undefined) this.#byExportName.get(before)?.delete(key);
    if (after === undefined) {
      this.#exportNameOf.delete(key);
      return;
    }
    this.#exportNameOf.set(key, after);
    let set = this.#byExportName.get(after);
    if (!set) this.#byExportName.set(after, set = new Set());
    set.add(key);
  }

  /** Reconcile keys of the bindings that reference an export of this name. */
  bindingsOf(exportName: string): string[] {
    return [...this.#byExportName.get(exportName) ?? []];
  }

  /** What bindings use of export `name` in `cluster`; undefined when there is none. */
  exportSummary(cluster: string, name: string): ExportSummary | undefined {
    const key = `${cluster}|${name}`;
    let summary = this.#exports.get(key);
    if (!summary) {
      const exp = this.#store.get(keyOf(cluster, R.exports, name));
      if (!exp) return undefined;
      this.#exports.set(key, summary = summarizeExport(exp));
    }
    return summary;
  }

  exportChanged(cluster: string, name: string): void {
    this.#exports.delete(`${cluster}|${name}`);
  }

  /** What bindings use of schema `name` in `cluster`; undefined when missing or invalid. */
  schemaSummary(cluster: string, name: string): SchemaSummary | undefined {
    const key = `${cluster}|${name}`;
    if (!this.#schemas.has(key)) {
      this.#schemas.set(key, summarizeSchema(this.#store.get(keyOf(cluster, R.schemas, name))));
    }
    return this.#schemas.get(key);
  }

  schemaChanged(cluster: string, name: string): void {
    this.#schemas.delete(`${cluster}|${name}`);
  }

  crdChanged(cluster: string, name: string, deleted: boolean): void {
    let names = this.#crds.get(cluster);
    if (deleted) {
      names?.delete(name);
      if (names?.size === 0) this.#crds.delete(cluster);
      return;
    }
    if (!names) this.#crds.set(cluster, names = new Set());
    names.add(name);
  }

  /** Whether the cluster has CustomResourceDefinitions. */
  hasCrds(cluster: string): boolean {
    return this.#crds.has(cluster);
  }
}
