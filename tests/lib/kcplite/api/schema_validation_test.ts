import { assertEquals } from "../../../support/assert.ts";
import {
  unknownFieldCauses,
  validateAgainstSchema,
} from "../../../../lib/kcplite/api/schema_validation.ts";
import { pruneUnknownFields } from "../../../../lib/kcplite/api/schema_pruning.ts";
import { applySchemaDefaults } from "../../../../lib/kcplite/api/schema_defaults.ts";
import { crdToResourceDefs } from "../../../../lib/kcplite/api/crd_conversion.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import type { ResourceDef } from "../../../../lib/kcplite/api/resource_def.ts";
import { widgetCrd } from "./crd_fixture.ts";

function crdDef(openAPIV3Schema: Record<string, unknown>): ResourceDef {
  const crd = widgetCrd();
  crd.spec.versions = [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema } }];
  return crdToResourceDefs(crd)[0];
}

const def = crdDef({
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "integer", minimum: 1, maximum: 10 },
        color: { type: "string", enum: ["red", "blue"] },
        name: { type: "string", pattern: "^[a-z]+$", maxLength: 5 },
        port: { "x-kubernetes-int-or-string": true },
        ratio: { type: "number" },
        tags: { type: "array", items: { type: "string" }, maxItems: 2 },
        labels: { type: "object", additionalProperties: { type: "string" } },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        ports: {
          type: "array",
          items: { type: "object", properties: { n: { type: "integer" } } },
        },
      },
    },
  },
});

const fields = (causes: { field?: string }[]) => causes.map((c) => c.field);

Deno.test("a valid object has no causes", () => {
  const obj = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", labels: { a: "b" }, creationTimestamp: null },
    spec: {
      size: 3,
      color: "red",
      name: "abc",
      port: "http",
      ratio: 0.5,
      tags: ["x"],
      labels: { k: "v" },
      extra: { anything: [1, { deep: true }] },
      ports: [{ n: 1 }],
    },
  };
  assertEquals(validateAgainstSchema(def, obj), []);
  assertEquals(unknownFieldCauses(def, obj), []);
  assertEquals(validateAgainstSchema(def, { spec: { size: 1, port: 8080 } }), []);
});

Deno.test("types, required, enum and bounds are reported with field paths", () => {
  const causes = validateAgainstSchema(def, {
    spec: {
      color: "green",
      name: "ABCDEFG",
      port: true,
      ratio: "x",
      tags: ["a", 1, "c"],
      labels: { k: 2 },
      ports: [{ n: "one" }],
    },
    metadata: { labels: { a: 1 } },
  });
  assertEquals(fields(causes).sort(), [
    "metadata.labels.a",
    "spec.color",
    "spec.labels.k",
    "spec.name",
    "spec.name",
    "spec.port",
    "spec.ports[0].n",
    "spec.ratio",
    "spec.size",
    "spec.tags",
    "spec.tags[1]",
  ]);
  const typeCause = validateAgainstSchema(def, { spec: { size: "3" } })[0];
  assertEquals(typeCause.field, "spec.size");
  assertEquals(
    typeCause.message,
    'Invalid value: "string": spec.size in body must be of type integer: "string"',
  );
  const enumCause = validateAgainstSchema(def, { spec: { size: 1, color: "green" } })[0];
  assertEquals(enumCause.message, 'Unsupported value: "green": supported values: "red", "blue"');
  assertEquals(fields(validateAgainstSchema(def, { spec: { size: 0 } })), ["spec.size"]);
  assertEquals(fields(validateAgainstSchema(def, { spec: { size: 11 } })), ["spec.size"]);
  assertEquals(validateAgainstSchema(def, { spec: { size: 1 } }), []);
});

Deno.test("unknown fields are reported except under preserve-unknown-fields", () => {
  const obj = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", whatever: 1 },
    spec: { size: 1, typo: 2, extra: { free: 1 }, ports: [{ n: 1, m: 2 }] },
    top: true,
  };
  const causes = unknownFieldCauses(def, obj);
  assertEquals(fields(causes), ["spec.typo", "spec.ports[0].m", "top"]);
  assertEquals(causes[0].message, 'unknown field "spec.typo"');
});

