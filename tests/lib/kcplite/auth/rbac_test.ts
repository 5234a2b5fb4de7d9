import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  authorize,
  forbiddenMessage,
  type PolicyRule,
  type RbacObjects,
  type RequestAttributes,
  type UserInfo,
} from "../../../../lib/kcplite/auth/rbac.ts";

const alice: UserInfo = { name: "alice", groups: ["system:authenticated"] };
const bob: UserInfo = { name: "bob", groups: ["devs", "system:authenticated"] };
const sa: UserInfo = {
  name: "system:serviceaccount:edge:syncer",
  groups: ["system:serviceaccounts", "system:serviceaccounts:edge", "system:authenticated"],
};

function rbac(): RbacObjects {
  const clusterRoles = new Map<
    string,
    {
      rules?: PolicyRule[];
      aggregationRule?: unknown;
      metadata?: { labels?: Record<string, string> };
    }
  >([
    ["cluster-admin", {
      rules: [
        { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
        { verbs: ["*"], nonResourceURLs: ["*"] },
      ],
    }],
    ["pod-reader", {
      rules: [{ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"] }],
    }],
    ["status-writer", {
      rules: [{ verbs: ["update", "patch"], apiGroups: ["*"], resources: ["*/status"] }],
    }],
    ["one-cm", {
      rules: [{
        verbs: ["get", "update"],
        apiGroups: [""],
        resources: ["configmaps"],
        resourceNames: ["settings"],
      }],
    }],
    ["scaler", {
      rules: [{ verbs: ["update"], apiGroups: ["apps"], resources: ["deployments/scale"] }],
    }],
    ["metrics", { rules: [{ verbs: ["get"], nonResourceURLs: ["/metrics", "/debug/*"] }] }],
    ["access", { rules: [{ verbs: ["access"], nonResourceURLs: ["/"] }] }],
    ["aggregate-view", {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example/view": "true" } }] },
    }],
    ["secret-viewer", {
      metadata: { labels: { "rbac.example/view": "true" } },
      rules: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }],
    }],
  ]);
  return {
    clusterRoles,
    roles: new Map([
      ["team/deployer", {
        rules: [{ verbs: ["create", "delete"], apiGroups: ["apps"], resources: ["deployments"] }],
      }],
    ]),
    clusterRoleBindings: [
      {
        metadata: { name: "admins" },
        roleRef: { kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "Group", name: "admins" }],
      },
      {
        metadata: { name: "alice-pods" },
        roleRef: { kind: "ClusterRole", name: "pod-reader" },
        subjects: [{ kind: "User", name: "alice" }],
      },
      {
        metadata: { name: "auth-access" },
        roleRef: { kind: "ClusterRole", name: "access" },
        subjects: [{ kind: "Group", name: "system:authenticated" }],
      },
      {
        metadata: { name: "sa-status" },
        roleRef: { kind: "ClusterRole", name: "status-writer" },
        subjects: [{ kind: "ServiceAccount", name: "syncer", namespace: "edge" }],
      },
      {
        metadata: { name: "alice-metrics" },
        roleRef: { kind: "ClusterRole", name: "metrics" },
        subjects: [{ kind: "User", name: "alice" }],
      },
      {
        metadata: { name: "view" },
        roleRef: { kind: "ClusterRole", name: "aggregate-view" },
        subjects: [{ kind: "User", name: "carol" }],
      },
      // A ServiceAccount subject without namespace in a ClusterRoleBinding matches nobody.
      {
        metadata: { name: "bad-sa" },
        roleRef: { kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: "syncer" }],
      },
      // A ClusterRoleBinding to a Role grants nothing.
      {
        metadata: { name: "odd" },
        roleRef: { kind: "Role", name: "deployer" },
        subjects: [{ kind: "User", name: "bob" }],
      },
    ],
    roleBindings: [
      {
        namespace: "team",
        metadata: { name: "devs-deploy" },
        roleRef: { kind: "Role", name: "deployer" },
        subjects: [{ kind: "Group", name: "devs" }],
      },
      {
        namespace: "team",
        metadata: { name: "bob-cm" },
        roleRef: { kind: "ClusterRole", name: "one-cm" },
        subjects: [{ kind: "User", name: "bob" }],
      },
      {
        namespace: "team",
        metadata: { name: "bob-scale" },
        roleRef: { kind: "ClusterRole", name: "scaler" },
        subjects: [{ kind: "User", name: "bob" }],
      },
      // Namespace defaults to the binding's for ServiceAccount subjects.
      {
        namespace: "edge",
        metadata: { name: "sa-pods" },
        roleRef: { kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: "syncer" }],
      },
    ],
  };
}

function res(
  user: UserInfo,
  verb: string,
  resource: string,
  extra: Partial<RequestAttributes> = {},
): RequestAttributes {
  return { user, verb, resourceRequest: true, apiGroup: "", resource, ...extra };
}

function nonRes(user: UserInfo, verb: string, path: string): RequestAttributes {
  return { user, verb, resourceRequest: false, path };
}

