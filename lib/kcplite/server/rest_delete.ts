/**
 * `delete` and `deletecollection` (kcp-spec §8.5, §8.1): preconditions on uid and
 * resourceVersion, finalizers (an object with finalizers is only marked with
 * `deletionTimestamp`), dry runs, and namespaces, which turn `Terminating` and are emptied
 * by the namespace lifecycle before they go away.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { apiVersionOf } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { isPlainObject } from "./body_codec.ts";
import { nowTimestamp } from "./object_lifecycle.ts";
import {
  isDryRun,
  type JsonReply,
  keyOf,
  type RestEnvironment,
  type RestRequest,
  versioned,
} from "./rest_context.ts";
import { getStored, listMatching } from "./rest_read.ts";

/** Namespaces that cannot be deleted. */
export const PROTECTED_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);

interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

function preconditionsOf(req: RestRequest): Preconditions | undefined {
  if (!isPlainObject(req.body)) return undefined;
  const p = req.body.preconditions;
  return isPlainObject(p) ? p as Preconditions : undefined;
}

function orphanOf(req: RestRequest): boolean {
  const body = isPlainObject(req.body) ? req.body : {};
  const policy = req.query.get("propagationPolicy") ?? body.propagationPolicy;
  return policy === "Orphan" || req.query.get("orphanDependents") === "true" ||
    body.orphanDependents === true;
}

function dryRunOf(req: RestRequest): boolean {
  if (isDryRun(req.query)) return true;
  const d = isPlainObject(req.body) ? req.body.dryRun : undefined;
  return Array.isArray(d) && d.includes("All");
}

function checkPreconditions(req: RestRequest, obj: KubeObject, p: Preconditions | undefined) {
  if (!p) return;
  const meta = obj.metadata ?? {};
  const fail = (what: string, want: string, have: string) =>
    StatusError.conflict(
      req.def,
      String(meta.name),
      `Precondition failed: ${what} in precondition: ${want}, ${what} in object meta: ${have}`,
    );
  if (p.uid && p.uid !== meta.uid) throw fail("UID", p.uid, String(meta.uid ?? ""));
  if (p.resourceVersion && p.resourceVersion !== meta.resourceVersion) {
    throw fail("ResourceVersion", p.resourceVersion, String(meta.resourceVersion ?? ""));
  }
}

/** Deletes (or marks) one stored object; returns what the client gets back. */
function deleteOne(
  env: RestEnvironment,
  req: RestRequest,
  obj: KubeObject,
  dryRun: boolean,
): KubeObject {
  const cluster = req.cluster!;
  const name = String(obj.metadata?.name ?? "");
  const key = keyOf(req, String(obj.metadata?.namespace ?? ""), name);
  const isNamespace = req.def.storageResource === "/namespaces";
  if (isNamespace && PROTECTED_NAMESPACES.has(name)) {
    throw StatusError.forbidden(
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      req.def,
      name,
    );
  }
  env.backend.admit({ operation: "DELETE", cluster, def: req.def, oldObject: obj, user: req.user });
  const finalizers = (obj.metadata?.finalizers as unknown[] | undefined) ?? [];
  if (!isNamespace && finalizers.length === 0) {
    if (dryRun) return obj;
    const deleted = env.store.delete(key);
    if (req.def.storageResource === CRD_RESOURCE) removeCustomResources(env, cluster, obj);
    env.objectRemoved(cluster, deleted, orphanOf(req));
    return deleted;
  }
  if (obj.metadata?.deletionTimestamp) return obj;
  const marked = structuredClone(obj);
  marked.metadata!.deletionTimestamp = nowTimestamp();
  marked.metadata!.deletionGracePeriodSeconds = 0;
  if (isNamespace) {
    marked.status = { ...(marked.status as object | undefined), phase: "Terminating" };
  }
  if (dryRun) return marked;
  const stored = env.store.update(key, marked, {
    expectedResourceVersion: String(obj.metadata?.resourceVersion ?? ""),
  });
  if (isNamespace) env.namespaceTerminating(cluster, name);
  return stored;
}

const CRD_RESOURCE = "apiextensions.k8s.io/customresourcedefinitions";

/** Removes every object of a deleted CRD's resource in the cluster (like its cleanup). */
function removeCustomResources(env: RestEnvironment, cluster: string, crd: KubeObject): void {
  const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
  if (!spec?.group || !spec.names?.plural) return;
  const resource = `${spec.group}/${spec.names.plural}`;
  for (const obj of env.store.list({ cluster, resource }).items) {
    const m = obj.metadata!;
    env.store.delete({ cluster, resource, namespace: m.namespace ?? "", name: m.name! });
  }
}

/** DELETE of one object. */
export function handleDelete(env: RestEnvironment, req: RestRequest): JsonReply {
  if (req.info.subresource) {
    throw StatusError.methodNotAllowed(
      "the server does not allow this method on the requested resource",
    );
  }
  const obj = getStored(env, req);
  checkPreconditions(req, obj, preconditionsOf(req));
  return { status: 200, body: versioned(req.def, deleteOne(env, req, obj, dryRunOf(req))) };
}

/** DELETE of a collection (with the list's selectors). */
export function handleDeleteCollection(env: RestEnvironment, req: RestRequest): JsonReply {
  const { items, resourceVersion } = listMatching(env, req);
  const dryRun = dryRunOf(req);
  const done: KubeObject[] = [];
  for (const obj of items) {
    const name = String(obj.metadata?.name ?? "");
    if (req.def.storageResource === "/namespaces" && PROTECTED_NAMESPACES.has(name)) continue;
    done.push(versioned(req.def, deleteOne(env, req, obj, dryRun)));
  }
  return {
    status: 200,
    body: {
      apiVersion: apiVersionOf(req.def.group, req.def.version),
      kind: req.def.listKind,
      metadata: { resourceVersion: String(resourceVersion) },
      items: done,
    },
  };
}
