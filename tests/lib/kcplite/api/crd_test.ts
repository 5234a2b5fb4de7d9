import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  crdToResourceDefs,
  type CustomResourceDefinition,
  establishCrd,
  isCrdEstablished,
} from "../../../../lib/kcplite/api/crd_conversion.ts";
import { crdValidationErrors } from "../../../../lib/kcplite/api/crd_validation.ts";
import { widgetCrd } from "./crd_fixture.ts";

Deno.test("a CRD yields one def per served version", () => {
  const defs = crdToResourceDefs(widgetCrd());
  assertEquals(defs.map((d) => d.version), ["v1", "v1beta1"]);
  const v1 = defs[0];
  assertEquals(v1.group, "example.com");
  assertEquals(v1.resource, "widgets");
  assertEquals(v1.kind, "Widget");
  assertEquals(v1.listKind, "WidgetList");
  assertEquals(v1.singularName, "widget");
  assertEquals(v1.namespaced, true);
  assertEquals(v1.shortNames, ["wd"]);
  assertEquals(v1.categories, ["all"]);
  assertEquals(v1.subresources, { status: true, scale: true });
  assertEquals(v1.scale?.specReplicasPath, ".spec.size");
  assertEquals(v1.printerColumns?.[0].name, "Size");
  assertEquals(v1.storageResource, "example.com/widgets");
  assertEquals(v1.source, "crd");
  assertEquals(v1.crdName, "widgets.example.com");
  assertEquals((v1.schema?.properties as Record<string, unknown>).spec !== undefined, true);
  assertEquals(defs[1].subresources, { status: false, scale: false });
  assertEquals(defs[1].printerColumns, undefined);
});

Deno.test("establishCrd accepts names, establishes, records the storage version", () => {
  const now = new Date("2026-01-02T03:04:05.678Z");
  const crd = widgetCrd();
  const out = establishCrd(crd, { now });
  assertEquals(crd.status, undefined, "input untouched");
  assertTrue(isCrdEstablished(out));
  assertEquals(out.status?.storedVersions, ["v1"]);
  assertEquals(out.status?.acceptedNames?.listKind, "WidgetList");
  assertEquals(out.status?.acceptedNames?.singular, "widget");
  assertEquals(out.spec.names.singular, "widget");
  const types = out.status?.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime]);
  assertEquals(types, [
    ["NamesAccepted", "True", "2026-01-02T03:04:05Z"],
    ["Established", "True", "2026-01-02T03:04:05Z"],
  ]);
  // an update keeps transition times and stored versions grow
  const updated = structuredClone(out);
  updated.spec.versions[0].storage = false;
  updated.spec.versions[1].storage = true;
  const again = establishCrd(updated, { now: new Date("2027-01-01T00:00:00Z") });
  assertEquals(again.status?.storedVersions, ["v1", "v1beta1"]);
  assertEquals(again.status?.conditions?.[0].lastTransitionTime, "2026-01-02T03:04:05Z");
  // a name conflict keeps it unestablished
  const conflicted = establishCrd(widgetCrd(), { now, nameConflict: "plural conflicts" });
  assertEquals(isCrdEstablished(conflicted), false);
  assertEquals(conflicted.status?.conditions?.[0].reason, "NameConflict");
});

Deno.test("crdValidationErrors accepts a good CRD", () => {
  assertEquals(crdValidationErrors(widgetCrd()), []);
});

Deno.test("crdValidationErrors reports names, group, scope, versions and schema problems", () => {
  const bad = widgetCrd();
  bad.metadata!.name = "widgets.other.com";
  bad.spec.group = "examplecom";
  bad.spec.names.plural = "Widgets";
  bad.spec.scope = "Global" as "Cluster";
  bad.spec.versions[0].storage = true;
  bad.spec.versions[1].storage = true;
  bad.spec.versions[1].schema = {};
  bad.spec.versions[2].name = "v1";
  const fields = crdValidationErrors(bad).map((c) => c.field);
  for (
    const f of [
      "spec.group",
      "spec.names.plural",
      "metadata.name",
      "spec.scope",
      "spec.versions[2].name",
      "spec.versions[1].schema.openAPIV3Schema",
      "spec.versions",
    ]
  ) assertTrue(fields.includes(f), `${f} in ${fields.join(",")}`);
  const groupCause = crdValidationErrors({
    ...widgetCrd(),
    spec: { ...widgetCrd().spec, group: "examplecom" },
  })
    .find((c) => c.field === "spec.group")!;
  assertEquals(
    groupCause.message,
    'Invalid value: "examplecom": should be a domain with at least one dot',
  );
  const noSchemaType = widgetCrd();
  noSchemaType.spec.versions[0].schema = { openAPIV3Schema: { properties: {} } };
  assertEquals(crdValidationErrors(noSchemaType).map((c) => c.field), [
    "spec.versions[0].schema.openAPIV3Schema.type",
  ]);
  assertEquals(
    crdValidationErrors({ metadata: { name: "x" } } as unknown as CustomResourceDefinition)[0]
      .field,
    "spec",
  );
});
