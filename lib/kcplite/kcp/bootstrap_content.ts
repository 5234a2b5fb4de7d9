/**
 * The objects kcp-lite bootstraps, as data (kcp-spec §2.3, §2.7, §2.8, §5.4): the
 * WorkspaceTypes of `root`, the RBAC of `root`, `system:admin` and `root:compute`.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { R } from "./kcp_kinds.ts";

/** One object to create in a cluster. */
export interface SeedObject {
  resource: string;
  name: string;
  namespace?: string;
  object: KubeObject;
}

const RBAC = "rbac.authorization.k8s.io";
const AUTHENTICATED = { apiGroup: RBAC, kind: "Group", name: "system:authenticated" };
const BINDING_AUTHENTICATED = {
  apiGroup: RBAC,
  kind: "Group",
  name: "apis.kcp.io:binding:system:authenticated",
};

/** The default exports of `root` bound into every universal workspace. */
export const ROOT_DEFAULT_EXPORTS = [
  "tenancy.kcp.io",
  "scheduling.kcp.io",
  "workload.kcp.io",
  "apiresource.kcp.io",
  "topology.kcp.io",
];

/** Root exports with `maximalPermissionPolicy.local`. */
export const ROOT_EXPORTS_WITH_POLICY = [
  "tenancy.kcp.io",
  "scheduling.kcp.io",
  "apiresource.kcp.io",
];

const ref = (name: string) => ({ name, path: "root" });

/** The WorkspaceTypes of `root`. */
export function rootWorkspaceTypes(): SeedObject[] {
  const type = (name: string, spec: Record<string, unknown>): SeedObject => ({
    resource: R.workspaceTypes,
    name,
    object: { metadata: { annotations: { "kcp.io/path": "root" } }, spec },
  });
  return [
    type("root", {
      extend: { with: [ref("universal")] },
      defaultChildWorkspaceType: ref("organization"),
      limitAllowedParents: { none: true },
    }),
    type("universal", {
      initializer: true,
      defaultAPIBindings: ROOT_DEFAULT_EXPORTS.map((e) => ({ path: "root", export: e })),
    }),
    type("organization", {
      extend: { with: [ref("universal")] },
      defaultChildWorkspaceType: ref("universal"),
      limitAllowedParents: { types: [ref("root")] },
      limitAllowedChildren: { types: [ref("universal")] },
    }),
    type("team", {
      extend: { with: [ref("universal")] },
      defaultChildWorkspaceType: ref("universal"),
      limitAllowedParents: { types: [ref("organization"), ref("team")] },
    }),
    type("home", {
      extend: { with: [ref("universal")] },
      defaultChildWorkspaceType: ref("universal"),
      limitAllowedParents: { none: true },
    }),
  ];
}

function clusterRole(name: string, rules: unknown[]): SeedObject {
  return { resource: R.clusterRoles, name, object: { rules } };
}

function clusterRoleBinding(name: string, role: string, subjects: unknown[]): SeedObject {
  return {
    resource: R.clusterRoleBindings,
    name,
    object: { roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role }, subjects },
  };
}

/** A `bind` ClusterRole and its binding for `system:authenticated`. */
export function bindRbac(name: string, exportName: string): SeedObject[] {
  return [
    clusterRole(name, [{
      verbs: ["bind"],
      apiGroups: ["apis.kcp.io"],
      resources: ["apiexports"],
      resourceNames: [exportName],
    }]),
    clusterRoleBinding(name, name, [AUTHENTICATED]),
  ];
}

/** A maximal-permission-policy ClusterRole bound to the binding-prefixed authenticated group. */
export function policyRbac(role: string, binding: string, rules: unknown[]): SeedObject[] {
  return [clusterRole(role, rules), clusterRoleBinding(binding, role, [BINDING_AUTHENTICATED])];
}

