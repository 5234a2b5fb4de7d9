/**
 * The objects of the denaturing scenario: one object of each forcibly-denatured kind,
 * written in natured form through the edge view, and the EdgePlacement that selects
 * them in natured terms.
 *
 * @module
 */
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

/** The namespace of the namespaced objects. */
export const TEAM = "team";

const ns = { namespace: TEAM };

/**
 * The flowcontrol version a WMW serves (root:compute exports v1beta2), so kubectl's
 * validation finds it; the fields used are the same in v1.
 */
const FLOWCONTROL_VERSION = "flowcontrol.apiserver.k8s.io/v1beta2";

/** `[kubectl resource, namespace?, name]` of each object, for checks. */
export const PLACED: Array<[resource: string, namespace: string | undefined, name: string]> = [
  ["roles.rbac.authorization.k8s.io", TEAM, "cm-reader"],
  ["rolebindings.rbac.authorization.k8s.io", TEAM, "reader-binding"],
  ["clusterroles.rbac.authorization.k8s.io", undefined, "demo-viewer"],
  ["clusterrolebindings.rbac.authorization.k8s.io", undefined, "demo-viewer-binding"],
  ["serviceaccounts", TEAM, "reader"],
  ["limitranges", TEAM, "demo-limits"],
  ["resourcequotas", TEAM, "demo-quota"],
  ["mutatingwebhookconfigurations.admissionregistration.k8s.io", undefined, "demo-mutator"],
  ["validatingwebhookconfigurations.admissionregistration.k8s.io", undefined, "demo-denier"],
  ["apiservices.apiregistration.k8s.io", undefined, "v1.demo.example.com"],
  ["flowschemas.flowcontrol.apiserver.k8s.io", undefined, "demo-flows"],
  ["prioritylevelconfigurations.flowcontrol.apiserver.k8s.io", undefined, "demo-level"],
];

const webhook = (kind: string, name: string): KubeObject => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind,
  metadata: { name },
  webhooks: [{
    name: `${name}.demo.example.com`,
    clientConfig: { url: "https://127.0.0.1:9/deny" },
    rules: [{
      apiGroups: [""],
      apiVersions: ["v1"],
      operations: ["CREATE"],
      resources: ["configmaps"],
    }],
    failurePolicy: "Fail",
    sideEffects: "None",
    admissionReviewVersions: ["v1"],
  }],
});

/** What the user applies through the edge view. */
export function viewObjects(): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: TEAM } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reader", ...ns } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "cm-reader", ...ns },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "reader-binding", ...ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
      subjects: [{ kind: "ServiceAccount", name: "reader", namespace: TEAM }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "demo-viewer" },
      rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "demo-viewer-binding" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "demo-viewer" },
      subjects: [{ kind: "ServiceAccount", name: "reader", namespace: TEAM }],
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "demo-limits", ...ns },
      spec: { limits: [{ type: "Container", default: { cpu: "200m" } }] },
    },
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "demo-quota", ...ns },
      spec: { hard: { configmaps: "10" } },
    },
    webhook("MutatingWebhookConfiguration", "demo-mutator"),
    webhook("ValidatingWebhookConfiguration", "demo-denier"),
    {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: "v1.demo.example.com" },
      spec: {
        group: "demo.example.com",
        version: "v1",
        service: { namespace: TEAM, name: "demo-api" },
        groupPriorityMinimum: 100,
        versionPriority: 10,
      },
    },
    {
      apiVersion: FLOWCONTROL_VERSION,
      kind: "FlowSchema",
      metadata: { name: "demo-flows" },
      spec: {
        priorityLevelConfiguration: { name: "demo-level" },
        matchingPrecedence: 500,
        rules: [{
          subjects: [{ kind: "Group", group: { name: "system:authenticated" } }],
          resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
        }],
      },
    },
    {
      apiVersion: FLOWCONTROL_VERSION,
      kind: "PriorityLevelConfiguration",
      metadata: { name: "demo-level" },
      spec: { type: "Limited", limited: { limitResponse: { type: "Reject" } } },
    },
  ];
}

/** The EdgePlacement, in natured terms (users think of RoleBindings, not their storage). */
export function denaturingPlacement(): KubeObject {
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name: "team-access" },
    spec: {
      locationSelectors: [{ matchLabels: { env: "prod" } }],
      downsync: [
        { apiGroup: "", resources: ["namespaces"], objectNames: [TEAM] },
        {
          apiGroup: "rbac.authorization.k8s.io",
          resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
        },
        { apiGroup: "", resources: ["serviceaccounts", "limitranges", "resourcequotas"] },
        {
          apiGroup: "admissionregistration.k8s.io",
          resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
        },
        { apiGroup: "apiregistration.k8s.io", resources: ["apiservices"] },
        {
          apiGroup: "flowcontrol.apiserver.k8s.io",
          resources: ["flowschemas", "prioritylevelconfigurations"],
        },
      ],
      wantSingletonReportedState: true,
    },
  };
}
