/**
 * The kcp API objects that publish `edge.kubestellar.io` from the edge service provider
 * workspace: one APIResourceSchema per edge CRD and the APIExport `edge.kubestellar.io`
 * (controllers-spec §1.10.1), and the APIBinding other workspaces use to consume it.
 *
 * @module
 */
import type { KubeObject } from "../kube/rest_client.ts";
import { EDGE_GROUP } from "./api_types.ts";
import { edgeCrds } from "./crds.ts";

/** The name of the APIExport (and of the bindings to it). */
export const EDGE_EXPORT_NAME = EDGE_GROUP;

/**
 * A prefix for schema names that changes whenever the schemas change, as kcp's
 * `apigen` does (`v<date>-<hash>`), so a changed schema never replaces one in use.
 */
export async function schemaPrefix(): Promise<string> {
  const text = JSON.stringify(edgeCrds());
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  const hex = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
  return `v2alpha1-${hex}`;
}

/** The APIResourceSchema made from a CRD: its spec without served/storage flags. */
export function apiResourceSchemaFromCrd(crd: KubeObject, prefix: string): KubeObject {
  const spec = crd.spec as Record<string, unknown>;
  const names = spec.names as Record<string, unknown>;
  const versions = (spec.versions as Array<Record<string, unknown>>).map((v) => ({
    name: v.name,
    served: v.served,
    storage: v.storage,
    schema: (v.schema as Record<string, unknown>).openAPIV3Schema,
    ...(v.subresources ? { subresources: v.subresources } : {}),
    ...(v.additionalPrinterColumns ? { additionalPrinterColumns: v.additionalPrinterColumns } : {}),
  }));
  return {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIResourceSchema",
    metadata: { name: `${prefix}.${names.plural}.${spec.group}` },
    spec: { group: spec.group, names, scope: spec.scope, versions },
  };
}

/** Every edge APIResourceSchema and the APIExport that lists them. */
export async function edgeApiExportObjects(): Promise<
  { schemas: KubeObject[]; apiExport: KubeObject }
> {
  const prefix = await schemaPrefix();
  const schemas = edgeCrds().map((crd) => apiResourceSchemaFromCrd(crd, prefix));
  const apiExport: KubeObject = {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIExport",
    metadata: { name: EDGE_EXPORT_NAME },
    spec: { latestResourceSchemas: schemas.map((s) => s.metadata!.name!) },
  };
  return { schemas, apiExport };
}

/** An APIBinding named `name` to the edge export in the ESPW at `espwPath`. */
export function edgeApiBinding(name: string, espwPath: string): KubeObject {
  return {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIBinding",
    metadata: { name },
    spec: { reference: { export: { path: espwPath, name: EDGE_EXPORT_NAME } } },
  };
}
