/**
 * Server-side apply: `PATCH` with `Content-Type: application/apply-patch+yaml` (kcp-spec
 * §8.6). The body is the applied configuration (YAML or JSON), `fieldManager` names the
 * manager and `force=true` takes over conflicting fields.
 *
 * A missing object is created through the normal create path; an existing one gets the
 * configuration merged by field ownership (see apply_merge.ts) and stored through the
 * normal update path. Both record the manager's `Apply` entry in `metadata.managedFields`;
 * other write paths do not record managedFields.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { JsonObject } from "../../kube/patch/json_value.ts";
import { apiVersionOf } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { isPlainObject, mediaType, PATCH_MEDIA_TYPES } from "./body_codec.ts";
import { ApplyConflictError, mergeApplied } from "./apply_merge.ts";
import { listTypesOf } from "./apply_list_types.ts";
import { type ApplyManager, pathText } from "./managed_fields.ts";
import { checkBodyFitsUrl } from "./object_lifecycle.ts";
import {
  type JsonReply,
  keyOf,
  type RestEnvironment,
  type RestRequest,
  servedBody,
  versioned,
} from "./rest_context.ts";
import { checkSubresource, conflict, handleCreate, storeUpdate } from "./rest_write.ts";

/** The longest `fieldManager` Kubernetes accepts. */
const MAX_MANAGER_LENGTH = 128;

/** True for a PATCH whose body is an apply configuration. */
export function isApplyPatch(req: RestRequest): boolean {
  return PATCH_MEDIA_TYPES[mediaType(req.contentType)] === "apply";
}

/** How Kubernetes names a manager in conflict messages. */
function managerText(who: ApplyManager): string {
  const name = JSON.stringify(who.manager);
  return who.subresource ? `${name} with subresource ${JSON.stringify(who.subresource)}` : name;
}

/** The 409 Kubernetes answers for apply conflicts (kubectl prints its conflict help for it). */
export function applyConflictStatus(req: RestRequest, e: ApplyConflictError): StatusError {
  const { conflicts } = e;
  let message: string;
  if (conflicts.length === 1) {
    const [c] = conflicts;
    message = `Apply failed with 1 conflict: conflict with ${managerText(c.owner)}: ${
      pathText(c.path)
    }`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const who = managerText(c.owner);
      byManager.set(who, [...(byManager.get(who) ?? []), `- ${pathText(c.path)}`]);
    }
    const lines = [...byManager.keys()].sort().flatMap((who) => [
      `conflicts with ${who}:`,
      ...byManager.get(who)!,
    ]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new StatusError(409, "Conflict", message, {
    group: req.def.group,
    kind: req.def.resource,
    name: req.info.name,
    causes: conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${managerText(c.owner)}`,
      field: pathText(c.path),
    })),
  });
}

/** The applied configuration, checked against the URL (and pruned to the schema). */
function configOf(env: RestEnvironment, req: RestRequest): KubeObject {
  const body = req.body;
  if (!isPlainObject(body)) throw StatusError.badRequest("the apply body must be an object");
  if (typeof body.apiVersion !== "string" || body.apiVersion === "") {
    throw StatusError.badRequest("apiVersion must be set in the applied configuration");
  }
  if (typeof body.kind !== "string" || body.kind === "") {
    throw StatusError.badRequest("kind must be set in the applied configuration");
  }
  let config = checkBodyFitsUrl(req.def, structuredClone(body), req.info.namespace, req.info.name);
  if (config.metadata?.managedFields !== undefined) {
    throw StatusError.badRequest("metadata.managedFields must be nil");
  }
  const { def } = req;
  if (def.schema && def.source !== "builtin" && env.hooks.prune) {
    config = { ...env.hooks.prune(def, config), metadata: config.metadata };
  }
  return config;
}

/** PATCH with an apply configuration: creates the object or merges into it. */
export function handleApply(env: RestEnvironment, req: RestRequest): JsonReply {
  checkSubresource(req);
  const manager = req.query.get("fieldManager") ?? "";
  if (manager === "") {
    throw StatusError.badRequest("fieldManager: Required value: is required for apply patch");
  }
  if (manager.length > MAX_MANAGER_LENGTH) {
    throw StatusError.badRequest(
      `fieldManager: Too long: may not be more than ${MAX_MANAGER_LENGTH} bytes`,
    );
  }
  const config = configOf(env, req);
  const input = {
    config: config as JsonObject,
    lists: listTypesOf(req.def),
    who: { manager, subresource: req.info.subresource },
    apiVersion: apiVersionOf(req.def.group, req.def.version),
    force: req.query.get("force") === "true",
    statusSubresource: req.def.subresources.status,
  };
  const prev = env.store.get(keyOf(req, req.info.namespace, req.info.name));
  if (!prev) {
    if (req.info.subresource) throw StatusError.notFound(req.def, req.info.name);
    const { object } = mergeApplied({ ...input, live: undefined });
    const info = { ...req.info, verb: "create", name: "", subresource: "" };
    return handleCreate(env, { ...req, info, body: object });
  }
  const rv = config.metadata?.resourceVersion;
  if (rv && rv !== prev.metadata?.resourceVersion) throw conflict(req, req.info.name);
  try {
    const live = versioned(req.def, prev) as JsonObject;
    const { object, managedFields } = mergeApplied({ ...input, live });
    const stored = storeUpdate(env, req, object as KubeObject, prev, managedFields);
    return { status: 200, body: servedBody(req.def, stored) };
  } catch (e) {
    if (e instanceof ApplyConflictError) throw applyConflictStatus(req, e);
    throw e;
  }
}
