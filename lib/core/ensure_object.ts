/**
 * Create-or-replace of the fixed objects setup commands install (schemas, exports,
 * RBAC): level-based, so re-running changes nothing that is already right.
 *
 * @module
 */
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import type { ResourceRef } from "../kube/rest_paths.ts";
import { isAlreadyExists, isConflict, isNotFound } from "../kube/rest_errors.ts";
import { deepEqual } from "../kube/patch/json_value.ts";

/** Plural resource names of the kinds setup installs. */
const PLURALS: Record<string, string> = {
  APIResourceSchema: "apiresourceschemas",
  APIExport: "apiexports",
  APIBinding: "apibindings",
  ClusterRole: "clusterroles",
  ClusterRoleBinding: "clusterrolebindings",
  Role: "roles",
  RoleBinding: "rolebindings",
  ServiceAccount: "serviceaccounts",
  Secret: "secrets",
  ConfigMap: "configmaps",
  Namespace: "namespaces",
  Workspace: "workspaces",
  CustomResourceDefinition: "customresourcedefinitions",
  SpaceProviderDesc: "spaceproviderdescs",
};

/** The REST address of an object of one of the kinds above. */
export function refFor(obj: KubeObject): ResourceRef {
  const [group, version] = obj.apiVersion!.includes("/")
    ? obj.apiVersion!.split("/")
    : ["", obj.apiVersion!];
  const resource = PLURALS[obj.kind!];
  if (!resource) throw new Error(`no resource known for kind ${obj.kind}`);
  return { group, version, resource, namespace: obj.metadata?.namespace, name: obj.metadata!.name };
}

/** What `ensureObject` did. */
export type EnsureOutcome = "created" | "replaced" | "unchanged";

const CONTENT_KEYS = ["spec", "rules", "roleRef", "subjects", "data", "stringData"];

/**
 * Creates `desired`, or replaces the stored object's content (spec/rules/…, labels)
 * when it lacks something `desired` says (fields the server added are no difference);
 * retries on a write conflict.
 */
export async function ensureObject(
  client: RestClient,
  desired: KubeObject,
): Promise<EnsureOutcome> {
  const ref = refFor(desired);
  for (let attempt = 0;; attempt++) {
    let current: KubeObject | undefined;
    try {
      current = await client.get<KubeObject>(ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      if (!current) {
        await client.create({ ...ref, name: undefined }, desired);
        return "created";
      }
      const same = CONTENT_KEYS.every((k) => contains(current[k], desired[k])) &&
        Object.entries(desired.metadata?.labels ?? {}).every(([k, v]) =>
          current.metadata?.labels?.[k] === v
        );
      if (same) return "unchanged";
      const next: KubeObject = { ...current, ...pick(desired, CONTENT_KEYS) };
      next.metadata = {
        ...current.metadata,
        labels: { ...current.metadata?.labels, ...desired.metadata?.labels },
      };
      await client.update(ref, next);
      return "replaced";
    } catch (e) {
      if ((isConflict(e) || isAlreadyExists(e)) && attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * True if `actual` holds everything `wanted` says: objects may carry more fields (the
 * server's defaults), arrays and scalars must be equal.
 */
export function contains(actual: unknown, wanted: unknown): boolean {
  if (wanted === undefined) return true;
  if (
    wanted !== null && typeof wanted === "object" && !Array.isArray(wanted) &&
    actual !== null && typeof actual === "object" && !Array.isArray(actual)
  ) {
    const a = actual as Record<string, unknown>;
    return Object.entries(wanted as Record<string, unknown>).every(([k, v]) => contains(a[k], v));
  }
  return deepEqual(actual, wanted);
}

function pick(obj: KubeObject, keys: string[]): KubeObject {
  const out: KubeObject = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  return out;
}
