/**
 * kcp-mode admission (kcp-spec §2.10, §3.1, §3.5): stamps `kcp.io/cluster`, keeps
 * `kcp.io/path` on APIExports and WorkspaceTypes, enforces APIResourceSchema naming and
 * immutability, refuses CRDs that overlap a bound resource or use a reserved kcp group,
 * and hands Workspaces and APIBindings to their own admission.
 *
 * @module
 */
import type { AdmissionRequest } from "../server/cluster_backend.ts";
import { StatusError } from "../api/status_error.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { A, annotationsOf, R } from "./kcp_kinds.ts";
import type { ApiBindingAdmission } from "./apibinding_admission.ts";
import { boundResourcesOf, isBound } from "./bound_resources.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import type { WorkspaceAdmission } from "./workspace_admission.ts";

/** kcp's Locations also carry `kcp.io/path` (kcp-spec §2.10). */
const LOCATIONS = "scheduling.kcp.io/locations";
const SCHEMA_PREFIX = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Deep equality of JSON values, ignoring object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]));
  }
  const ak = Object.keys(a as object).filter((k) =>
    (a as Record<string, unknown>)[k] !== undefined
  );
  const bk = Object.keys(b as object).filter((k) =>
    (b as Record<string, unknown>)[k] !== undefined
  );
  return ak.length === bk.length &&
    ak.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Everything kcp mode checks on writes. */
export class KcpAdmission {
  constructor(
    readonly store: ObjectStore,
    readonly dir: LogicalClusterDirectory,
    readonly workspaces: WorkspaceAdmission,
    readonly bindings: ApiBindingAdmission,
  ) {}

  /** Mutates and validates; throws a `StatusError` to refuse. */
  admit(req: AdmissionRequest): void {
    const obj = req.object;
    if (obj && req.operation !== "DELETE") annotationsOf(obj)[A.cluster] = req.cluster;
    switch (req.def.storageResource) {
      case R.workspaces:
        return this.workspaces.admit(req);
      case R.bindings:
        return this.bindings.admit(req);
      case R.exports:
      case R.workspaceTypes:
      case LOCATIONS:
        if (obj && req.operation !== "DELETE") {
          annotationsOf(obj)[A.path] = this.dir.pathOf(req.cluster) ?? req.cluster;
        }
        return;
      case R.schemas:
        return this.#schema(req);
      case R.crds:
        return this.#crd(req);
    }
  }

  #schema(req: AdmissionRequest): void {
    const obj = req.object;
    if (!obj || req.subresource) return;
    const name = obj.metadata?.name ?? "";
    const spec = (obj.spec ?? {}) as { group?: string; names?: { plural?: string } };
    const forbidden = (message: string) =>
      StatusError.forbidden(
        `apiresourceschemas.apis.kcp.io "${name}" is forbidden: ${message}`,
        { group: "apis.kcp.io", resource: "apiresourceschemas" },
        name,
      );
    if (req.operation === "UPDATE") {
      if (!sameJson(obj.spec, req.oldObject?.spec)) {
        throw forbidden(`spec: Invalid value: "object": is immutable`);
      }
      return;
    }
    if (spec.group === "core") {
      throw forbidden(`spec.group: Invalid value: "core": must be empty for the core group`);
    }
    const suffix = `.${spec.names?.plural ?? ""}.${spec.group || "core"}`;
    const prefix = name.slice(0, name.length - suffix.length);
    if (!name.endsWith(suffix) || !SCHEMA_PREFIX.test(prefix)) {
      throw StatusError.invalid("APIResourceSchema", "apis.kcp.io", name, [{
        field: "metadata.name",
        message: `Invalid value: "${name}": must end in ${suffix}`,
      }]);
    }
  }

  #crd(req: AdmissionRequest): void {
    if (req.operation !== "CREATE" || !req.object) return;
    const name = req.object.metadata?.name ?? "";
    const spec = (req.object.spec ?? {}) as { group?: string; names?: { plural?: string } };
    const group = spec.group ?? "";
    const forbidden = (message: string) =>
      StatusError.forbidden(
        `customresourcedefinitions.apiextensions.k8s.io "${name}" is forbidden: ${message}`,
        { group: "apiextensions.k8s.io", resource: "customresourcedefinitions" },
        name,
      );
    if (group === "apis.kcp.io" || group.endsWith(".apis.kcp.io")) {
      throw forbidden(`${group} is a reserved group`);
    }
    for (const b of this.store.list({ cluster: req.cluster, resource: R.bindings }).items) {
      if (!isBound(b)) continue;
      if (boundResourcesOf(b).some((r) => r.group === group && r.resource === spec.names?.plural)) {
        throw forbidden(
          `cannot create "${name}" CustomResourceDefinition with "${group}" group and "${spec.names?.plural}" resource because it overlaps with a bound CustomResourceDefinition for "${b.metadata?.name}" APIBinding in "${
            this.dir.pathOf(req.cluster) ?? req.cluster
          }" logical cluster`,
        );
      }
    }
  }
}
