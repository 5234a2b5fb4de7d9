/**
 * The form an object takes in a mailbox workspace (controllers-spec §4.5): a copy of
 * the (customized) workload object without server-managed metadata, owner references
 * (UIDs mean nothing elsewhere), kcp's own annotations and status, labelled
 * `edge.kubestellar.io/projected: "yes"`; and the update of an existing mailbox copy,
 * which merges labels and annotations key by key, replaces every top-level field but
 * `metadata` and `status`, and leaves the mailbox's status (written by the syncer)
 * alone.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";

const STRIPPED_METADATA = [
  "managedFields",
  "ownerReferences",
  "resourceVersion",
  "selfLink",
  "uid",
  "creationTimestamp",
  "generation",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "clusterName",
  "finalizers",
  "generateName",
];

/** kcp's own keys (`kcp.io/cluster`, `….kcp.io/…`), never copied between workspaces. */
export function isSystemKey(key: string): boolean {
  return key.startsWith("kcp.io/") || key.includes(".kcp.io/");
}

function withoutSystemKeys(map: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (!isSystemKey(k)) out[k] = v;
  return out;
}

/** `apiVersion` of a group and version. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The create form of `customized` (a copy of a workload object) in a mailbox. */
export function projectedForm(
  customized: KubeObject,
  type: { group: string; version: string; kind: string },
): KubeObject {
  const out: KubeObject = structuredClone(customized);
  delete out.status;
  out.apiVersion = apiVersionOf(type.group, type.version);
  out.kind = type.kind;
  const md = { ...(out.metadata ?? {}) } as Record<string, unknown>;
  for (const k of STRIPPED_METADATA) delete md[k];
  const annotations = withoutSystemKeys(md.annotations as Record<string, string>);
  delete annotations[EDGE_KEYS.executingCount]; // bookkeeping of the source workspace
  if (Object.keys(annotations).length > 0) md.annotations = annotations;
  else delete md.annotations;
  md.labels = {
    ...withoutSystemKeys(md.labels as Record<string, string>),
    [EDGE_KEYS.projected]: "yes",
  };
  out.metadata = md as KubeObject["metadata"];
  return out;
}

/**
 * The update of `existing` (the mailbox copy) towards `desired` (a create form):
 * labels and annotations merged key-wise (mailbox-only keys survive), other top-level
 * fields taken from `desired`, `status` and the rest of `metadata` kept.
 */
export function mergedForm(existing: KubeObject, desired: KubeObject): KubeObject {
  const out: KubeObject = {};
  for (const [k, v] of Object.entries(desired)) {
    if (k !== "metadata" && k !== "status") out[k] = structuredClone(v);
  }
  if (existing.status !== undefined) out.status = structuredClone(existing.status);
  const md = structuredClone(existing.metadata ?? {});
  const dmd = desired.metadata ?? {};
  const annotations = { ...(md.annotations ?? {}), ...(dmd.annotations ?? {}) };
  if (Object.keys(annotations).length > 0) md.annotations = annotations;
  md.labels = { ...(md.labels ?? {}), ...(dmd.labels ?? {}), [EDGE_KEYS.projected]: "yes" };
  out.metadata = md;
  return out;
}

/** JSON text with sorted keys: equal texts mean semantically equal values. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) sorted[key] = v[key];
      return sorted;
    }
    return v;
  });
}

/** True when `a` and `b` are the same JSON value. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