Deno.test("pruning drops undeclared fields and nulls, keeps metadata and preserved parts", () => {
  const obj = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", creationTimestamp: null, unknownMeta: 1 },
    spec: { size: 1, typo: 2, color: null, extra: { free: { x: 1 } }, ports: [{ n: 1, m: 2 }] },
    status: { anything: 1 },
  };
  const pruned: unknown = pruneUnknownFields(def, obj);
  assertEquals(pruned, {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", creationTimestamp: null, unknownMeta: 1 },
    spec: { size: 1, extra: { free: { x: 1 } }, ports: [{ n: 1 }] },
  });
  assertEquals(obj.spec.typo, 2, "input untouched");
  // a root preserving unknown fields keeps everything
  const open = crdDef({ type: "object", "x-kubernetes-preserve-unknown-fields": true });
  assertEquals(pruneUnknownFields(open, obj), obj);
});

Deno.test("built-in schemas: strict catches top-level typos, spec bodies stay open", () => {
  const defs = kubeModeBuiltins();
  const cm = defs.find((d) => d.resource === "configmaps")!;
  assertEquals(
    fields(unknownFieldCauses(cm, { apiVersion: "v1", kind: "ConfigMap", datas: {} })),
    ["datas"],
  );
  assertEquals(fields(validateAgainstSchema(cm, { data: { a: 1 } })), ["data.a"]);
  const deploy = defs.find((d) => d.resource === "deployments")!;
  const d = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80 }] }] },
      },
    },
  };
  assertEquals(validateAgainstSchema(deploy, d), []);
  assertEquals(unknownFieldCauses(deploy, d), []);
  assertEquals(pruneUnknownFields(deploy, d), d);
  const noName = structuredClone(d);
  delete (noName.spec.template.spec.containers[0] as { name?: string }).name;
  assertEquals(fields(validateAgainstSchema(deploy, noName)), [
    "spec.template.spec.containers[0].name",
  ]);
});

Deno.test("defaults fill absent fields, recursively, not metadata", () => {
  const d = crdDef({
    type: "object",
    properties: {
      spec: {
        type: "object",
        default: {},
        properties: {
          replicas: { type: "integer", default: 1 },
          mode: { type: "string", default: "fast" },
          opt: { type: "string", nullable: true, default: "x" },
          ports: {
            type: "array",
            items: { type: "object", properties: { proto: { type: "string", default: "TCP" } } },
          },
        },
      },
    },
  });
  assertEquals<unknown>(applySchemaDefaults(d, { metadata: { name: "a" } }), {
    metadata: { name: "a" },
    spec: { replicas: 1, mode: "fast", opt: "x" },
  });
  assertEquals<unknown>(
    applySchemaDefaults(d, {
      spec: { replicas: 3, mode: null, opt: null, ports: [{}, { proto: "UDP" }] },
    }),
    { spec: { replicas: 3, mode: "fast", opt: null, ports: [{ proto: "TCP" }, { proto: "UDP" }] } },
  );
});

Deno.test("embedded resources keep apiVersion, kind and metadata", () => {
  const d = crdDef({
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          template: {
            type: "object",
            "x-kubernetes-embedded-resource": true,
            properties: { data: { type: "object", additionalProperties: { type: "string" } } },
          },
        },
      },
    },
  });
  const obj = {
    spec: {
      template: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x", odd: 1 },
        data: { a: "b" },
        junk: 1,
      },
    },
  };
  assertEquals<unknown>(pruneUnknownFields(d, obj), {
    spec: {
      template: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x", odd: 1 },
        data: { a: "b" },
      },
    },
  });
  assertEquals(fields(unknownFieldCauses(d, obj)), ["spec.template.junk"]);
  assertEquals(fields(validateAgainstSchema(d, { spec: { template: { kind: 1 } } })), [
    "spec.template.kind",
  ]);
});
