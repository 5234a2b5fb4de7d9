import { assertEquals } from "../../support/assert.ts";
import {
  matchesDownsyncTest,
  matchesUpsyncClause,
  type ObjectRef,
} from "../../../lib/placement/what_match.ts";
import { type LocationView, resolveWhere } from "../../../lib/placement/where_match.ts";
import { isSystemObject, propagationMode } from "../../../lib/placement/resource_modes.ts";

const cm: ObjectRef = {
  group: "",
  resource: "configmaps",
  namespace: "commonstuff",
  name: "httpd-htdocs",
};
const rs: ObjectRef = {
  group: "apps",
  resource: "replicasets",
  namespace: "commonstuff",
  name: "commond",
};
const ns: ObjectRef = { group: "", resource: "namespaces", namespace: "", name: "specialstuff" };

Deno.test("example1's edge-placement-c tests select its ConfigMap and ReplicaSet", () => {
  const tests = [
    {
      apiGroup: "",
      resources: ["configmaps"],
      namespaces: ["commonstuff"],
      objectNames: ["httpd-htdocs"],
    },
    { apiGroup: "apps", resources: ["replicasets"], namespaces: ["commonstuff"] },
  ];
  assertEquals(tests.map((t) => matchesDownsyncTest(cm, t)), [true, false]);
  assertEquals(tests.map((t) => matchesDownsyncTest(rs, t)), [false, true]);
  assertEquals(matchesDownsyncTest({ ...cm, name: "other" }, tests[0]), false);
});

Deno.test("namespace selectors use the Namespace's labels; cluster-scoped objects see none", () => {
  const t = {
    apiGroup: "",
    resources: ["configmaps"],
    namespaceSelectors: [{ matchLabels: { special: "yes" } }],
  };
  assertEquals(
    matchesDownsyncTest({ ...cm, namespace: "specialstuff" }, t, { special: "yes" }),
    true,
  );
  assertEquals(matchesDownsyncTest(cm, t, {}), false);
  assertEquals(
    matchesDownsyncTest(ns, { apiGroup: "", resources: ["namespaces"], namespaceSelectors: [{}] }),
    true,
  );
  assertEquals(
    matchesDownsyncTest(ns, { apiGroup: "", resources: ["namespaces"], namespaces: ["x"] }),
    false,
  );
});

Deno.test("label selectors, wildcards and groups", () => {
  const labelled = { ...rs, labels: { app: "common" } };
  assertEquals(
    matchesDownsyncTest(labelled, {
      apiGroup: "apps",
      labelSelectors: [{ matchLabels: { app: "common" } }],
    }),
    true,
  );
  assertEquals(
    matchesDownsyncTest(labelled, {
      apiGroup: "apps",
      labelSelectors: [{ matchLabels: { app: "x" } }],
    }),
    false,
  );
  assertEquals(matchesDownsyncTest(labelled, { apiGroup: "", resources: ["*"] }), false);
  assertEquals(
    matchesDownsyncTest(labelled, { apiGroup: "apps", resources: ["*"], objectNames: ["*"] }),
    true,
  );
});

Deno.test("upsync clauses claim by group, resource, namespace and name", () => {
  const george: ObjectRef = {
    group: "group1.test",
    resource: "sprockets",
    namespace: "orbital",
    name: "george",
  };
  const clause = {
    apiGroup: "group1.test",
    resources: ["sprockets", "flanges"],
    namespaces: ["orbital"],
    names: ["george", "cosmo"],
  };
  assertEquals(matchesUpsyncClause(george, clause), true);
  assertEquals(matchesUpsyncClause({ ...george, namespace: "other" }, clause), false);
  assertEquals(matchesUpsyncClause({ ...george, name: "x" }, clause), false);
  const william: ObjectRef = {
    group: "group2.test",
    resource: "cogs",
    namespace: "",
    name: "william",
  };
  assertEquals(
    matchesUpsyncClause(william, {
      apiGroup: "group2.test",
      resources: ["cogs"],
      names: ["william"],
    }),
    true,
  );
  assertEquals(
    matchesUpsyncClause(william, { apiGroup: "group2.test", resources: ["cogs"], names: [] }),
    false,
  );
});

Deno.test("where resolution pairs selected Locations with their SyncTargets in the same IMW", () => {
  const locations: LocationView[] = [
    {
      cluster: "imw1",
      name: "florin",
      labels: { env: "prod" },
      instanceSelector: { matchLabels: { id: "florin" } },
    },
    {
      cluster: "imw1",
      name: "guilder",
      labels: { env: "prod", extended: "yes" },
      instanceSelector: { matchLabels: { id: "guilder" } },
    },
    { cluster: "imw1", name: "noselector", labels: { env: "prod" } },
  ];
  const sts = [
    { cluster: "imw1", name: "florin", uid: "u1", labels: { id: "florin" } },
    { cluster: "imw1", name: "guilder", uid: "u2", labels: { id: "guilder" } },
    { cluster: "imw2", name: "guilder", uid: "u3", labels: { id: "guilder" } },
  ];
  assertEquals(
    resolveWhere([{ matchLabels: { env: "prod" } }], locations, sts).map((d) => d.syncTargetUID),
    ["u1", "u2"],
  );
  assertEquals(resolveWhere([{ matchLabels: { env: "prod", extended: "yes" } }], locations, sts), [
    { cluster: "imw1", locationName: "guilder", syncTargetName: "guilder", syncTargetUID: "u2" },
  ]);
  assertEquals(resolveWhere([], locations, sts), []);
});

Deno.test("resource modes and system objects", () => {
  assertEquals(propagationMode("apps", "deployments"), "goes-to-edge");
  assertEquals(propagationMode("apis.kcp.io", "apibindings"), "goes-to-mailbox");
  assertEquals(propagationMode("edge.kubestellar.io", "edgeplacements"), "not-for-edge");
  assertEquals(propagationMode("", "events"), "not-for-edge");
  assertEquals(isSystemObject("", "configmaps", { metadata: { name: "kube-root-ca.crt" } }), true);
  assertEquals(
    isSystemObject("", "secrets", { type: "kubernetes.io/service-account-token" }),
    true,
  );
  assertEquals(isSystemObject("", "serviceaccounts", { metadata: { name: "builder" } }), false);
});
