/**
 * How the syncer copies objects between a mailbox and a WEC (controllers-spec §5.5,
 * §5.7): the copy loses what the source server manages (uid, resourceVersion,
 * timestamps, managedFields, owner references, `kcp.io/cluster`) and its status, and
 * gains the ownership annotation `edge.kubestellar.io/downsynced` (or `…/upsynced`)
 * `<Kind>/<namespace>/<name>`. The syncer only ever updates or deletes objects that
 * carry its ownership annotation.
 *
 * @example
 * ```ts
 * const desired = copyForTarget(mailboxDeployment, EDGE_KEYS.downsynced);
 * if (!sameContent(desired, wecDeployment)) await wec.update(ref, { ...desired, ... });
 * ```
 *
 * @module
 */
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { KubeObject } from "../kube/rest_client.ts";

/** Metadata fields a server sets and a copy must not carry. */
const SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "creationTimestamp",
  "generation",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
  "generateName",
];

/** Annotations that describe the source server, not the object. */
const SERVER_ANNOTATIONS = [
  EDGE_KEYS.kcpCluster,
  EDGE_KEYS.associatedState,
  "kubectl.kubernetes.io/last-applied-configuration",
];

/** The ownership value of an object: `<Kind>/<namespace>/<name>`. */
export function ownershipValue(obj: KubeObject): string {
  return `${obj.kind ?? ""}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

/** True when `obj` carries ownership annotation `key` with its own `<Kind>/<ns>/<name>`. */
export function isOwned(obj: KubeObject, key: string): boolean {
  const value = obj.metadata?.annotations?.[key];
  if (value === undefined) return false;
  // The kind is not always filled in by every server's list items; compare the rest.
  const own = ownershipValue(obj);
  return value === own || value.replace(/^[^/]*\//, "") === own.replace(/^[^/]*\//, "");
}

/** True when the object asks to be created only, never overwritten or deleted. */
export function isCreateOnly(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.annotations?.[EDGE_KEYS.downsyncOverwrite] === "false";
}

/** A deep copy of JSON data. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * The object to write on the other side: `source` without server-managed metadata and
 * status, with ownership annotation `ownerKey` (keep status with `keepStatus`).
 */
export function copyForTarget(
  source: KubeObject,
  ownerKey: string,
  keepStatus = false,
): KubeObject {
  const copy = cloneJson(source);
  const md = (copy.metadata ??= {});
  for (const f of SERVER_METADATA) delete md[f];
  const annotations: Record<string, string> = { ...(md.annotations ?? {}) };
  for (const a of SERVER_ANNOTATIONS) delete annotations[a];
  delete annotations[EDGE_KEYS.downsynced];
  delete annotations[EDGE_KEYS.upsynced];
  annotations[ownerKey] = ownershipValue(source);
  md.annotations = annotations;
  if (!keepStatus) delete copy.status;
  return copy;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      out[k] = sortKeys((v as Record<string, unknown>)[k]);
    }
    return out;
  }
  return v;
}

/** True when every field of `want` is present with the same value in `have`. */
export function containedIn(want: unknown, have: unknown): boolean {
  if (want === null || typeof want !== "object") return want === have;
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return false;
    return want.every((w, i) => containedIn(w, have[i]));
  }
  if (!have || typeof have !== "object" || Array.isArray(have)) return false;
  const h = have as Record<string, unknown>;
  return Object.entries(want as Record<string, unknown>).every(([k, w]) =>
    w === undefined || containedIn(w, h[k])
  );
}

function withoutServerAnnotations(a: Record<string, string> | undefined): Record<string, string> {
  const copy = { ...(a ?? {}) };
  for (const k of SERVER_ANNOTATIONS) delete copy[k];
  return copy;
}

/**
 * True when `target` already holds `desired`: labels and annotations equal, and every
 * other field of `desired` present with the same value (fields the target server
 * defaulted are not differences).
 */
export function sameContent(desired: KubeObject, target: KubeObject): boolean {
  const dm = desired.metadata ?? {};
  const tm = target.metadata ?? {};
  if (!sameJson(dm.labels ?? {}, tm.labels ?? {})) return false;
  if (
    !sameJson(withoutServerAnnotations(dm.annotations), withoutServerAnnotations(tm.annotations))
  ) {
    return false;
  }
  const { metadata: _a, status: _s, ...rest } = desired;
  return containedIn(rest, target);
}

/** True when both statuses are the same JSON. */
export function sameStatus(a: unknown, b: unknown): boolean {
  return sameJson(a ?? null, b ?? null);
}
