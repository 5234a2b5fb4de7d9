/**
 * `create`, `update` and `patch` of any resource (kcp-spec §8.2, §8.5, §8.6): body checks
 * against the URL, namespace existence, the generic lifecycle, schema validation and CRD
 * establishment through the API hooks, backend admission, dry runs, optimistic
 * concurrency, and the finalizer rule that an update removing the last finalizer of an
 * object marked for deletion removes it.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { applyMergePatch } from "../../kube/patch/json_merge_patch.ts";
import { applyJsonPatch, type JsonPatchOperation } from "../../kube/patch/json_patch.ts";
import {
  applyStrategicMergePatch,
  supportsStrategicMerge,
} from "../../kube/patch/strategic_merge_patch.ts";
import { PatchError } from "../../kube/patch/patch_error.ts";
import {
  decodeFailure,
  type DecodeSubject,
  fieldValidationOf,
  strictDecodingMessage,
  unknownFieldMessage,
} from "../api/decode_failure.ts";
import { StatusError } from "../api/status_error.ts";
import { AlreadyExistsError, ConflictError, NotFoundError } from "../store/object_store.ts";
import { mediaType, PATCH_MEDIA_TYPES } from "./body_codec.ts";
import { checkNesting } from "./nesting_limit.ts";
import {
  checkBodyFitsUrl,
  prepareCreate,
  prepareUpdate,
  readyToRemove,
  throwIfInvalid,
} from "./object_lifecycle.ts";
import {
  annotateCluster,
  isDryRun,
  type JsonReply,
  keyOf,
  type RestEnvironment,
  type RestRequest,
  servedBody,
  versioned,
} from "./rest_context.ts";
import { getStored } from "./rest_read.ts";

const CRD_RESOURCE = "apiextensions.k8s.io/customresourcedefinitions";
const NAMESPACES = { group: "", resource: "namespaces" };

/** 404 when the namespace does not exist, 403 while it terminates. */
export function checkNamespaceWritable(
  env: RestEnvironment,
  cluster: string,
  namespace: string,
): void {
  const key = { cluster, resource: "/namespaces", namespace: "", name: namespace };
  const json = env.store.getJson(key);
  if (json === undefined) throw StatusError.notFound(NAMESPACES, namespace);
  // Only a namespace whose text names a deletion timestamp is parsed to look closer.
  if (
    json.includes('"deletionTimestamp"') &&
    (JSON.parse(json) as KubeObject).metadata?.deletionTimestamp
  ) {
    throw StatusError.forbidden(
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

const OPTIONS_KINDS = {
  create: "CreateOptions",
  update: "UpdateOptions",
  patch: "PatchOptions",
} as const;

/**
 * Fields the kind does not declare, by `fieldValidation`: Strict rejects them (a decode
 * error), Warn (the default) adds one `Warning` each, Ignore drops them silently.
 */
function checkUnknownFields(req: RestRequest, paths: string[], subject: DecodeSubject): void {
  if (paths.length === 0) return;
  const verb = req.info.verb as keyof typeof OPTIONS_KINDS;
  const directive = fieldValidationOf(req.query, OPTIONS_KINDS[verb] ?? "UpdateOptions");
  if (directive === "Strict") {
    throw decodeFailure(req.def, subject, strictDecodingMessage(paths));
  }
  if (directive === "Warn") req.warnings?.push(...paths.map(unknownFieldMessage));
}

/**
 * Decoding and schema checks, as kube-apiserver has them. Built-in kinds are decoded as into
 * their Go types (a type mismatch is a 400 for bodies, a 422 for patches; unknown fields
 * and nulls are dropped). Resources with CRD-style schemas (CRDs, bound resources) get
 * pruning, schema defaults and validation (422). Unknown fields of both follow
 * `fieldValidation`. CRDs get their own validation (422) and establishment. Returns the
 * object to store.
 */
function validate(
  env: RestEnvironment,
  req: RestRequest,
  obj: KubeObject,
  subject: DecodeSubject = { kind: "body" },
): KubeObject {
  const name = String(obj.metadata?.name ?? "");
  const { hooks } = env;
  const verb = req.info.verb as keyof typeof OPTIONS_KINDS;
  fieldValidationOf(req.query, OPTIONS_KINDS[verb] ?? "UpdateOptions");
  let result = obj;
  const typed = req.def.source === "builtin" ? hooks.decodeTyped?.(req.def, obj) : undefined;
  if (typed) {
    if (typed.mismatch) {
      const strategic = subject.kind === "patch" && subject.strategic;
      throw decodeFailure(
        req.def,
        subject,
        strategic ? typed.mismatch.converterMessage : typed.mismatch.jsonMessage,
      );
    }
    checkUnknownFields(req, typed.unknownFields, subject);
    result = typed.object as KubeObject;
  } else if (req.def.schema && req.def.source !== "builtin" && req.info.subresource !== "status") {
    if (hooks.unknownFields) checkUnknownFields(req, hooks.unknownFields(req.def, obj), subject);
    if (hooks.prune) result = { ...hooks.prune(req.def, obj), metadata: obj.metadata };
    if (hooks.applyDefaults) result = hooks.applyDefaults(req.def, result);
    if (hooks.validate) throwIfInvalid(req.def, name, hooks.validate(req.def, result));
  }
  if (req.def.storageResource === CRD_RESOURCE && hooks.prepareCrd) {
    const registry = env.backend.resources(req.cluster!);
    const prepared = hooks.prepareCrd(result, registry);
    throwIfInvalid(req.def, name, prepared.causes);
    if (prepared.crd) result = { ...prepared.crd, metadata: result.metadata };
  }
  return result;
}

/** The 409 of a stale `resourceVersion`. */
export function conflict(req: RestRequest, name: string): StatusError {
  return StatusError.conflict(
    req.def,
    name,
    "the object has been modified; please apply your changes to the latest version and try again",
  );
}

/** POST to a collection. */
export function handleCreate(env: RestEnvironment, req: RestRequest): JsonReply {
  if (req.info.subresource || req.info.name) {
    throw StatusError.methodNotAllowed(
      `the server does not allow this method on the requested resource`,
    );
  }
  const cluster = req.cluster!;
  const body = checkBodyFitsUrl(req.def, req.body, req.info.namespace, "");
  if (req.def.namespaced) {
    if (!body.metadata?.namespace) {
      throw StatusError.badRequest("a namespace is required to create this resource");
    }
    checkNamespaceWritable(env, cluster, body.metadata.namespace);
  }
  checkNesting(body, "the object");
  const name = prepareCreate(req.def, body);
  const obj = validate(env, req, body);
  annotateCluster(env, cluster, obj);
  env.backend.admit({ operation: "CREATE", cluster, def: req.def, object: obj, user: req.user });
  if (isDryRun(req.query)) return { status: 201, body: versioned(req.def, obj) };
  try {
    const stored = env.store.createJson(keyOf(req, obj.metadata!.namespace ?? "", name), obj);
    return { status: 201, body: servedBody(req.def, stored) };
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw alreadyExists(env, req, obj, name);
    throw e;
  }
}

/** kube-apiserver's 409 for a create over an existing object (told when it is going away). */
function alreadyExists(
  env: RestEnvironment,
  req: RestRequest,
  obj: KubeObject,
  name: string,
): StatusError {
  const error = StatusError.alreadyExists(req.def, name);
  const existing = env.store.get(keyOf(req, obj.metadata!.namespace ?? "", name));
  if (!existing?.metadata?.deletionTimestamp) return error;
  return new StatusError(
    error.code,
    error.reason,
    `object is being deleted: ${error.message}`,
    error.details,
  );
}

/**
 * Stores an update built from `next` over `prev` (shared by PUT, PATCH, scale and apply) and
 * returns the stored object's JSON text (for dry runs: the object that would be stored).
 * `managedFields` replaces the object's managedFields (server-side apply); without it an
 * update whose body has none keeps the stored ones.
 */
export function storeUpdate(
  env: RestEnvironment,
  req: RestRequest,
  next: KubeObject,
  prev: KubeObject,
  managedFields?: unknown[],
  subject?: DecodeSubject,
): string {
  const cluster = req.cluster!;
  const name = req.info.name;
  checkNesting(next, "the object");
  const prepared = prepareUpdate(req.def, next, prev, req.info.subresource);
  const result = validate(env, req, prepared, subject);
  const meta = result.metadata!;
  if (managedFields) meta.managedFields = managedFields;
  else if (meta.managedFields === undefined && prev.metadata?.managedFields) {
    meta.managedFields = prev.metadata.managedFields;
  }
  annotateCluster(env, cluster, result);
  env.backend.admit({
    operation: "UPDATE",
    cluster,
    def: req.def,
    object: result,
    oldObject: prev,
    user: req.user,
    subresource: req.info.subresource || undefined,
  });
  const key = keyOf(req, req.info.namespace, name);
  const expected = { expectedResourceVersion: String(prev.metadata?.resourceVersion ?? "") };
  if (isDryRun(req.query)) return JSON.stringify(result);
  try {
    if (readyToRemove(result)) {
      env.store.updateJson(key, result, expected);
      const removed = env.store.delete(key);
      env.objectRemoved(cluster, removed, false);
      return JSON.stringify(removed);
    }
    return env.store.updateJson(key, result, expected);
  } catch (e) {
    if (e instanceof ConflictError) throw conflict(req, name);
    if (e instanceof NotFoundError) throw StatusError.notFound(req.def, name);
    throw e;
  }
}

function commitUpdate(
  env: RestEnvironment,
  req: RestRequest,
  next: KubeObject,
  prev: KubeObject,
  subject?: DecodeSubject,
): JsonReply {
  const stored = storeUpdate(env, req, next, prev, undefined, subject);
  return { status: 200, body: servedBody(req.def, stored) };
}

/** 404 for subresources other than `status` (where the kind has it). */
export function checkSubresource(req: RestRequest): void {
  const sub = req.info.subresource;
  if (sub === "") return;
  if (sub === "status" && (req.def.subresources.status || req.def.resource === "namespaces")) {
    return;
  }
  throw StatusError.notFound(
    { group: req.def.group, resource: `${req.def.resource}/${sub}` },
    req.info.name,
  );
}

/** PUT of one object (or its status). */
export function handleUpdate(env: RestEnvironment, req: RestRequest): JsonReply {
  checkSubresource(req);
  const obj = checkBodyFitsUrl(req.def, req.body, req.info.namespace, req.info.name);
  const prev = getStored(env, req);
  const rv = obj.metadata?.resourceVersion;
  if (rv && rv !== prev.metadata?.resourceVersion) throw conflict(req, req.info.name);
  return commitUpdate(env, req, obj, prev);
}

const STRATEGIC_UNSUPPORTED =
  "the body of the request was in an unknown format - accepted media types include: " +
  "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

/** The patched object of a merge, JSON or strategic merge patch. */
export function applyPatch(req: RestRequest, current: unknown): unknown {
  const type = PATCH_MEDIA_TYPES[mediaType(req.contentType)];
  if (!type) throw StatusError.unsupportedMediaType(mediaType(req.contentType));
  const gk = { group: req.def.group, kind: req.def.kind };
  try {
    switch (type) {
      case "merge":
        return applyMergePatch(current, req.body);
      case "json":
        if (!Array.isArray(req.body)) {
          throw StatusError.badRequest("a JSON patch must be an array of operations");
        }
        return applyJsonPatch(current, req.body as JsonPatchOperation[]);
      case "strategic":
        // built-in kinds, and (kcp-spec §3.4) CRD-backed or bound copies of them
        if (!supportsStrategicMerge(gk)) {
          throw new StatusError(415, "UnsupportedMediaType", STRATEGIC_UNSUPPORTED);
        }
        return applyStrategicMergePatch(current, req.body, gk);
      case "apply": // routed to server_side_apply.ts before it gets here
        throw StatusError.internal("server-side apply reached the merge patch path");
    }
  } catch (e) {
    if (e instanceof PatchError) {
      throw new StatusError(422, "Invalid", `the patch could not be applied: ${e.message}`);
    }
    throw e;
  }
}

/** PATCH of one object (or its status). */
export function handlePatch(env: RestEnvironment, req: RestRequest): JsonReply {
  checkSubresource(req);
  const prev = getStored(env, req);
  // Merge, JSON and strategic merge patches all leave their input as it is (each works
  // on its own copy), so `prev` needs no second copy.
  const current = versioned(req.def, prev);
  const patched = applyPatch(req, current);
  const strategic = PATCH_MEDIA_TYPES[mediaType(req.contentType)] === "strategic";
  const subject: DecodeSubject = { kind: "patch", strategic, patch: req.body, patched };
  const obj = checkBodyFitsUrl(req.def, patched, req.info.namespace, req.info.name);
  const rv = obj.metadata?.resourceVersion;
  if (rv && rv !== prev.metadata?.resourceVersion) throw conflict(req, req.info.name);
  return commitUpdate(env, req, obj, prev, subject);
}
