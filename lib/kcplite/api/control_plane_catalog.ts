/**
 * The non-core built-in groups every control plane serves, kcp's generic control plane
 * included (kcp-spec §8.1): admission registration, CRDs, token/access reviews,
 * certificate signing requests, leases, events.k8s.io and RBAC.
 *
 * @module
 */
import { builtin, CREATE_ONLY_VERBS } from "./builtin_def.ts";
import type { ResourceDef } from "./resource_def.ts";
import {
  anyObject,
  arrayOf,
  bool,
  conditions,
  int,
  obj,
  type Schema,
  str,
} from "./schema_builders.ts";

const crdNames = (): Schema =>
  obj({
    plural: str(),
    singular: str(),
    kind: str(),
    listKind: str(),
    shortNames: arrayOf(str()),
    categories: arrayOf(str()),
  }, ["plural", "kind"]);

/** The CRD schema: structure of spec and status, versions' schemas kept as given. */
function crdFields(): Record<string, Schema> {
  return {
    spec: obj({
      group: str(),
      names: crdNames(),
      scope: str({ enum: ["Cluster", "Namespaced"] }),
      versions: arrayOf(obj({
        name: str(),
        served: bool(),
        storage: bool(),
        deprecated: bool(),
        deprecationWarning: str(),
        schema: obj({ openAPIV3Schema: anyObject() }),
        subresources: obj({
          status: anyObject(),
          scale: obj({
            specReplicasPath: str(),
            statusReplicasPath: str(),
            labelSelectorPath: str(),
          }),
        }),
        additionalPrinterColumns: arrayOf(obj({
          name: str(),
          type: str(),
          format: str(),
          description: str(),
          priority: int(),
          jsonPath: str(),
        }, ["name", "type", "jsonPath"])),
        selectableFields: arrayOf(anyObject()),
      }, ["name", "served", "storage"])),
      conversion: anyObject(),
      preserveUnknownFields: bool(),
    }, ["group", "names", "scope", "versions"]),
    status: obj({
      conditions: conditions(),
      acceptedNames: crdNames(),
      storedVersions: arrayOf(str()),
    }),
  };
}

const webhookConfig = (group: string, kind: string, resource: string): ResourceDef =>
  builtin({
    group,
    version: "v1",
    resource,
    kind,
    namespaced: false,
  });

const review = (group: string, resource: string, kind: string, namespaced = false) =>
  builtin({
    group,
    version: "v1",
    resource,
    kind,
    namespaced,
    verbs: CREATE_ONLY_VERBS,
  });

/** The non-core groups of the generic control plane. */
export function controlPlaneGroups(): ResourceDef[] {
  const admission = "admissionregistration.k8s.io";
  const authz = "authorization.k8s.io";
  const rbac = "rbac.authorization.k8s.io";
  return [
    webhookConfig(admission, "MutatingWebhookConfiguration", "mutatingwebhookconfigurations"),
    webhookConfig(admission, "ValidatingWebhookConfiguration", "validatingwebhookconfigurations"),
    builtin({
      group: "apiextensions.k8s.io",
      version: "v1",
      resource: "customresourcedefinitions",
      kind: "CustomResourceDefinition",
      namespaced: false,
      shortNames: ["crd", "crds"],
      categories: ["api-extensions"],
      status: true,
      fields: crdFields(),
    }),
    review("authentication.k8s.io", "tokenreviews", "TokenReview"),
    review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"),
    review(authz, "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
    review(authz, "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
    review(authz, "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
    review(authz, "subjectaccessreviews", "SubjectAccessReview"),
    builtin({
      group: "certificates.k8s.io",
      version: "v1",
      resource: "certificatesigningrequests",
      kind: "CertificateSigningRequest",
      namespaced: false,
      shortNames: ["csr"],
      status: true,
      extraSubresources: [{
        name: "approval",
        kind: "CertificateSigningRequest",
        verbs: ["get", "patch", "update"],
      }],
    }),
    builtin({
      group: "coordination.k8s.io",
      version: "v1",
      resource: "leases",
      kind: "Lease",
      namespaced: true,
    }),
    builtin({
      group: "events.k8s.io",
      version: "v1",
      resource: "events",
      kind: "Event",
      namespaced: true,
      shortNames: ["ev"],
    }),
    builtin({
      group: rbac,
      version: "v1",
      resource: "clusterrolebindings",
      kind: "ClusterRoleBinding",
      namespaced: false,
    }),
    builtin({
      group: rbac,
      version: "v1",
      resource: "clusterroles",
      kind: "ClusterRole",
      namespaced: false,
    }),
    builtin({
      group: rbac,
      version: "v1",
      resource: "rolebindings",
      kind: "RoleBinding",
      namespaced: true,
    }),
    builtin({
      group: rbac,
      version: "v1",
      resource: "roles",
      kind: "Role",
      namespaced: true,
    }),
  ];
}
