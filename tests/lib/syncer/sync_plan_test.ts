import { assertEquals, assertTrue } from "../../support/assert.ts";
import {
  dependencyRank,
  NAMESPACES,
  planFromSyncerConfig,
  upsyncMatches,
} from "../../../lib/syncer/sync_plan.ts";

const CM = { group: "", version: "v1", resource: "configmaps" };
const DEPLOY = { group: "apps", version: "v1", resource: "deployments" };
const CRD = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };

Deno.test("plan: named, wildcard and namespace-scope selections, implicit namespaces", () => {
  const plan = planFromSyncerConfig({
    metadata: { name: "the-one" },
    spec: {
      namespaceScope: {
        namespaces: ["scoped"],
        resources: [{ group: "", resource: "configmaps", apiVersion: "v1" }],
      },
      namespacedObjects: [
        {
          group: "apps",
          resource: "deployments",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["web"] }, {
            namespace: "empty",
            names: [],
          }],
        },
        {
          group: "",
          resource: "configmaps",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns2", names: ["*"] }],
        },
      ],
      clusterScope: [
        {
          group: "apiextensions.k8s.io",
          resource: "customresourcedefinitions",
          apiVersion: "v1",
          objects: ["a.example.com"],
        },
        { group: "rbac.authorization.k8s.io", resource: "clusterroles", apiVersion: "v1" },
        { group: "storage.k8s.io", resource: "storageclasses", apiVersion: "v1", objects: [] },
      ],
    },
  });
  assertTrue(plan.wantsDownsync(DEPLOY, "ns1", "web"));
  assertTrue(!plan.wantsDownsync(DEPLOY, "ns1", "other"));
  assertTrue(plan.wantsDownsync(CM, "ns2", "anything"));
  assertTrue(plan.wantsDownsync(CM, "scoped", "anything"));
  assertTrue(!plan.wantsDownsync(CM, "ns1", "anything"));
  assertTrue(plan.wantsDownsync(CRD, "", "a.example.com"));
  assertTrue(!plan.wantsDownsync(CRD, "", "b.example.com"));
  assertTrue(
    plan.wantsDownsync(
      { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" },
      "",
      "x",
    ),
  );
  assertTrue(
    !plan.wantsDownsync(
      { group: "storage.k8s.io", version: "v1", resource: "storageclasses" },
      "",
      "x",
    ),
  );
  for (const ns of ["ns1", "ns2", "scoped"]) assertTrue(plan.wantsDownsync(NAMESPACES, "", ns), ns);
  assertTrue(!plan.wantsDownsync(NAMESPACES, "", "empty"), "no names, no namespace");
  assertEquals(
    plan.namedObjects().map((o) => `${o.id.resource} ${o.namespace}/${o.name}`).sort(),
    [
      "customresourcedefinitions /a.example.com",
      "deployments ns1/web",
      "namespaces /ns1",
      "namespaces /ns2",
      "namespaces /scoped",
    ],
  );
  assertEquals(planFromSyncerConfig(undefined).downsync.size, 0);
});

Deno.test("plan: upsync clauses and dependency order", () => {
  const clause = { apiGroup: "", resources: ["configmaps"], namespaces: ["reports"], names: ["*"] };
  assertTrue(upsyncMatches(clause, "", "configmaps", "reports", "r1"));
  assertTrue(!upsyncMatches(clause, "", "configmaps", "other", "r1"));
  assertTrue(!upsyncMatches(clause, "apps", "configmaps", "reports", "r1"));
  assertTrue(
    upsyncMatches({ apiGroup: "x.io", resources: ["*"], names: ["a"] }, "x.io", "things", "", "a"),
  );
  assertTrue(
    !upsyncMatches({ apiGroup: "x.io", resources: ["*"], names: ["a"] }, "x.io", "things", "", "b"),
  );
  assertEquals([DEPLOY, CRD, NAMESPACES].sort((a, b) => dependencyRank(a) - dependencyRank(b)), [
    NAMESPACES,
    CRD,
    DEPLOY,
  ]);
});
