import {
  customizeObject,
  customizerRef,
} from "../../../../lib/controllers/placement/customization.ts";
import {
  desiredMailbox,
  type PlacementAtDestination,
} from "../../../../lib/controllers/placement/desired_mailbox.ts";
import {
  mergedForm,
  projectedForm,
  sameJson,
} from "../../../../lib/controllers/placement/projected_form.ts";
import { selectForPlacement } from "../../../../lib/controllers/placement/selection.ts";
import {
  listedObjects,
  syncerConfigSpec,
} from "../../../../lib/controllers/placement/syncer_config_spec.ts";
import type { Customizer, EdgePlacement } from "../../../../lib/edge/api_types.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { obj, RES, StaticCatalog } from "./static_catalog.ts";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "commond",
    namespace: "commonstuff",
    uid: "u1",
    resourceVersion: "7",
    generation: 2,
    creationTimestamp: "t",
    managedFields: [{}],
    ownerReferences: [{ uid: "x" }],
    labels: { app: "common" },
    annotations: {
      "kcp.io/cluster": "abc",
      "edge.kubestellar.io/customizer": "example-customizer",
      "edge.kubestellar.io/expand-parameters": "true",
      "kubestellar.io/executing-count": "2",
    },
  },
  spec: {
    template: {
      spec: { containers: [{ name: "httpd", env: [{ name: "V", value: "in %(loc-name)" }] }] },
    },
  },
  status: { readyReplicas: 1 },
};

const customizer: Customizer = {
  metadata: {
    name: "example-customizer",
    namespace: "commonstuff",
    annotations: { "edge.kubestellar.io/expand-parameters": "true" },
  },
  replacements: [
    { path: "$.spec.template.spec.containers.0.env.0.value", value: '"env is %(env)"' },
    { path: "spec.broken", value: '"x"' },
    { path: "$.spec.other", value: "not json" },
    { path: "$.spec.added", value: '{"a": 1}' },
  ],
};

Deno.test("customizerRef: same namespace or namespace/name", () => {
  assertEquals(customizerRef(deployment), { namespace: "commonstuff", name: "example-customizer" });
  assertEquals(
    customizerRef({
      metadata: { name: "x", annotations: { "edge.kubestellar.io/customizer": "ns1/c" } },
    }),
    { namespace: "ns1", name: "c" },
  );
  assertEquals(customizerRef({ metadata: { name: "x" } }), undefined);
});

Deno.test("customizeObject: expansion, replacements, and reported bad replacements", () => {
  const { object, problems } = customizeObject(deployment, customizer, {
    env: "prod",
    "loc-name": "florin",
  });
  const spec = object.spec as {
    template: { spec: { containers: { env: { value: string }[] }[] } };
    added: unknown;
  };
  assertEquals(spec.template.spec.containers[0].env[0].value, "env is prod");
  assertEquals(spec.added, { a: 1 });
  assertEquals(problems.length, 2);
  assertTrue(problems[0].includes('must start with "$"'));
  assertTrue(problems[1].includes("is not JSON"));
  assertEquals(
    deployment.spec.template.spec.containers[0].env[0].value,
    "in %(loc-name)",
    "source untouched",
  );
  const plain = customizeObject(deployment, undefined, { "loc-name": "florin" }).object;
  assertEquals(
    (plain.spec as typeof deployment.spec).template.spec.containers[0].env[0].value,
    "in florin",
  );
});

