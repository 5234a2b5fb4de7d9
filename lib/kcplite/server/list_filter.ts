/**
 * List options (kcp-spec §8.4): `labelSelector`, `fieldSelector` (`metadata.name`,
 * `metadata.namespace` for every kind, plus a few per-kind fields) and `limit`/`continue`
 * pagination with an opaque continue token.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { parseLabelSelector, type Selector, SelectorError } from "../../kube/label_selector.ts";
import { type FieldSelector, parseFieldSelector } from "../../kube/field_selector.ts";
import type { ResourceDef } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";

/** A compiled label + field filter. */
export interface ObjectFilter {
  matches(obj: KubeObject): boolean;
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
  return {
    matches(obj: KubeObject): boolean {
      if (labels && !labels.matches(obj.metadata?.labels ?? {})) return false;
      if (fields && !fields.empty && !fields.matches(objectFields(def, obj))) return false;
      return true;
    },
  };
}

/** A page of a list. */
export interface ListPage {
  items: KubeObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

function itemKey(obj: KubeObject): string {
  const cluster = obj.metadata?.annotations?.["kcp.io/cluster"] ?? "";
  return `${cluster}\u0000${obj.metadata?.namespace ?? ""}\u0000${obj.metadata?.name ?? ""}`;
}

function continueAfter(query: URLSearchParams): string | undefined {
  const token = query.get("continue");
  if (!token) return undefined;
  try {
    const decoded = JSON.parse(atob(token)) as { rv: number; after: string };
    if (typeof decoded.after !== "string") throw new Error("bad token");
    return decoded.after;
  } catch {
    throw StatusError.badRequest("the provided continue parameter is not valid");
  }
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

/**
 * {@link paginate} for unfiltered items kept as JSON text (sorted like the store sorts
 * them): the start of the page is found by binary search, and only the page is parsed.
 */
export function paginateJson(
  json: string[],
  query: URLSearchParams,
  rv: number,
  oneCluster: boolean,
): ListPage {
  const after = continueAfter(query);
  let start = 0;
  if (after !== undefined) {
    // Within one cluster the store orders by namespace and name alone (objects written by
    // the system may lack the cluster annotation that starts the token's key).
    const withoutCluster = (k: string) => oneCluster ? k.slice(k.indexOf("\u0000") + 1) : k;
    const bound = withoutCluster(after);
    let hi = json.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (withoutCluster(itemKey(JSON.parse(json[mid]) as KubeObject)) > bound) hi = mid;
      else start = mid + 1;
    }
  }
  const limit = listLimit(query);
  const end = limit === 0 ? json.length : Math.min(json.length, start + limit);
  const items = json.slice(start, end).map((j) => JSON.parse(j) as KubeObject);
  if (end >= json.length) return { items };
  return {
    items,
    continueToken: btoa(JSON.stringify({ rv, after: itemKey(items[items.length - 1]) })),
    remainingItemCount: json.length - end,
  };
}

/** Cuts a page out of sorted, filtered items per `limit` and `continue`. */
export function paginate(items: KubeObject[], query: URLSearchParams, rv: number): ListPage {
  const limit = Number(query.get("limit") ?? "0");
  const after = continueAfter(query);
  let start = 0;
  if (after !== undefined) {
    start = items.findIndex((o) => itemKey(o) > after);
    if (start < 0) start = items.length;
  }
  if (!Number.isFinite(limit) || limit <= 0 || start + limit >= items.length) {
    return { items: items.slice(start) };
  }
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  return {
    items: page,
    continueToken: btoa(JSON.stringify({ rv, after: itemKey(last) })),
    remainingItemCount: items.length - start - limit,
  };
}
