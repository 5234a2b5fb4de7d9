/**
 * Admission of APIBindings (kcp-spec §3.3): the referenced export must exist (except
 * under `root`, kcp's bootstrapping special case), the user needs verb `bind` on that
 * `apiexports` name in the export's workspace, the reference is immutable, and the
 * export label and finalizer are set.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { AdmissionRequest } from "../server/cluster_backend.ts";
import { StatusError } from "../api/status_error.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { A, F, finalizersOf, labelsOf, R, ROOT } from "./kcp_kinds.ts";
import { base62Sha224 } from "./hashes.ts";
import { authorizeInCluster } from "./kcp_rbac.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";

const GROUP = "apis.kcp.io";

/** An APIBinding's export reference. */
export interface ExportReference {
  path?: string;
  name: string;
}

/** The export reference of a binding, if well-formed. */
export function exportReferenceOf(binding: KubeObject | undefined): ExportReference | undefined {
  const ref = (binding?.spec as { reference?: { export?: ExportReference } } | undefined)
    ?.reference?.export;
  return ref && typeof ref.name === "string" && ref.name !== "" ? ref : undefined;
}

function forbidden(name: string, message: string): StatusError {
  return StatusError.forbidden(
    `apibindings.${GROUP} "${name}" is forbidden: ${message}`,
    { group: GROUP, resource: "apibindings" },
    name,
  );
}

/** Admission for APIBindings. */
export class ApiBindingAdmission {
  constructor(readonly store: ObjectStore, readonly dir: LogicalClusterDirectory) {}

  /** Mutates and validates; throws a `StatusError` to refuse. */
  admit(req: AdmissionRequest): void {
    if (req.subresource === "status" || req.operation === "DELETE") return;
    const b = req.object!;
    const name = b.metadata?.name ?? "";
    const ref = exportReferenceOf(b);
    if (!ref) {
      throw StatusError.invalid("APIBinding", GROUP, name, [{
        field: "spec.reference.export.name",
        reason: "FieldValueRequired",
        message: "Required value",
      }]);
    }
    if (req.operation === "UPDATE") {
      const old = exportReferenceOf(req.oldObject);
      if (old && (old.name !== ref.name || (old.path ?? "") !== (ref.path ?? ""))) {
        throw forbidden(name, "APIExport reference must not be changed");
      }
      return;
    }
    const path = ref.path || this.dir.pathOf(req.cluster) || req.cluster;
    const exportCluster = this.dir.resolve(path);
    const refusal =
      `unable to create APIBinding: no permission to bind to export ${path}:${ref.name}`;
    const exists = exportCluster !== undefined &&
      this.store.get({
        cluster: exportCluster,
        resource: R.exports,
        namespace: "",
        name: ref.name,
      });
    if (!exists && ref.path !== ROOT) throw forbidden(name, refusal);
    if (exportCluster !== undefined) {
      const decision = authorizeInCluster(this.store, exportCluster, {
        user: req.user,
        verb: "bind",
        resourceRequest: true,
        apiGroup: GROUP,
        resource: "apiexports",
        name: ref.name,
      });
      if (!decision.allowed) throw forbidden(name, refusal);
      labelsOf(b)[A.exportLabel] = base62Sha224(`${exportCluster}:${ref.name}`);
    }
    if (!finalizersOf(b).includes(F.binding)) {
      b.metadata!.finalizers = [...finalizersOf(b), F.binding];
    }
  }
}
