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

/** Cuts a page out of sorted, filtered items per `limit` and `continue`. */
export function paginate(items: KubeObject[], query: URLSearchParams, rv: number): ListPage {
  const limit = Number(query.get("limit") ?? "0");
  const token = query.get("continue");
  let start = 0;
  if (token) {
    let after: string;
    try {
      const decoded = JSON.parse(atob(token)) as { rv: number; after: string };
      after = decoded.after;
      if (typeof after !== "string") throw new Error("bad token");
    } catch {
      throw StatusError.badRequest("the provided continue parameter is not valid");
    }
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
