/**
 * The generic object lifecycle of a write (kcp-spec §8.5): names and `generateName`,
 * uid, creationTimestamp, generation, the status subresource split, immutable metadata,
 * and the checks that make a body fit its URL (kind, apiVersion, namespace, name).
 *
 * All functions work on plain objects and throw `StatusError`s.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import {
  generateName,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateLabelValue,
  validateQualifiedName,
} from "../../kube/names.ts";
import { deepEqual } from "../../kube/patch/json_value.ts";
import { apiVersionOf, type ResourceDef } from "../api/resource_def.ts";
import { type StatusCause, StatusError } from "../api/status_error.ts";
import { isPlainObject } from "./body_codec.ts";

type Meta = NonNullable<KubeObject["metadata"]>;

const MAX_ANNOTATIONS_BYTES = 262144;

/** Kinds whose names follow the path-segment rule instead of DNS-1123 subdomains. */
const PATH_SEGMENT_NAMED = new Set([
  "rbac.authorization.k8s.io/roles",
  "rbac.authorization.k8s.io/clusterroles",
  "rbac.authorization.k8s.io/rolebindings",
  "rbac.authorization.k8s.io/clusterrolebindings",
]);

/** The second {@link nowTimestamp} last formatted, and its text. */
let timestampSecond = 0;
let timestampText = "";

/** A fresh RFC 3339 timestamp with second precision, like Kubernetes. */
export function nowTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== timestampSecond) {
    timestampSecond = second;
    timestampText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return timestampText;
}

/** Problems with a name for a resource, in Kubernetes' wording. */
export function nameProblems(def: ResourceDef, name: string): string[] {
  if (def.storageResource === "/namespaces") return validateDns1123Label(name);
  if (PATH_SEGMENT_NAMED.has(def.storageResource)) {
    if (name === "." || name === "..") return [`may not be '${name}'`];
    const bad = ["/", "%"].filter((c) => name.includes(c));
    return bad.map((c) => `may not contain '${c}'`);
  }
  return validateDns1123Subdomain(name);
}

/**
 * Checks that the body is an object of the URL's kind and version, and that its namespace
 * and name agree with the URL. Returns the body as a KubeObject with `metadata` present.
 */
