import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import {
  apiResourceSchemaName,
  apiResourceSchemaToResourceDefs,
  resourceDefToApiResourceSchema,
} from "../../../../lib/kcplite/api/api_resource_schema.ts";
import { crdValidationErrors } from "../../../../lib/kcplite/api/crd_validation.ts";
import type { CustomResourceDefinition } from "../../../../lib/kcplite/api/crd_conversion.ts";

const defs = kubeModeBuiltins();
const find = (g: string, r: string) => defs.find((d) => d.group === g && d.resource === r)!;

Deno.test("root:compute's schemas are named <prefix>.<plural>.<group|core>", () => {
  assertEquals(
    resourceDefToApiResourceSchema(find("apps", "deployments"), "v124").metadata?.name,
    "v124.deployments.apps",
  );
  assertEquals(
    resourceDefToApiResourceSchema(find("", "pods"), "v124").metadata?.name,
    "v124.pods.core",
  );
  assertEquals(
    resourceDefToApiResourceSchema(find("", "services"), "v124").metadata?.name,
    "v124.services.core",
  );
  const ing = resourceDefToApiResourceSchema(find("networking.k8s.io", "ingresses"), "v124");
  assertEquals(ing.metadata?.name, "v124.ingresses.networking.k8s.io");
  assertTrue(ing.metadata?.annotations?.["api-approved.kubernetes.io"]);
  assertEquals(apiResourceSchemaName("v1", "widgets", "example.com"), "v1.widgets.example.com");
});

Deno.test("a schema from a built-in def is CRD-shaped and round-trips", () => {
  const deploy = find("apps", "deployments");
  const schema = resourceDefToApiResourceSchema(deploy, "v124");
  assertEquals(schema.apiVersion, "apis.kcp.io/v1alpha1");
  assertEquals(schema.kind, "APIResourceSchema");
  assertEquals(schema.spec.group, "apps");
  assertEquals(schema.spec.scope, "Namespaced");
  assertEquals(schema.spec.names, {
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    listKind: "DeploymentList",
    shortNames: ["deploy"],
    categories: ["all"],
  });
  const v = schema.spec.versions[0];
  assertEquals([v.name, v.served, v.storage], ["v1", true, true]);
  assertEquals(v.subresources?.status, {});
  assertEquals(v.subresources?.scale?.specReplicasPath, ".spec.replicas");
  assertEquals(v.schema["x-kubernetes-group-version-kind"], undefined);
  // the same spec as a CRD passes CRD validation
  const asCrd = {
    metadata: { name: "deployments.apps" },
    spec: {
      ...schema.spec,
      versions: schema.spec.versions.map((x) => ({ ...x, schema: { openAPIV3Schema: x.schema } })),
    },
  } as unknown as CustomResourceDefinition;
  assertEquals(crdValidationErrors(asCrd).filter((c) => c.field !== "spec.group"), []);

  const [bound] = apiResourceSchemaToResourceDefs(schema, "abc123");
  assertEquals(bound.source, "binding");
  assertEquals(bound.identity, "abc123");
  assertEquals(bound.storageResource, "apps/deployments:abc123");
  assertEquals(
    [bound.group, bound.version, bound.resource, bound.kind, bound.namespaced],
    ["apps", "v1", "deployments", "Deployment", true],
  );
  assertEquals(bound.subresources, { status: true, scale: true });
  assertEquals(bound.shortNames, ["deploy"]);
});

Deno.test("core-group schemas bind into the core group", () => {
  const pods = resourceDefToApiResourceSchema(find("", "pods"), "v124");
  assertEquals(pods.spec.group, "");
  const [def] = apiResourceSchemaToResourceDefs(pods, "id1");
  assertEquals(def.group, "");
  assertEquals(def.storageResource, "/pods:id1");
  // tolerate a "core" group spelled out
  const [def2] = apiResourceSchemaToResourceDefs(
    { ...pods, spec: { ...pods.spec, group: "core" } },
    "",
  );
  assertEquals(def2.group, "");
  assertEquals(def2.storageResource, "/pods");
});
