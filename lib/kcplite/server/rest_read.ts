/**
 * `get` and `list` of any resource (kcp-spec §8.2–§8.4, §8.9): versioned output, label and
 * field selectors, pagination, `resourceVersionMatch=Exact` with 410 for history that is
 * gone, and Table output when the client asks for it.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { apiVersionOf } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { ResourceVersionTooOldError } from "../store/object_store.ts";
import { resourceVersionParam } from "./resource_version_param.ts";
import { compileFilter, hasSelectors, listLimit, paginate, paginateJson } from "./list_filter.ts";
import {
  type JsonReply,
  keyOf,
  type RestEnvironment,
  type RestRequest,
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

/** The page a list request asks for; unfiltered pages of large lists parse only the page. */
function listPage(env: RestEnvironment, req: RestRequest) {
  if (env.store.listJson && listLimit(req.query) > 0 && !hasSelectors(req.query)) {
    compileFilter(req.def, req.query); // same errors as the general path
    const { items, resourceVersion } = env.store.listJson(scopeOf(req));
    const oneCluster = req.cluster !== undefined;
    return { page: paginateJson(items, req.query, resourceVersion, oneCluster), resourceVersion };
  }
  const { items, resourceVersion } = listMatching(env, req);
  return { page: paginate(items, req.query, resourceVersion), resourceVersion };
}

/** GET of a collection. */
export function handleList(env: RestEnvironment, req: RestRequest): JsonReply {
  const requested = resourceVersionParam(req.query);
  if (req.query.get("resourceVersionMatch") === "Exact" && requested !== undefined) {
    checkHistory(env, req, requested);
  }
  const { page, resourceVersion } = listPage(env, req);
  const rv = String(resourceVersion);
  const table = tableOf(env, req, page.items, rv);
  if (table) {
    const meta = (table.body as { metadata: Record<string, unknown> }).metadata;
    if (page.continueToken) meta.continue = page.continueToken;
    return table;
  }
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (page.continueToken) {
    metadata.continue = page.continueToken;
    metadata.remainingItemCount = page.remainingItemCount;
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
