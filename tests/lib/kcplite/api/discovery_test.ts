import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kcpModeBuiltins, kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  legacyApiVersions,
  storageVersionHash,
} from "../../../../lib/kcplite/api/discovery.ts";
import { aggregatedDiscovery } from "../../../../lib/kcplite/api/aggregated_discovery.ts";
import { negotiateDiscovery, negotiateObjectForm } from "../../../../lib/kcplite/api/media_type.ts";
import { discoveryResponse } from "../../../../lib/kcplite/api/discovery_response.ts";

const kube = new StaticRegistry(kubeModeBuiltins());
/** What kubectl 1.32 sends for /api and /apis (toolchain.md §3). */
const KUBECTL_DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

Deno.test("/api lists v1 with the server address", () => {
  assertEquals(legacyApiVersions("127.0.0.1:6443"), {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
  });
});

Deno.test("APIResourceList includes status, scale and other subresources", () => {
  const apps = apiResourceList(kube, "apps", "v1")!;
  assertEquals(apps.groupVersion, "apps/v1");
  const names = apps.resources.map((r) => r.name);
  assertTrue(names.includes("deployments"));
  assertTrue(names.includes("deployments/status"));
  assertTrue(names.includes("deployments/scale"));
  const deploy = apps.resources.find((r) => r.name === "deployments")!;
  assertEquals(deploy.shortNames, ["deploy"]);
  assertEquals(deploy.categories, ["all"]);
  assertEquals(deploy.namespaced, true);
  assertEquals(deploy.storageVersionHash, storageVersionHash("apps", "v1", "Deployment"));
  const scale = apps.resources.find((r) => r.name === "deployments/scale")!;
  assertEquals(scale, {
    name: "deployments/scale",
    singularName: "",
    namespaced: true,
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  });
  const core = apiResourceList(kube, "", "v1")!;
  assertEquals(core.groupVersion, "v1");
  const coreNames = core.resources.map((r) => r.name);
  for (const n of ["namespaces/status", "namespaces/finalize", "serviceaccounts/token"]) {
    assertTrue(coreNames.includes(n), n);
  }
  assertEquals(apiResourceList(kube, "apps", "v9"), undefined);
  // storage version hashes are 8 bytes base64 (12 chars)
  assertEquals(deploy.storageVersionHash!.length, 12);
});

Deno.test("APIGroupList and APIGroup list named groups with the preferred version", () => {
  const list = apiGroupList(kube);
  assertEquals(list.kind, "APIGroupList");
  const apps = list.groups.find((g) => g.name === "apps")!;
  assertEquals(apps.versions, [{ groupVersion: "apps/v1", version: "v1" }]);
  assertEquals(apps.preferredVersion, { groupVersion: "apps/v1", version: "v1" });
  assertTrue(!list.groups.some((g) => g.name === ""));
  assertEquals(apiGroup(kube, "autoscaling")?.preferredVersion.version, "v2");
  assertEquals(apiGroup(kube, "nope.example.com"), undefined);
  const kcp = new StaticRegistry(kcpModeBuiltins());
  const kcpGroups = apiGroupList(kcp).groups.map((g) => g.name);
  assertTrue(kcpGroups.includes("tenancy.kcp.io"));
  assertTrue(!kcpGroups.includes("apps"));
});

Deno.test("golden: aggregated discovery has the shape kubectl parses", () => {
  const apis = aggregatedDiscovery(kube, "apis");
  assertEquals(apis.kind, "APIGroupDiscoveryList");
  assertEquals(apis.apiVersion, "apidiscovery.k8s.io/v2");
  const apps = apis.items.find((i) => i.metadata.name === "apps")!;
  assertEquals(apps.versions.length, 1);
  assertEquals(apps.versions[0].version, "v1");
  assertEquals(apps.versions[0].freshness, "Current");
  const deploy = apps.versions[0].resources.find((r) => r.resource === "deployments")!;
  assertEquals(deploy, {
    resource: "deployments",
    responseKind: { group: "apps", version: "v1", kind: "Deployment" },
    scope: "Namespaced",
    singularResource: "deployment",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: [
      {
        subresource: "scale",
        responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
        verbs: ["get", "patch", "update"],
      },
      {
        subresource: "status",
        responseKind: { group: "apps", version: "v1", kind: "Deployment" },
        verbs: ["get", "patch", "update"],
      },
    ],
  });
  const api = aggregatedDiscovery(kube, "api", "v2beta1");
  assertEquals(api.apiVersion, "apidiscovery.k8s.io/v2beta1");
  assertEquals(api.items.length, 1);
  assertEquals(api.items[0].metadata, { creationTimestamp: null });
  const ns = api.items[0].versions[0].resources.find((r) => r.resource === "namespaces")!;
  assertEquals(ns.scope, "Cluster");
  assertEquals(ns.shortNames, ["ns"]);
  // JSON round trip keeps it valid JSON (no undefined holes)
  assertEquals(JSON.parse(JSON.stringify(apis)).items.length, apis.items.length);
});

Deno.test("negotiation picks aggregated v2 for kubectl, legacy for plain JSON", () => {
  assertEquals(negotiateDiscovery(KUBECTL_DISCOVERY_ACCEPT), {
    form: "aggregated",
    version: "v2",
    contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  });
  assertEquals(
    negotiateDiscovery(
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
    ),
    {
      form: "aggregated",
      version: "v2beta1",
      contentType: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    },
  );
  assertEquals(negotiateDiscovery("application/json").form, "legacy");
  assertEquals(negotiateDiscovery(undefined).form, "legacy");
  assertEquals(negotiateDiscovery("*/*").form, "legacy");
  assertEquals(
    negotiateDiscovery(
      "application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    ).form,
    "legacy",
  );
  const r = discoveryResponse(kube, "api", KUBECTL_DISCOVERY_ACCEPT);
  assertEquals(
    r.contentType,
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  );
  const legacy = discoveryResponse(kube, "apis", "application/json");
  assertEquals((legacy.body as { kind: string }).kind, "APIGroupList");
});

Deno.test("object form negotiation recognises kubectl get's Table request", () => {
  assertEquals(
    negotiateObjectForm(
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
    ),
    "Table",
  );
  assertEquals(
    negotiateObjectForm("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
    "PartialObjectMetadataList",
  );
  assertEquals(negotiateObjectForm("application/json"), "Object");
  assertEquals(negotiateObjectForm(null), "Object");
  assertEquals(negotiateObjectForm("application/json;as=Table;v=v2;g=meta.k8s.io"), "Object");
});
