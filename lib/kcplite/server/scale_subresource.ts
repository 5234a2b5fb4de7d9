/**
 * The `scale` subresource (`…/<resource>/<name>/scale`): GET, PUT and PATCH of an
 * `autoscaling/v1` `Scale` built from its parent object.
 *
 * Built-in kinds (Deployment, ReplicaSet, StatefulSet, ReplicationController, also when
 * bound or CRD-backed) keep replicas in `spec.replicas`/`status.replicas` and report
 * `spec.selector` as the selector string; CRD-backed resources use the CRD's
 * `subresources.scale` paths. A write changes only the parent's spec replicas, through the
 * normal update path (admission, resourceVersion preconditions, dry run, watch events).
 *
 * @example
 * ```ts
 * scaleOf(deploymentDef, deployment);
 * // { apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 3 },
 * //   status: { replicas: 1, selector: "app=web" }, metadata: { name: "web", … } }
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { isObject, type JsonObject } from "../../kube/patch/json_value.ts";
import { DEFAULT_SCALE } from "../api/builtin_def.ts";
import type { ResourceDef, ScaleSubresource } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { mediaType, PATCH_MEDIA_TYPES } from "./body_codec.ts";
import { type JsonReply, type RestEnvironment, type RestRequest } from "./rest_context.ts";
import { getStored } from "./rest_read.ts";
import { applyPatch, conflict, storeUpdate } from "./rest_write.ts";

const SCALE = { group: "autoscaling", resource: "scales", kind: "Scale" };

/** Built-in kinds whose selector is `spec.selector` (and whose replicas default to 1). */
const BUILTIN_SCALED = new Set([
  "apps/Deployment",
  "apps/ReplicaSet",
  "apps/StatefulSet",
  "/ReplicationController",
]);

function isBuiltinScaled(def: ResourceDef): boolean {
  return BUILTIN_SCALED.has(`${def.group}/${def.kind}`);
}

/** The field names of a `.spec.replicas`-style path. */
function fieldsOf(path: string): string[] {
  return path.split(".").filter((p) => p !== "");
}

function readPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const f of fieldsOf(path)) {
    if (!isObject(node)) return undefined;
    node = node[f];
  }
  return node;
}

function writePath(obj: JsonObject, path: string, value: unknown): void {
  const fields = fieldsOf(path);
  let node = obj;
  for (const f of fields.slice(0, -1)) {
    if (!isObject(node[f])) node[f] = {};
    node = node[f] as JsonObject;
  }
  node[fields[fields.length - 1]] = value;
}

/** `k=v,k2 in (a,b),!k3` for a LabelSelector (or a plain map, as ReplicationControllers have). */
export function selectorString(selector: unknown): string {
  if (!isObject(selector)) return "";
  const isLabelSelector = "matchLabels" in selector || "matchExpressions" in selector;
  const labels = isLabelSelector ? selector.matchLabels : selector;
  const parts: { key: string; text: string }[] = [];
  if (isObject(labels)) {
    for (const [k, v] of Object.entries(labels)) parts.push({ key: k, text: `${k}=${v}` });
  }
  const expressions = isLabelSelector && Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions
    : [];
  for (const e of expressions) {
    if (!isObject(e)) continue;
    const key = String(e.key ?? "");
    const values = Array.isArray(e.values) ? e.values.map(String).sort().join(",") : "";
    const text = e.operator === "In"
      ? `${key} in (${values})`
      : e.operator === "NotIn"
      ? `${key} notin (${values})`
      : e.operator === "DoesNotExist"
      ? `!${key}`
      : key;
    parts.push({ key, text });
  }
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text).join(",");
}

function pathsOf(def: ResourceDef): ScaleSubresource {
  return def.scale ?? DEFAULT_SCALE;
}

