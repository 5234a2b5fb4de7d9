/**
 * Dispatches a routed resource request to the verb's handler, enforcing the wildcard rule
 * (kcp-spec §1.5): under `/clusters/*` only list and watch are allowed. The `scale`
 * subresource and server-side apply patches have their own handlers.
 *
 * @module
 */
import { qualifiedResource, StatusError } from "../api/status_error.ts";
import { handleDelete, handleDeleteCollection } from "./rest_delete.ts";
import type { Reply, RestEnvironment, RestRequest } from "./rest_context.ts";
import { handleGet, handleList } from "./rest_read.ts";
import { handleScale } from "./scale_subresource.ts";
import { handleApply, isApplyPatch } from "./server_side_apply.ts";
import { handleCreate, handlePatch, handleUpdate } from "./rest_write.ts";
import { handleWatch } from "./watch_stream.ts";

/** Serves one resource request. */
export function handleResource(env: RestEnvironment, req: RestRequest): Reply {
  const verb = req.info.verb;
  if (req.cluster === undefined && verb !== "list" && verb !== "watch") {
    throw StatusError.methodNotAllowed(
      `${verb} is not supported on resources of kind "${
        qualifiedResource(req.def)
      }" in the \`*\` logical cluster`,
    );
  }
  if (req.info.subresource === "scale") return handleScale(env, req);
  if (req.info.subresource && (verb === "get" || verb === "list" || verb === "watch")) {
    if (req.info.subresource !== "status") {
      throw StatusError.notFound(
        { group: req.def.group, resource: `${req.def.resource}/${req.info.subresource}` },
        req.info.name,
      );
    }
  }
  switch (verb) {
    case "get":
      return handleGet(env, req);
    case "list":
      return handleList(env, req);
    case "watch":
      return handleWatch(env, req);
    case "create":
      return handleCreate(env, req);
    case "update":
      return handleUpdate(env, req);
    case "patch":
      return isApplyPatch(req) ? handleApply(env, req) : handlePatch(env, req);
    case "delete":
      return handleDelete(env, req);
    case "deletecollection":
      return handleDeleteCollection(env, req);
    default:
      throw StatusError.methodNotAllowed(
        `the server does not allow this method on the requested resource`,
      );
  }
}
