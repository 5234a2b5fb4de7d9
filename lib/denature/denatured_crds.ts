/**
 * The CustomResourceDefinitions of `denatured.kubestellar.io/v1`: one per
 * forcibly-denatured kind, of the same kind name and scope as the natured kind, whose
 * fields are kept as data (`x-kubernetes-preserve-unknown-fields` at the top, so every
 * natured field survives). `kubestellar init` publishes them through the
 * `edge.kubestellar.io` APIExport with the edge kinds, so every workload management
 * workspace and mailbox can store them; kcp gives them no behaviour there.
 *
 * @module
 */
import type { KubeObject } from "../kube/rest_client.ts";
import { anyObject, bool, list, type Schema, str } from "../edge/openapi_builders.ts";
import {
  DENATURED_GROUP,
  DENATURED_KINDS,
  DENATURED_VERSION,
  type DenaturedKind,
} from "./denatured_kinds.ts";

const anyList = () => list(anyObject());

/** The top-level fields of each natured kind besides apiVersion/kind/metadata. */
function fieldsOf(d: DenaturedKind): Record<string, Schema> {
  switch (d.kind) {
    case "Role":
      return { rules: anyList() };
    case "ClusterRole":
      return { rules: anyList(), aggregationRule: anyObject() };
    case "RoleBinding":
    case "ClusterRoleBinding":
      return { roleRef: anyObject(), subjects: anyList() };
    case "ServiceAccount":
      return {
        secrets: anyList(),
        imagePullSecrets: anyList(),
        automountServiceAccountToken: bool(),
      };
    case "MutatingWebhookConfiguration":
    case "ValidatingWebhookConfiguration":
      return { webhooks: anyList() };
    default:
      return d.hasStatus ? { spec: anyObject(), status: anyObject() } : { spec: anyObject() };
  }
}

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** Columns like kubectl's for the natured kind, where a JSONPath can say them. */
function columnsOf(d: DenaturedKind): PrinterColumn[] {
  switch (d.kind) {
    case "RoleBinding":
    case "ClusterRoleBinding":
      return [{ name: "Role", type: "string", jsonPath: ".roleRef.name" }, AGE];
    case "APIService":
      return [{ name: "Service", type: "string", jsonPath: ".spec.service.name" }, AGE];
    default:
      return [AGE];
  }
}

function crdFor(d: DenaturedKind): KubeObject {
  const schema: Schema = {
    type: "object",
    "x-kubernetes-preserve-unknown-fields": true,
    properties: { apiVersion: str(), kind: str(), metadata: { type: "object" }, ...fieldsOf(d) },
  };
  const version: Record<string, unknown> = {
    name: DENATURED_VERSION,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: schema },
    additionalPrinterColumns: columnsOf(d),
  };
  if (d.hasStatus) version.subresources = { status: {} };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${d.resource}.${DENATURED_GROUP}` },
    spec: {
      group: DENATURED_GROUP,
      names: {
        kind: d.kind,
        listKind: `${d.kind}List`,
        plural: d.resource,
        singular: d.kind.toLowerCase(),
        categories: ["denatured"],
      },
      scope: d.namespaced ? "Namespaced" : "Cluster",
      versions: [version],
    },
  };
}

/** The denatured CRDs, in the order of `DENATURED_KINDS`. */
export function denaturedCrds(): KubeObject[] {
  return DENATURED_KINDS.map(crdFor);
}