/** RBAC of `root`. */
export function rootRbac(): SeedObject[] {
  const out: SeedObject[] = [
    clusterRoleBinding(
      "system:kcp:tenancy:authenticated:access",
      "system:kcp:workspace:access",
      [AUTHENTICATED],
    ),
    clusterRole("system:kcp:universal-workspacetype-use", [{
      verbs: ["use"],
      apiGroups: ["tenancy.kcp.io"],
      resources: ["workspacetypes"],
      resourceNames: ["universal", "organization", "team"],
    }]),
    clusterRoleBinding(
      "system:kcp:universal-workspacetype-use",
      "system:kcp:universal-workspacetype-use",
      [AUTHENTICATED],
    ),
    clusterRole("system:kcp:authenticated:tenancy:reader", [{
      verbs: ["get", "list", "watch"],
      apiGroups: ["tenancy.kcp.io"],
      resources: ["workspacetypes"],
    }]),
    clusterRoleBinding(
      "system:kcp:authenticated:tenancy:reader",
      "system:kcp:authenticated:tenancy:reader",
      [AUTHENTICATED],
    ),
  ];
  for (const e of [...ROOT_DEFAULT_EXPORTS, "shards.core.kcp.io"]) {
    out.push(...bindRbac(`system:kcp:apiexport:${e}:bind`, e));
  }
  for (const e of ROOT_EXPORTS_WITH_POLICY) {
    out.push(...policyRbac(
      `system:kcp:apiexport:${e}:maximal-permission-policy`,
      `system:kcp:authenticated:apiexport:${e}:maximal-permission-policy`,
      [{ verbs: ["*"], apiGroups: [e], resources: ["*"] }],
    ));
  }
  return out;
}

/** The standard and kcp ClusterRoles (and bootstrap bindings) of `system:admin`. */
export function systemAdminRbac(): SeedObject[] {
  const read = ["get", "list", "watch"];
  const write = ["create", "update", "patch", "delete", "deletecollection"];
  return [
    clusterRole("cluster-admin", [
      { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
      { verbs: ["*"], nonResourceURLs: ["*"] },
    ]),
    clusterRole("admin", [{ verbs: [...read, ...write], apiGroups: ["*"], resources: ["*"] }]),
    clusterRole("edit", [{
      verbs: [...read, ...write],
      apiGroups: ["*"],
      resources: ["*"],
    }]),
    clusterRole("view", [{ verbs: read, apiGroups: ["*"], resources: ["*"] }]),
    clusterRole("system:kcp:workspace:access", [{ verbs: ["access"], nonResourceURLs: ["/"] }]),
    clusterRole("system:kcp:tenancy:reader", [{
      verbs: read,
      apiGroups: ["tenancy.kcp.io"],
      resources: ["workspaces", "workspacetypes"],
    }]),
    clusterRole("system:kcp:logical-cluster-admin", [{
      verbs: ["*"],
      apiGroups: ["core.kcp.io"],
      resources: ["logicalclusters"],
    }]),
    clusterRole("system:discovery", [{
      verbs: ["get"],
      nonResourceURLs: [
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
        "/openapi",
        "/openapi/*",
        "/version",
        "/version/",
      ],
    }]),
    clusterRole("system:basic-user", [{
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    }]),
    clusterRole("system:public-info-viewer", [{
      verbs: ["get"],
      nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"],
    }]),
    clusterRoleBinding("system:kcp:admin:cluster-admin", "cluster-admin", [
      { apiGroup: RBAC, kind: "Group", name: "system:kcp:admin" },
    ]),
    clusterRoleBinding("system:discovery", "system:discovery", [AUTHENTICATED]),
    clusterRoleBinding("system:basic-user", "system:basic-user", [AUTHENTICATED]),
    clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [
      AUTHENTICATED,
      { apiGroup: RBAC, kind: "Group", name: "system:unauthenticated" },
    ]),
  ];
}

/** RBAC of `root:compute` for its `kubernetes` export (kcp-spec §2.8). */
export function computeRbac(): SeedObject[] {
  return [
    ...bindRbac("compute:apiexport:kubernetes:bind", "kubernetes"),
    ...policyRbac(
      "compute:apiexport:kubernetes:maximal-permission-policy",
      "compute:authenticated:apiexport:kubernetes:maximal-permission-policy",
      [
        { verbs: ["*"], apiGroups: [""], resources: ["services"] },
        { verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"] },
        { verbs: ["*"], apiGroups: ["networking.k8s.io"], resources: ["ingresses"] },
        {
          verbs: ["get", "list", "watch"],
          apiGroups: [""],
          resources: ["pods", "pods/log", "pods/exec"],
        },
        {
          verbs: ["get", "update", "patch"],
          apiGroups: ["apps"],
          resources: ["deployments/scale"],
        },
        {
          verbs: ["get", "list", "watch"],
          apiGroups: ["", "apps", "networking.k8s.io"],
          resources: ["services/status", "deployments/status", "ingresses/status", "pods/status"],
        },
      ],
    ),
  ];
}