export function checkBodyFitsUrl(
  def: ResourceDef,
  body: unknown,
  urlNamespace: string,
  urlName: string,
): KubeObject {
  if (!isPlainObject(body)) throw StatusError.badRequest("the request body must be a JSON object");
  const obj = body as KubeObject;
  const expected = apiVersionOf(def.group, def.version);
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw StatusError.badRequest(
      `the kind in the body (${String(obj.kind)}) does not match the kind of the URL's ` +
        `resource ${def.resource} (${def.kind})`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw StatusError.badRequest(
      `the API version in the data (${
        String(obj.apiVersion)
      }) does not match the expected API version (${expected})`,
    );
  }
  if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) {
    throw StatusError.badRequest("metadata must be an object");
  }
  const meta = (obj.metadata ??= {});
  if (def.namespaced) {
    if (meta.namespace && urlNamespace && meta.namespace !== urlNamespace) {
      throw StatusError.badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    if (urlNamespace) meta.namespace = urlNamespace;
  } else {
    delete meta.namespace;
  }
  if (urlName && meta.name && meta.name !== urlName) {
    throw StatusError.badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${urlName})`,
    );
  }
  if (urlName && !meta.name) meta.name = urlName;
  return typeFirst(obj, expected, def.kind);
}

/**
 * The object with `apiVersion` and `kind` set and first, as a kube-apiserver writes them:
 * a watch then sends the stored text on as it is (see watch_stream.ts).
 */
function typeFirst(obj: KubeObject, apiVersion: string, kind: string): KubeObject {
  let position = 0;
  for (const key in obj) {
    if (key !== (position === 0 ? "apiVersion" : "kind")) break;
    if (++position === 2) break;
  }
  if (position === 2) {
    obj.apiVersion = apiVersion;
    obj.kind = kind;
    return obj;
  }
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return { apiVersion, kind, ...rest };
}

/** Validates labels, annotations and the name; returns 422 causes. */
export function metadataProblems(def: ResourceDef, meta: Meta): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = meta.name ?? "";
  for (const p of nameProblems(def, name)) {
    causes.push({ field: "metadata.name", message: `Invalid value: "${name}": ${p}` });
  }
  const labels = meta.labels;
  if (labels !== undefined && !isPlainObject(labels)) {
    causes.push({ field: "metadata.labels", message: "must be a map of strings" });
  } else {
    for (const [k, v] of Object.entries(labels ?? {})) {
      for (const p of validateQualifiedName(k)) {
        causes.push({ field: "metadata.labels", message: `Invalid value: "${k}": ${p}` });
      }
      for (const p of validateLabelValue(String(v))) {
        causes.push({ field: `metadata.labels`, message: `Invalid value: "${v}": ${p}` });
      }
    }
  }
  const annotations = meta.annotations;
  if (annotations !== undefined && !isPlainObject(annotations)) {
    causes.push({ field: "metadata.annotations", message: "must be a map of strings" });
  } else if (annotations) {
    let size = 0;
    for (const [k, v] of Object.entries(annotations)) {
      size += k.length + String(v).length;
      for (const p of validateQualifiedName(k.toLowerCase())) {
        causes.push({ field: "metadata.annotations", message: `Invalid value: "${k}": ${p}` });
      }
    }
    if (size > MAX_ANNOTATIONS_BYTES) {
      causes.push({
        field: "metadata.annotations",
        reason: "FieldValueTooLong",
        message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
      });
    }
  }
  return causes;
}

/** Throws 422 when there are causes. */
export function throwIfInvalid(def: ResourceDef, name: string, causes: StatusCause[]): void {
  if (causes.length > 0) throw StatusError.invalid(def.kind, def.group, name, causes);
}

/** Fills in the server-owned fields of a new object; returns its name. */
export function prepareCreate(def: ResourceDef, obj: KubeObject): string {
  const meta = obj.metadata!;
  if (!meta.name) {
    if (meta.generateName) {
      meta.name = generateName(String(meta.generateName));
    } else {
      throw StatusError.invalid(def.kind, def.group, "", [{
        field: "metadata.name",
        reason: "FieldValueRequired",
        message: "Required value: name or generateName is required",
      }]);
    }
  }
  throwIfInvalid(def, meta.name, metadataProblems(def, meta));
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  meta.uid = crypto.randomUUID();
  meta.creationTimestamp = nowTimestamp();
  meta.generation = 1;
  if (def.subresources.status) delete obj.status;
  if (def.storageResource === "/namespaces") {
    obj.spec = { finalizers: ["kubernetes"], ...(obj.spec as object | undefined) };
    obj.status = { phase: "Active" };
    meta.labels = { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": meta.name };
  }
  return meta.name;
}

/** True when the change touches more than metadata (and status, with a status subresource). */
function specChanged(def: ResourceDef, next: KubeObject, prev: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return def.subresources.status ? rest : { ...rest, status: o.status };
  };
  return !deepEqual(strip(next), strip(prev));
}

/**
 * Builds the object an update stores from the body (`next`) and the stored object (`prev`):
 * immutable metadata is kept, the status subresource split is applied, and the generation
 * is bumped when the spec changed.
 */
export function prepareUpdate(
  def: ResourceDef,
  next: KubeObject,
  prev: KubeObject,
  subresource: string,
): KubeObject {
  let result: KubeObject;
  if (subresource === "status") {
    result = structuredClone(prev);
    if (next.status === undefined) delete result.status;
    else result.status = next.status;
  } else {
    result = next;
    if (def.subresources.status) {
      if (prev.status === undefined) delete result.status;
      else result.status = structuredClone(prev.status);
    }
  }
  const meta = result.metadata!;
  const old = prev.metadata!;
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  meta.generation = old.generation ?? 1;
  if (old.deletionTimestamp) {
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  delete meta.generateName;
  if (old.generateName) meta.generateName = old.generateName;
  if (old.namespace) meta.namespace = old.namespace;
  if (subresource !== "status") {
    throwIfInvalid(def, String(meta.name), metadataProblems(def, meta));
    if (specChanged(def, result, prev)) meta.generation = Number(old.generation ?? 1) + 1;
  }
  return result;
}

/** True when an object marked for deletion has no finalizers left. */
export function readyToRemove(obj: KubeObject): boolean {
  const fins = obj.metadata?.finalizers as unknown[] | undefined;
  return Boolean(obj.metadata?.deletionTimestamp) && (!fins || fins.length === 0);
}