Deno.test("authorize: table of allow/deny decisions", () => {
  const objs = rbac();
  const admin: UserInfo = { name: "root", groups: ["admins"] };
  const carol: UserInfo = { name: "carol", groups: [] };
  const cases: [string, RequestAttributes, boolean][] = [
    [
      "wildcards allow anything",
      res(admin, "delete", "widgets", { apiGroup: "example.com", namespace: "x" }),
      true,
    ],
    ["wildcard non-resource", nonRes(admin, "get", "/anything"), true],
    [
      "cluster role binding, pods get everywhere",
      res(alice, "get", "pods", { namespace: "a" }),
      true,
    ],
    ["cluster scope list", res(alice, "list", "pods"), true],
    ["verb not granted", res(alice, "delete", "pods", { namespace: "a" }), false],
    ["group mismatch", res(alice, "get", "pods", { apiGroup: "apps", namespace: "a" }), false],
    [
      "subresource needs its own rule",
      res(alice, "get", "pods", { subresource: "log", namespace: "a" }),
      false,
    ],
    ["no binding", res(bob, "get", "pods", { namespace: "team" }), false],
    [
      "role binding grants in its namespace",
      res(bob, "create", "deployments", { apiGroup: "apps", namespace: "team" }),
      true,
    ],
    [
      "role binding does not grant elsewhere",
      res(bob, "create", "deployments", { apiGroup: "apps", namespace: "other" }),
      false,
    ],
    [
      "role binding does not grant at cluster scope",
      res(bob, "create", "deployments", { apiGroup: "apps" }),
      false,
    ],
    [
      "ClusterRoleBinding to a Role grants nothing",
      res(bob, "create", "deployments", { apiGroup: "apps", namespace: "x" }),
      false,
    ],
    [
      "resourceNames allow the named object",
      res(bob, "get", "configmaps", { namespace: "team", name: "settings" }),
      true,
    ],
    [
      "resourceNames deny other names",
      res(bob, "get", "configmaps", { namespace: "team", name: "other" }),
      false,
    ],
    [
      "resourceNames deny unnamed (list)",
      res(bob, "get", "configmaps", { namespace: "team" }),
      false,
    ],
    [
      "resource/subresource rule",
      res(bob, "update", "deployments", {
        apiGroup: "apps",
        subresource: "scale",
        namespace: "team",
      }),
      true,
    ],
    [
      "resource/subresource rule does not grant the resource",
      res(bob, "update", "deployments", { apiGroup: "apps", namespace: "team" }),
      false,
    ],
    [
      "*/status matches any status",
      res(sa, "patch", "widgets", { apiGroup: "x.io", subresource: "status", namespace: "z" }),
      true,
    ],
    [
      "*/status does not match the main resource",
      res(sa, "patch", "widgets", { apiGroup: "x.io", namespace: "z" }),
      false,
    ],
    [
      "SA namespace defaults to the RoleBinding's",
      res(sa, "delete", "secrets", { namespace: "edge" }),
      true,
    ],
    [
      "SA RoleBinding only in its namespace",
      res(sa, "delete", "secrets", { namespace: "team" }),
      false,
    ],
    ["non-resource exact", nonRes(alice, "get", "/metrics"), true],
    ["non-resource prefix *", nonRes(alice, "get", "/debug/pprof/heap"), true],
    ["non-resource no match", nonRes(alice, "get", "/metricsx"), false],
    ["non-resource verb", nonRes(alice, "post", "/metrics"), false],
    ["access on / via group", nonRes(bob, "access", "/"), true],
    ["access is not a prefix", nonRes(bob, "access", "/x"), false],
    ["aggregated ClusterRole", res(carol, "get", "secrets", { namespace: "n" }), true],
    ["aggregated ClusterRole limits", res(carol, "list", "secrets", { namespace: "n" }), false],
  ];
  for (const [name, attrs, want] of cases) {
    assertEquals(authorize(attrs, objs).allowed, want, name);
  }
});

Deno.test("authorize: allow reasons name the binding; denials have none", () => {
  const objs = rbac();
  assertEquals(
    authorize(res(alice, "get", "pods", { namespace: "a" }), objs).reason,
    'RBAC: allowed by ClusterRoleBinding "alice-pods" of ClusterRole "pod-reader" to User "alice"',
  );
  assertEquals(
    authorize(res(bob, "create", "deployments", { apiGroup: "apps", namespace: "team" }), objs)
      .reason,
    'RBAC: allowed by RoleBinding "devs-deploy/team" of Role "deployer" to Group "devs"',
  );
  const denied = authorize(res(bob, "get", "pods"), objs);
  assertEquals(denied, { allowed: false });
  const empty: RbacObjects = {
    clusterRoles: new Map(),
    roles: new Map(),
    clusterRoleBindings: [],
    roleBindings: [],
  };
  assertTrue(!authorize(res(alice, "get", "pods"), empty).allowed);
});

Deno.test("forbiddenMessage: Kubernetes wording", () => {
  const cases: [RequestAttributes, string | undefined, string][] = [
    [
      res(alice, "get", "pods", { namespace: "default", name: "web" }),
      undefined,
      'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"',
    ],
    [
      res(alice, "list", "deployments", { apiGroup: "apps" }),
      undefined,
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope',
    ],
    [
      res(alice, "update", "deployments", {
        apiGroup: "apps",
        subresource: "scale",
        namespace: "n",
        name: "d",
      }),
      undefined,
      'deployments.apps "d" is forbidden: User "alice" cannot update resource "deployments/scale" in API group "apps" in the namespace "n"',
    ],
    [
      res(alice, "create", "pods", { namespace: "n" }),
      "no verb=access permission on /",
      'pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "n": no verb=access permission on /',
    ],
    [nonRes(alice, "get", "/x"), undefined, 'forbidden: User "alice" cannot get path "/x"'],
  ];
  for (const [attrs, reason, want] of cases) assertEquals(forbiddenMessage(attrs, reason), want);
});
