/**
 * What a REST handler gets for one resource request, what it returns, and small helpers
 * shared by the handlers (store keys, versioned output, Table negotiation, dry runs).
 *
 * @module
 */
import type { ServerReply } from "./http1_exchange.ts";
import type { KubeObject } from "../../kube/rest_client.ts";
import type { UserInfo } from "../auth/rbac.ts";
import { negotiateObjectForm } from "../api/media_type.ts";
import { apiVersionOf, type ResourceDef } from "../api/resource_def.ts";
import type { ObjectKey, ObjectStore } from "../store/object_store.ts";
import type { ClusterBackend } from "./cluster_backend.ts";
import type { ApiHooks } from "./api_hooks.ts";
import type { RequestInfo } from "./request_info.ts";
import { JsonText } from "./response_writer.ts";

/** Server-wide parts the handlers use. */
export interface RestEnvironment {
  store: ObjectStore;
  backend: ClusterBackend;
  hooks: ApiHooks;
  /** How often watches with `allowWatchBookmarks` get a BOOKMARK (ms). */
  bookmarkIntervalMs: number;
  /** How long a streamed response may wait for a client that does not read (ms). */
  responseStallTimeoutMs: number;
  /** Called after a namespace got marked for deletion (starts removing its content). */
  namespaceTerminating(cluster: string, namespace: string): void;
  /** Called after an object was removed (garbage-collects its dependents). */
  objectRemoved(cluster: string, object: KubeObject, orphan: boolean): void;
}

/** One resource request after routing, authentication and authorization. */
export interface RestRequest {
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  /** Logical cluster id; undefined for `/clusters/*`. */
  cluster: string | undefined;
  def: ResourceDef;
  /** The decoded body (writes only). */
  body?: unknown;
  contentType: string;
  accept: string;
  /** `Warning` header texts the reply carries (unknown fields with `fieldValidation=Warn`). */
  warnings?: string[];
}

/** A JSON reply. */
export interface JsonReply {
  status: number;
  body: unknown;
  contentType?: string;
}

/** A streaming reply (watch): the handler owns the response. */
export interface StreamReply {
  stream(res: ServerReply): void;
}

/** What a handler returns. */
export type Reply = JsonReply | StreamReply;

/** The store key of an object of the request's resource. */
export function keyOf(req: RestRequest, namespace: string, name: string): ObjectKey {
  return {
    cluster: req.cluster ?? "",
    resource: req.def.storageResource,
    namespace: req.def.namespaced ? namespace : "",
    name,
  };
}

/** The object as served at the request's version (same fields, that version's apiVersion). */
export function versioned(def: ResourceDef, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: apiVersionOf(def.group, def.version), kind: def.kind };
}

const servedPrefixes = new WeakMap<ResourceDef, string>();

/** How the JSON text of an object served at the resource's version begins. */
function servedPrefix(def: ResourceDef): string {
  let prefix = servedPrefixes.get(def);
  if (prefix === undefined) {
    const apiVersion = JSON.stringify(apiVersionOf(def.group, def.version));
    prefix = `{"apiVersion":${apiVersion},"kind":${JSON.stringify(def.kind)},`;
    servedPrefixes.set(def, prefix);
  }
  return prefix;
}

/**
 * Whether stored JSON text is already the object as served at the resource's version: it
 * names that apiVersion and kind first, as everything kcp-lite stores from a request does
 * (see `checkBodyFitsUrl`). Such text is sent on as it is — the same bytes as
 * `JSON.stringify(versioned(def, JSON.parse(json)))`, without the parse and the
 * serialization.
 */
export function isServedJson(def: ResourceDef, json: string): boolean {
  return json.startsWith(servedPrefix(def));
}

/** Stored JSON text as a reply body at the resource's version. */
export function servedBody(def: ResourceDef, json: string): JsonText | KubeObject {
  return isServedJson(def, json) ? new JsonText(json) : versioned(def, JSON.parse(json));
}

/** True when the client asked for a `meta.k8s.io` Table. */
export function wantsTable(accept: string): boolean {
  return negotiateObjectForm(accept) === "Table";
}

/** True for `dryRun=All`. */
export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll("dryRun").includes("All");
}

/** The `kcp.io/cluster` annotation set on every object in kcp mode. */
export const CLUSTER_ANNOTATION = "kcp.io/cluster";

/** Adds `kcp.io/cluster` in kcp mode. */
export function annotateCluster(env: RestEnvironment, cluster: string, obj: KubeObject): void {
  if (env.backend.mode !== "kcp") return;
  const meta = (obj.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [CLUSTER_ANNOTATION]: cluster };
}
