import { assertEquals, assertMatch, assertTrue } from "../../../support/assert.ts";
import { kcpModeBuiltins, kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import {
  openApiV3Document,
  openApiV3Index,
  parseGroupVersionPath,
} from "../../../../lib/kcplite/api/openapi_v3.ts";

type Json = Record<string, unknown>;
const kube = new StaticRegistry(kubeModeBuiltins());

/**
 * What kubectl's supportsQueryParamV3 does: find a PATCH operation whose
 * x-kubernetes-group-version-kind is the GVK, then require the query parameter on it.
 */
function supportsQueryParam(doc: Json, gvk: Json, param: string): boolean {
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    const patch = item.patch as Json | undefined;
    if (!patch) continue;
    const ext = patch["x-kubernetes-group-version-kind"] as Json;
    if (ext.group !== gvk.group || ext.version !== gvk.version || ext.kind !== gvk.kind) continue;
    return (patch.parameters as Json[]).some((p) => p.name === param && p.in === "query");
  }
  return false;
}

/** What kubectl explain does: a component schema tagged with the GVK. */
function schemaFor(doc: Json, gvk: Json): Json | undefined {
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  return Object.values(schemas).find((s) =>
    ((s["x-kubernetes-group-version-kind"] ?? []) as Json[]).some((g) =>
      g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind
    )
  );
}

Deno.test("golden: the index lists every group version with a hashed URL", () => {
  const index = openApiV3Index(kube);
  const entry = index.paths["api/v1"];
  assertMatch(entry.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  assertTrue(index.paths["apis/apps/v1"]);
  assertTrue(index.paths["apis/autoscaling/v2"]);
  // stable: same registry, same hash
  assertEquals(openApiV3Index(new StaticRegistry(kubeModeBuiltins())), index);
  const kcp = openApiV3Index(new StaticRegistry(kcpModeBuiltins()));
  assertTrue(kcp.paths["apis/tenancy.kcp.io/v1alpha1"]);
  assertEquals(kcp.paths["apis/apps/v1"], undefined);
});

Deno.test("golden: documents carry fieldValidation on PATCH for each kind (kubectl create/apply)", () => {
  for (
    const [path, group, version, kind] of [
      ["api/v1", "", "v1", "ConfigMap"],
      ["api/v1", "", "v1", "Namespace"],
      ["apis/apps/v1", "apps", "v1", "Deployment"],
      ["apis/rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io", "v1", "ClusterRole"],
    ]
  ) {
    const doc = openApiV3Document(kube, path)!;
    assertEquals(doc.openapi, "3.0.0");
    const gvk = { group, version, kind };
    assertTrue(supportsQueryParam(doc, gvk, "fieldValidation"), `${kind} fieldValidation`);
    assertTrue(supportsQueryParam(doc, gvk, "fieldManager"), `${kind} fieldManager`);
    assertTrue(supportsQueryParam(doc, gvk, "dryRun"), `${kind} dryRun`);
    const schema = schemaFor(doc, gvk)!;
    assertTrue(schema, `${kind} schema`);
    assertTrue((schema.properties as Json).metadata);
  }
  const ws = openApiV3Document(
    new StaticRegistry(kcpModeBuiltins()),
    "apis/tenancy.kcp.io/v1alpha1",
  )!;
  const gvk = { group: "tenancy.kcp.io", version: "v1alpha1", kind: "Workspace" };
  assertTrue(supportsQueryParam(ws, gvk, "fieldValidation"));
  const spec = ((schemaFor(ws, gvk)!.properties as Json).spec as Json).properties as Json;
  assertTrue(spec.type && spec.URL && spec.cluster);
});

Deno.test("documents: paths, operations and subresources of a namespaced kind", () => {
  const doc = openApiV3Document(kube, "apis/apps/v1")!;
  const paths = doc.paths as Record<string, Json>;
  const coll = paths["/apis/apps/v1/namespaces/{namespace}/deployments"];
  assertTrue(coll.get && coll.post && coll.delete);
  assertEquals((coll.post as Json)["x-kubernetes-action"], "post");
  const post = coll.post as Json;
  assertTrue((post.parameters as Json[]).some((p) => p.name === "fieldValidation"));
  const item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
  assertTrue(item.get && item.put && item.patch && item.delete);
  const patchContent = Object.keys(((item.patch as Json).requestBody as Json).content as Json);
  assertTrue(patchContent.includes("application/merge-patch+json"));
  assertTrue(!patchContent.includes("application/strategic-merge-patch+json"));
  assertTrue(paths["/apis/apps/v1/deployments"].get);
  assertTrue(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"].patch);
  const scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  assertEquals((scale.get as Json)["x-kubernetes-group-version-kind"], {
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
  });
  const core = openApiV3Document(kube, "api/v1")!;
  const corePaths = core.paths as Record<string, Json>;
  assertTrue(corePaths["/api/v1/namespaces/{name}"].get);
  // create-only kinds have no item path
  const authz = openApiV3Document(kube, "apis/authorization.k8s.io/v1")!;
  const azPaths = Object.keys(authz.paths as Json);
  assertTrue(azPaths.includes("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"));
  assertTrue(!azPaths.includes("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}"));
  assertEquals(openApiV3Document(kube, "apis/apps/v9"), undefined);
  assertEquals(openApiV3Document(kube, "nonsense"), undefined);
});

Deno.test("group-version paths parse", () => {
  assertEquals(parseGroupVersionPath("api/v1"), { group: "", version: "v1" });
  assertEquals(parseGroupVersionPath("/apis/apps/v1"), { group: "apps", version: "v1" });
  assertEquals(parseGroupVersionPath("apis/apps"), undefined);
});
