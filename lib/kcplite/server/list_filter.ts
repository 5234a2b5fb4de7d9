/**
 * List options (kcp-spec §8.4): `labelSelector`, `fieldSelector` (`metadata.name`,
 * `metadata.namespace` for every kind, plus a few per-kind fields) and `limit`/`continue`
 * pagination with an opaque continue token (the store position after which the next page
 * starts).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { parseLabelSelector, type Selector, SelectorError } from "../../kube/label_selector.ts";
import { type FieldSelector, parseFieldSelector } from "../../kube/field_selector.ts";
import type { ResourceDef } from "../api/resource_def.ts";
import type { ListPosition } from "../store/object_store.ts";
import { StatusError } from "../api/status_error.ts";

/** A compiled label + field filter. */
export interface ObjectFilter {
  matches(obj: KubeObject): boolean;
  /** False when the filter lets everything through (no selector at all). */
  selects?: boolean;
  /**
   * Present when the filter looks only at the name and namespace, which the store key
   * holds: a watch decides on an event without parsing its object.
   */
  matchesKey?(key: { name: string; namespace: string }): boolean;
  /**
   * Present when the filter looks only at the labels, the name and the namespace: a watch
   * decides from the labels its event carries, again without parsing the object.
   */
  matchesLabels?(
    labels: Readonly<Record<string, string>>,
    key: { name: string; namespace: string },
  ): boolean;
}

/** Per-kind selectable fields beyond metadata.name/namespace: field → path. */
const EXTRA_FIELDS: Record<string, Record<string, string[]>> = {
  "/secrets": { type: ["type"] },
  "/namespaces": { "status.phase": ["status", "phase"] },
  "/pods": {
    "status.phase": ["status", "phase"],
    "spec.nodeName": ["spec", "nodeName"],
    "spec.restartPolicy": ["spec", "restartPolicy"],
  },
  "/events": {
    "involvedObject.kind": ["involvedObject", "kind"],
    "involvedObject.name": ["involvedObject", "name"],
    "involvedObject.namespace": ["involvedObject", "namespace"],
    "involvedObject.uid": ["involvedObject", "uid"],
    "reason": ["reason"],
    "type": ["type"],
  },
};

function at(obj: unknown, path: string[]): string {
  let v: unknown = obj;
  for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
  return v === undefined || v === null ? "" : String(v);
}

/** The selectable fields of an object. */
export function objectFields(def: ResourceDef, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = {
    "metadata.name": obj.metadata?.name ?? "",
  };
  if (def.namespaced) fields["metadata.namespace"] = obj.metadata?.namespace ?? "";
  for (const [f, path] of Object.entries(EXTRA_FIELDS[def.storageResource] ?? {})) {
    fields[f] = at(obj, path);
  }
  return fields;
}

/** Compiles `labelSelector` and `fieldSelector`; 400 on bad syntax or unsupported fields. */
export function compileFilter(def: ResourceDef, query: URLSearchParams): ObjectFilter {
  let labels: Selector | undefined;
  let fields: FieldSelector | undefined;
  try {
    const l = query.get("labelSelector");
    if (l) labels = parseLabelSelector(l);
    const f = query.get("fieldSelector");
    if (f) fields = parseFieldSelector(f);
  } catch (e) {
    if (e instanceof SelectorError || e instanceof Error) {
      throw StatusError.badRequest(`unable to parse requirement: ${e.message}`);
    }
    throw e;
  }
  if (fields) {
    const supported = new Set([
      "metadata.name",
      ...(def.namespaced ? ["metadata.namespace"] : []),
      ...Object.keys(EXTRA_FIELDS[def.storageResource] ?? {}),
    ]);
    for (const r of fields.requirements) {
      if (!supported.has(r.field)) {
        throw StatusError.badRequest(`field label not supported: ${r.field}`);
      }
    }
  }
  const filter: ObjectFilter = {
    selects: labels !== undefined || (fields !== undefined && !fields.empty),
    matches(obj: KubeObject): boolean {
      if (labels && !labels.matches(obj.metadata?.labels ?? {})) return false;
      if (fields && !fields.empty && !fields.matches(objectFields(def, obj))) return false;
      return true;
    },
  };
  const byKey = (r: { field: string }) =>
    r.field === "metadata.name" || r.field === "metadata.namespace";
  const keyFields = (key: { name: string; namespace: string }) => ({
    "metadata.name": key.name,
    ...(def.namespaced ? { "metadata.namespace": key.namespace } : {}),
  });
  const onlyKeyFields = !fields || fields.empty || fields.requirements.every(byKey);
  if (!labels && fields && !fields.empty && onlyKeyFields) {
    filter.matchesKey = (key) => fields.matches(keyFields(key));
  }
  if (labels && onlyKeyFields) {
    filter.matchesLabels = (objectLabels, key) =>
      labels.matches(objectLabels) &&
      (!fields || fields.empty || fields.matches(keyFields(key)));
  }
  return filter;
}

/** The `limit` of a list request; 0 when there is none. */
export function listLimit(query: URLSearchParams): number {
  const limit = Number(query.get("limit") ?? "0");
  return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0;
}

/** True when a list request has a label or field selector. */
export function hasSelectors(query: URLSearchParams): boolean {
  return !!(query.get("labelSelector") || query.get("fieldSelector"));
}

/** The continue token of a page that ends at `last` of a list at `rv`. */
export function continueToken(rv: number, last: ListPosition): string {
  return btoa(JSON.stringify({ rv, after: [last.cluster, last.namespace, last.name] }));
}

/** Where the `continue` parameter says the page starts; 400 for a malformed token. */
export function continuePosition(query: URLSearchParams): ListPosition | undefined {
  const token = query.get("continue");
  if (!token) return undefined;
  try {
    const decoded = JSON.parse(atob(token)) as { after?: unknown };
    const after = decoded.after;
    if (
      !Array.isArray(after) || after.length !== 3 || !after.every((s) => typeof s === "string")
    ) {
      throw new Error("bad token");
    }
    return { cluster: after[0], namespace: after[1], name: after[2] };
  } catch {
    throw StatusError.badRequest("the provided continue parameter is not valid");
  }
}