Deno.test("projectedForm strips server fields and kcp keys, labels the copy; mergedForm keeps mailbox state", () => {
  const form = projectedForm(deployment, RES.deployments);
  assertEquals(form.metadata, {
    name: "commond",
    namespace: "commonstuff",
    labels: { app: "common", "edge.kubestellar.io/projected": "yes" },
    annotations: {
      "edge.kubestellar.io/customizer": "example-customizer",
      "edge.kubestellar.io/expand-parameters": "true",
    },
  });
  assertEquals(form.status, undefined);
  assertEquals(form.apiVersion, "apps/v1");
  const existing = {
    ...form,
    metadata: {
      ...form.metadata,
      resourceVersion: "9",
      uid: "m",
      annotations: { "mailbox-only": "1" },
    },
    spec: { old: true },
    status: { readyReplicas: 3 },
  };
  const merged = mergedForm(existing, form);
  assertEquals(merged.spec, form.spec);
  assertEquals(merged.status, { readyReplicas: 3 });
  assertEquals(merged.metadata?.resourceVersion, "9");
  assertEquals(merged.metadata?.annotations?.["mailbox-only"], "1");
  assertTrue(sameJson(mergedForm(merged, form), merged), "a second merge changes nothing");
});

function at(
  wmw: string,
  name: string,
  spec: EdgePlacement["spec"],
  catalog: StaticCatalog,
): PlacementAtDestination {
  const placement = { metadata: { name }, spec };
  return {
    placementKey: `${wmw}|${name}`,
    wmw,
    placement,
    destination: { cluster: "imw", locationName: "l", syncTargetName: "s", syncTargetUID: "u" },
    selection: selectForPlacement(placement, catalog),
  };
}

Deno.test("desiredMailbox + syncerConfigSpec: overlap, OR-ed bits, conflicts, upsync union, sorted spec", () => {
  const c1 = new StaticCatalog("w1", Object.values(RES), {
    "/namespaces": [obj("ns1")],
    "/configmaps": [obj("b", "ns1"), obj("a", "ns1")],
    "apps/deployments": [obj("d", "ns1")],
    "apis.kcp.io/apibindings": [
      obj("bind-kubernetes", undefined, {
        status: { boundResources: [{ group: "apps", resource: "deployments" }] },
      }),
    ],
  });
  const c2 = new StaticCatalog("w2", Object.values(RES), {
    "/namespaces": [obj("ns1", undefined, { spec: { different: true } })],
    "/configmaps": [obj("a", "ns1", { data: { x: "other" } })],
  });
  const up = { apiGroup: "g", resources: ["r"], names: ["*"] };
  const desired = desiredMailbox([
    at("w1", "p1", { downsync: [{ apiGroup: "", resources: ["configmaps"] }], upsync: [up] }, c1),
    at("w1", "p2", {
      downsync: [{ apiGroup: "", resources: ["configmaps"], objectNames: ["a"] }, {
        apiGroup: "apps",
        resources: ["*"],
      }],
      wantSingletonReportedState: true,
      upsync: [up],
    }, c1),
    at("w2", "p3", { downsync: [{ apiGroup: "", resources: ["configmaps", "namespaces"] }] }, c2),
  ]);
  const a = desired.parts.get("/configmaps|ns1/a")!;
  assertEquals(a.placements, ["w1|p1", "w1|p2"]);
  assertTrue(a.singleton);
  assertEquals(a.sourceCluster, "w1");
  assertEquals(desired.conflicts.length, 1);
  assertTrue(desired.conflicts[0].startsWith("/configmaps|ns1/a is sent by workspaces w1 and w2"));
  assertEquals(desired.upsync, [up]);
  const spec = syncerConfigSpec(desired.parts.values(), desired.upsync);
  assertEquals(spec, {
    namespaceScope: {},
    namespacedObjects: [
      {
        group: "",
        resource: "configmaps",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns1", names: ["a", "b"] }],
      },
      {
        group: "apps",
        resource: "deployments",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns1", names: ["d"] }],
      },
    ],
    clusterScope: [{ group: "", resource: "namespaces", apiVersion: "v1", objects: ["ns1"] }],
    upsync: [up],
  });
  assertTrue(
    desired.parts.has("apis.kcp.io/apibindings|/bind-kubernetes"),
    "binding goes to the mailbox",
  );
  assertEquals(listedObjects(spec).map((o) => `${o.resource}|${o.namespace}/${o.name}`), [
    "configmaps|ns1/a",
    "configmaps|ns1/b",
    "deployments|ns1/d",
    "namespaces|/ns1",
  ]);
});
