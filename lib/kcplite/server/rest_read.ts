/**
 * `get` and `list` of any resource (kcp-spec §8.2–§8.4, §8.9): versioned output, label and
 * field selectors, pagination, `resourceVersionMatch=Exact` with 410 for history that is
 * gone, Table output when the client asks for it, and whole lists streamed from one
 * snapshot.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { apiVersionOf } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { ResourceVersionTooOldError } from "../store/object_store.ts";
import { resourceVersionParam } from "./resource_version_param.ts";
import { compileFilter, continuePosition, hasSelectors, listLimit } from "./list_filter.ts";
import { readPage, streamList } from "./list_reply.ts";
import {
  type JsonReply,
  keyOf,
  type Reply,
  type RestEnvironment,
  type RestRequest,
  servedBody,
  versioned,
  wantsTable,
} from "./rest_context.ts";

/** Reads one object or 404. */
export function getStored(env: RestEnvironment, req: RestRequest): KubeObject {
  const obj = env.store.get(keyOf(req, req.info.namespace, req.info.name));
  if (!obj) throw StatusError.notFound(req.def, req.info.name);
  return obj;
}

function tableOf(
  env: RestEnvironment,
  req: RestRequest,
  objects: KubeObject[],
  rv: string,
): JsonReply | undefined {
  if (!env.hooks.toTable || !wantsTable(req.accept)) return undefined;
  const table = env.hooks.toTable(
    req.def,
    objects.map((o) => versioned(req.def, o)),
    req.query.get("includeObject") ?? undefined,
  );
  const meta = (table.metadata ?? {}) as Record<string, unknown>;
  table.metadata = { ...meta, resourceVersion: rv };
  return { status: 200, body: table };
}

/** GET of one object. */
export function handleGet(env: RestEnvironment, req: RestRequest): JsonReply {
  resourceVersionParam(req.query);
  if (!env.hooks.toTable || !wantsTable(req.accept)) {
    const json = env.store.getJson(keyOf(req, req.info.namespace, req.info.name));
    if (json === undefined) throw StatusError.notFound(req.def, req.info.name);
    return { status: 200, body: servedBody(req.def, json) };
  }
  const obj = getStored(env, req);
  const table = tableOf(env, req, [obj], String(obj.metadata?.resourceVersion ?? ""));
  return table ?? { status: 200, body: versioned(req.def, obj) };
}

/** Throws 410 when `rv` is older than the history the store keeps. */
function checkHistory(env: RestEnvironment, req: RestRequest, rv: number): void {
  if (rv >= env.store.currentResourceVersion()) return;
  try {
    const w = env.store.watch({ resource: req.def.storageResource }, rv, () => {});
    w.stop();
  } catch (e) {
    if (e instanceof ResourceVersionTooOldError) throw StatusError.gone(e.message);
    throw e;
  }
}

function scopeOf(req: RestRequest) {
  return {
    cluster: req.cluster,
    resource: req.def.storageResource,
    namespace: req.def.namespaced && req.info.namespace ? req.info.namespace : undefined,
  };
}

/** The objects of a list request, filtered; also the list resourceVersion. */
export function listMatching(
  env: RestEnvironment,
  req: RestRequest,
): { items: KubeObject[]; resourceVersion: number } {
  const filter = compileFilter(req.def, req.query);
  const { items, resourceVersion } = env.store.list(scopeOf(req));
  return { items: items.filter((o) => filter.matches(o)), resourceVersion };
}

/**
 * GET of a collection: a page (`limit`) or a Table is collected; a whole list is streamed
 * from a store cursor ({@link ./list_reply.ts}).
 */
export function handleList(env: RestEnvironment, req: RestRequest): Reply {
  const requested = resourceVersionParam(req.query);
  if (req.query.get("resourceVersionMatch") === "Exact" && requested !== undefined) {
    checkHistory(env, req, requested);
  }
  const filter = compileFilter(req.def, req.query);
  const selected = hasSelectors(req.query);
  const limit = listLimit(req.query);
  const cursor = env.store.openListCursor(scopeOf(req), continuePosition(req.query));
  const table = wantsTable(req.accept) && env.hooks.toTable !== undefined;
  if (limit === 0 && !table) {
    return streamList(req.def, cursor, selected ? filter : undefined, env.responseStallTimeoutMs);
  }
  const page = readPage(cursor, filter, limit, !selected);
  const rv = String(cursor.resourceVersion);
  const tableReply = tableOf(env, req, page.items, rv);
  if (tableReply) {
    const meta = (tableReply.body as { metadata: Record<string, unknown> }).metadata;
    if (page.continueToken) meta.continue = page.continueToken;
    return tableReply;
  }
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (page.continueToken) {
    metadata.continue = page.continueToken;
    if (page.remainingItemCount !== undefined) {
      metadata.remainingItemCount = page.remainingItemCount;
    }
  }
  return {
    status: 200,
    body: {
      apiVersion: apiVersionOf(req.def.group, req.def.version),
      kind: req.def.listKind,
      metadata,
      items: page.items.map((o) => versioned(req.def, o)),
    },
  };
}