/** The `autoscaling/v1` Scale of a parent object. */
export function scaleOf(def: ResourceDef, parent: KubeObject): KubeObject {
  const paths = pathsOf(def);
  const builtin = isBuiltinScaled(def);
  const specReplicas = readPath(parent, paths.specReplicasPath);
  const statusReplicas = readPath(parent, paths.statusReplicasPath);
  const selector = builtin
    ? selectorString(readPath(parent, ".spec.selector"))
    : paths.labelSelectorPath
    ? readPath(parent, paths.labelSelectorPath)
    : undefined;
  const meta = parent.metadata ?? {};
  const metadata: JsonObject = { name: meta.name };
  for (const f of ["namespace", "uid", "resourceVersion", "creationTimestamp"] as const) {
    if (meta[f] !== undefined) metadata[f] = meta[f];
  }
  const status: JsonObject = {
    replicas: typeof statusReplicas === "number" ? statusReplicas : 0,
  };
  if (typeof selector === "string" && selector !== "") status.selector = selector;
  return {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata,
    spec: { replicas: typeof specReplicas === "number" ? specReplicas : builtin ? 1 : 0 },
    status,
  } as KubeObject;
}

function invalid(name: string, field: string, message: string): StatusError {
  return StatusError.invalid(SCALE.kind, SCALE.group, name, [{ field, message }]);
}

/** Checks a Scale body against the URL; returns its spec replicas. */
function replicasOf(req: RestRequest, body: unknown): number {
  if (!isObject(body)) throw StatusError.badRequest("the request body must be a JSON object");
  const name = req.info.name;
  if (body.kind !== undefined && body.kind !== "Scale") {
    throw StatusError.badRequest(`the kind in the body (${String(body.kind)}) must be Scale`);
  }
  const meta = isObject(body.metadata) ? body.metadata : {};
  if (meta.name !== undefined && meta.name !== name) {
    throw StatusError.badRequest(
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    );
  }
  const replicas = isObject(body.spec) ? body.spec.replicas : undefined;
  const value = replicas ?? 0;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalid(
      name,
      "spec.replicas",
      `Invalid value: ${JSON.stringify(value)}: must be an integer`,
    );
  }
  if (value < 0) {
    throw invalid(
      name,
      "spec.replicas",
      `Invalid value: ${value}: must be greater than or equal to 0`,
    );
  }
  return value;
}

/** Writes a Scale body to the parent: only spec replicas change. */
function writeScale(env: RestEnvironment, req: RestRequest, prev: KubeObject, body: unknown) {
  const replicas = replicasOf(req, body);
  const rv = isObject(body) && isObject(body.metadata) ? body.metadata.resourceVersion : undefined;
  if (rv && rv !== prev.metadata?.resourceVersion) throw conflict(req, req.info.name);
  const next = structuredClone(prev);
  writePath(next as JsonObject, pathsOf(req.def).specReplicasPath, replicas);
  const stored = JSON.parse(storeUpdate(env, req, next, prev)) as KubeObject;
  return { status: 200, body: scaleOf(req.def, stored) };
}

/** Serves GET, PUT and PATCH of `…/<name>/scale`. */
export function handleScale(env: RestEnvironment, req: RestRequest): JsonReply {
  if (!req.def.subresources.scale) {
    throw StatusError.notFound(
      { group: req.def.group, resource: `${req.def.resource}/scale` },
      req.info.name,
    );
  }
  const prev = getStored(env, req);
  switch (req.info.verb) {
    case "get":
      return { status: 200, body: scaleOf(req.def, prev) };
    case "update":
      return writeScale(env, req, prev, req.body);
    case "patch": {
      if (PATCH_MEDIA_TYPES[mediaType(req.contentType)] === "apply") {
        throw new StatusError(
          415,
          "UnsupportedMediaType",
          "server-side apply of the scale subresource is not supported by kcp-lite",
        );
      }
      const scaleReq = { ...req, def: { ...req.def, group: SCALE.group, kind: SCALE.kind } };
      const patched = applyPatch(scaleReq, scaleOf(req.def, prev));
      return writeScale(env, req, prev, patched);
    }
    default:
      throw StatusError.methodNotAllowed(
        `the server does not allow this method on the requested resource`,
      );
  }
}
