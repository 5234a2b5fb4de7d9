import {
  partKey,
  resourcesToWatch,
  selectForPlacement,
} from "../../../../lib/controllers/placement/selection.ts";
import type { EdgePlacement } from "../../../../lib/edge/api_types.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { obj, RES, StaticCatalog } from "./static_catalog.ts";

function ep(spec: EdgePlacement["spec"]): EdgePlacement {
  return { metadata: { name: "p" }, spec };
}

const catalog = new StaticCatalog("wmw1", Object.values(RES), {
  "/namespaces": [obj("commonstuff"), obj("specialstuff", undefined, {}, { special: "yes" })],
  "/configmaps": [
    obj("httpd-htdocs", "commonstuff"),
    obj("kube-root-ca.crt", "commonstuff"),
    obj("httpd-htdocs", "specialstuff"),
    {
      ...obj("gone", "commonstuff"),
      metadata: { name: "gone", namespace: "commonstuff", deletionTimestamp: "x" },
    },
  ],
  "/secrets": [obj("tok", "commonstuff", { type: "kubernetes.io/service-account-token" })],
  "apps/deployments": [
    obj("commond", "commonstuff", {}, { app: "common" }),
    {
      ...obj("keep", "commonstuff"),
      metadata: {
        name: "keep",
        namespace: "commonstuff",
        annotations: { "edge.kubestellar.io/downsync-overwrite": "false" },
      },
    },
  ],
  "stable.example.com/crontabs": [obj("cron", "specialstuff")],
  "apiextensions.k8s.io/customresourcedefinitions": [
    obj("crontabs.stable.example.com", undefined, {
      spec: { group: "stable.example.com", names: { plural: "crontabs" } },
    }),
  ],
  "apis.kcp.io/apibindings": [
    obj("bind-kubernetes", undefined, {
      status: { boundResources: [{ group: "apps", resource: "deployments" }] },
    }),
    obj("bind-espw", undefined, {
      spec: { reference: { export: { name: "edge.kubestellar.io" } } },
      status: { boundResources: [{ group: "edge.kubestellar.io", resource: "edgeplacements" }] },
    }),
  ],
  "edge.kubestellar.io/edgeplacements": [obj("p")],
});

function keys(p: EdgePlacement): string[] {
  return selectForPlacement(p, catalog).parts.map((x) => partKey(x.info, x.namespace, x.name))
    .sort();
}

Deno.test("selection: names, namespaces, system objects and deleting objects", () => {
  assertEquals(
    keys(
      ep({ downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["commonstuff"] }] }),
    ),
    [
      "/configmaps|commonstuff/httpd-htdocs",
    ],
  );
  assertEquals(keys(ep({ downsync: [{ apiGroup: "", resources: ["secrets"] }] })), []);
});

Deno.test("selection: namespace selectors and label selectors", () => {
  assertEquals(
    keys(
      ep({
        downsync: [{
          apiGroup: "",
          resources: ["configmaps"],
          namespaceSelectors: [{ matchLabels: { special: "yes" } }],
        }],
      }),
    ),
    [
      "/configmaps|specialstuff/httpd-htdocs",
    ],
  );
  assertEquals(
    keys(
      ep({
        downsync: [{
          apiGroup: "apps",
          resources: ["deployments"],
          labelSelectors: [{ matchLabels: { app: "common" } }],
        }],
      }),
    ),
    ["apis.kcp.io/apibindings|/bind-kubernetes", "apps/deployments|commonstuff/commond"],
  );
});

Deno.test("selection: implicit definers (CRD, APIBinding) but never the edge binding or edge objects", () => {
  const sel = selectForPlacement(
    ep({ downsync: [{ resources: ["*"], namespaces: ["specialstuff"] }] }),
    catalog,
  );
  const k = sel.parts.map((x) => partKey(x.info, x.namespace, x.name)).sort();
  assertEquals(k, [
    "/configmaps|specialstuff/httpd-htdocs",
    "apiextensions.k8s.io/customresourcedefinitions|/crontabs.stable.example.com",
    "stable.example.com/crontabs|specialstuff/cron",
  ]);
  const crd = sel.parts.find((x) => x.info.resource === "customresourcedefinitions")!;
  assertEquals(crd.testIndex, -1);
  assertEquals(crd.reason, "defines crontabs.stable.example.com");
  assertEquals(keys(ep({ downsync: [{ apiGroup: "edge.kubestellar.io", resources: ["*"] }] })), []);
});

Deno.test("selection: upsync takes precedence; create-only flag; reasons name the test", () => {
  const p = ep({
    downsync: [{ apiGroup: "apps", resources: ["deployments"], namespaces: ["commonstuff"] }],
    upsync: [{
      apiGroup: "apps",
      resources: ["deployments"],
      namespaces: ["*"],
      names: ["commond"],
    }],
  });
  const sel = selectForPlacement(p, catalog);
  const names = sel.parts.filter((x) => x.testIndex >= 0).map((x) => x.name);
  assertEquals(names, ["keep"]);
  assertTrue(sel.parts.find((x) => x.name === "keep")!.createOnly);
  assertEquals(
    sel.parts.find((x) => x.name === "keep")!.reason,
    "downsync[0]: deployments (group apps), namespaces commonstuff",
  );
});

Deno.test("selection: problems for bad selectors, unknown resources and missing namespaces", () => {
  const sel = selectForPlacement(
    ep({
      downsync: [
        {
          apiGroup: "",
          resources: ["configmaps"],
          labelSelectors: [{ matchExpressions: [{ key: "a", operator: "Bogus" as "In" }] }],
        },
        { apiGroup: "", resources: ["widgets"] },
        { apiGroup: "", resources: ["configmaps"], namespaces: ["nowhere", "commonstuff"] },
      ],
    }),
    catalog,
  );
  assertEquals(sel.problems.length, 3);
  assertTrue(sel.problems[0].startsWith("downsync[0] has an invalid selector"));
  assertEquals(
    sel.problems[1],
    'downsync[1] names resource "widgets", which the workspace does not serve',
  );
  assertEquals(
    sel.problems[2],
    'downsync[2] names namespace "nowhere", which does not exist in the workspace',
  );
  assertEquals(sel.parts.map((x) => x.name), ["httpd-htdocs"], "the other tests keep working");
});

Deno.test("resourcesToWatch: covered resources plus namespaces, CRDs, APIBindings; never edge kinds", () => {
  const watched = resourcesToWatch(
    [ep({ downsync: [{ apiGroup: "apps", resources: ["*"] }] })],
    Object.values(RES),
  )
    .map((r) => r.resource).sort();
  assertEquals(watched, ["apibindings", "customresourcedefinitions", "deployments", "namespaces"]);
  const all = resourcesToWatch([ep({ downsync: [{ resources: ["*"] }] })], Object.values(RES)).map((
    r,
  ) => r.resource);
  assertTrue(!all.includes("edgeplacements"));
});
