/**
 * Server-side apply in kcp-lite with no server: the field sets of applied
 * configurations, FieldsV1, list types from built-in kinds and CRD schemas, and the
 * ownership merge (changed and removed fields, conflicts, force, shared ownership, keyed
 * lists). `server_side_apply_test.ts` drives the same through real kubectl.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import type { ResourceDef } from "../../../../lib/kcplite/api/resource_def.ts";
import { listTypesOf } from "../../../../lib/kcplite/server/apply_list_types.ts";
import {
  ApplyConflictError,
  fieldSetOf,
  mergeApplied,
} from "../../../../lib/kcplite/server/apply_merge.ts";
import {
  FieldSet,
  fromFieldsV1,
  pathText,
  toFieldsV1,
} from "../../../../lib/kcplite/server/managed_fields.ts";
import type { JsonObject } from "../../../../lib/kube/patch/json_value.ts";

function builtinDef(group: string, resource: string): ResourceDef {
  const found = kubeModeBuiltins().find((d) => d.group === group && d.resource === resource);
  if (!found) throw new Error(`no built-in ${group}/${resource}`);
  return found;
}

const CONFIGMAPS = listTypesOf(builtinDef("", "configmaps"));
const DEPLOYMENTS = listTypesOf(builtinDef("apps", "deployments"));

function cm(data: Record<string, string>): JsonObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "d" }, data };
}

function apply(live: JsonObject | undefined, config: JsonObject, manager: string, force = false) {
  return mergeApplied({
    live,
    config,
    lists: CONFIGMAPS,
    who: { manager, subresource: "" },
    apiVersion: "v1",
    force,
  }).object;
}

function ownedBy(obj: JsonObject, manager: string): string[] {
  const entries = (obj.metadata as { managedFields: { manager: string; fieldsV1: unknown }[] })
    .managedFields;
  const entry = entries.find((e) => e.manager === manager);
  return entry ? fromFieldsV1(entry.fieldsV1).paths().map(pathText).sort() : [];
}

Deno.test("field sets: keyed lists, sets, atomic lists, no server-owned metadata", () => {
  const config = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "d", labels: { app: "web" }, finalizers: ["x"] },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [{ name: "main", image: "nginx", args: ["a", "b"] }],
        },
      },
    },
    status: { replicas: 1 },
  };
  const paths = fieldSetOf(config, DEPLOYMENTS, { withoutStatus: true }).paths().map(pathText);
  assertEquals(paths.sort(), [
    '.metadata.finalizers[="x"]',
    ".metadata.labels.app",
    ".spec.replicas",
    '.spec.template.spec.containers[name="main"]',
    '.spec.template.spec.containers[name="main"].args',
    '.spec.template.spec.containers[name="main"].image',
    '.spec.template.spec.containers[name="main"].name',
  ]);
  const status = fieldSetOf(config, DEPLOYMENTS, { statusOnly: true }).paths().map(pathText);
  assertEquals(status, [".status.replicas"]);
});

Deno.test("FieldsV1 marks owned paths that have owned children with '.'", () => {
  const set = new FieldSet([
    ["f:spec", 'k:{"name":"a"}'],
    ["f:spec", 'k:{"name":"a"}', "f:name"],
    ["f:data", "f:x"],
  ]);
  const tree = toFieldsV1(set);
  assertEquals(tree, {
    "f:spec": { 'k:{"name":"a"}': { ".": {}, "f:name": {} } },
    "f:data": { "f:x": {} },
  });
  assertEquals(fromFieldsV1(tree).paths().map(pathText).sort(), [
    ".data.x",
    '.spec[name="a"]',
    '.spec[name="a"].name',
  ]);
});

Deno.test("CRD schemas declare map and set lists", () => {
  const def: ResourceDef = {
    ...builtinDef("", "configmaps"),
    group: "example.com",
    kind: "Thing",
    source: "crd",
    schema: {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            ports: {
              type: "array",
              "x-kubernetes-list-type": "map",
              "x-kubernetes-list-map-keys": ["port", "protocol"],
              items: { type: "object" },
            },
            tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
            hosts: { type: "array", items: { type: "string" } },
          },
        },
      },
    },
  };
  const lists = listTypesOf(def);
  assertEquals(lists(["spec", "ports"]), { type: "map", keys: ["port", "protocol"] });
  assertEquals(lists(["spec", "tags"]), { type: "set" });
  assertEquals(lists(["spec", "hosts"]), { type: "atomic" });
  const live = {
    apiVersion: "example.com/v1",
    kind: "Thing",
    metadata: { name: "t" },
    spec: { ports: [{ port: 80, protocol: "TCP", name: "http" }], tags: ["a"], hosts: ["h1"] },
  };
  const merged = mergeApplied({
    live,
    config: {
      ...live,
      spec: { ports: [{ port: 80, protocol: "UDP" }], tags: ["b"], hosts: ["h2"] },
    },
    lists,
    who: { manager: "m", subresource: "" },
    apiVersion: "example.com/v1",
    force: false,
  }).object;
  assertEquals(merged.spec, {
    ports: [{ port: 80, protocol: "TCP", name: "http" }, { port: 80, protocol: "UDP" }],
    tags: ["a", "b"],
    hosts: ["h2"],
  });
});

Deno.test("apply merge: changed and removed fields, conflicts, force, shared ownership", () => {
  const created = apply(undefined, cm({ a: "1", b: "2" }), "m1");
  assertEquals(created.data, { a: "1", b: "2" });
  assertEquals(ownedBy(created, "m1"), [".data.a", ".data.b"]);
  const entry = (created.metadata as { managedFields: JsonObject[] }).managedFields[0];
  assertEquals(
    [entry.manager, entry.operation, entry.apiVersion, entry.fieldsType],
    ["m1", "Apply", "v1", "FieldsV1"],
  );
  assertTrue(typeof entry.time === "string");

  // re-apply: a changed, b no longer applied (removed), c new
  const second = apply(
    { ...created, data: { ...created.data as JsonObject, z: "kept" } },
    cm({ a: "9", c: "3" }),
    "m1",
  );
  assertEquals(second.data, { a: "9", c: "3", z: "kept" });
  assertEquals(ownedBy(second, "m1"), [".data.a", ".data.c"]);

  // another manager: same value is shared, different value conflicts
  const shared = apply(second, cm({ c: "3" }), "m2");
  assertEquals(ownedBy(shared, "m2"), [".data.c"]);
  let conflicts: [string, string][] = [];
  try {
    apply(shared, cm({ a: "other" }), "m2");
  } catch (e) {
    if (!(e instanceof ApplyConflictError)) throw e;
    conflicts = e.conflicts.map((c) => [c.owner.manager, pathText(c.path)]);
  }
  assertEquals(conflicts, [["m1", ".data.a"]]);

  // force moves the ownership
  const forced = apply(shared, cm({ a: "other", c: "3" }), "m2", true);
  assertEquals((forced.data as JsonObject).a, "other");
  assertEquals(ownedBy(forced, "m1"), [".data.c"]);
  assertEquals(ownedBy(forced, "m2"), [".data.a", ".data.c"]);

  // m1 stops applying c: m2 still owns it, so it stays
  const kept = apply(forced, cm({}), "m1");
  assertEquals((kept.data as JsonObject).c, "3");
  assertEquals(ownedBy(kept, "m1"), [".data"]);
});

Deno.test("apply merge of keyed lists removes only the items the manager dropped", () => {
  const deployment = (containers: JsonObject[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: { template: { spec: { containers } } },
  });
  const run = (live: JsonObject | undefined, config: JsonObject, manager: string) =>
    mergeApplied({
      live,
      config,
      lists: DEPLOYMENTS,
      who: { manager, subresource: "" },
      apiVersion: "apps/v1",
      force: false,
      statusSubresource: true,
    }).object;
  const one = run(
    undefined,
    deployment([{ name: "a", image: "i1", env: [{ name: "X", value: "1" }] }]),
    "m1",
  );
  const two = run(one, deployment([{ name: "b", image: "i2" }]), "m2");
  const containers = (o: JsonObject) =>
    ((o.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers;
  assertEquals(containers(two).map((c) => c.name), ["a", "b"]);
  // m1 drops the env var of container a
  const three = run(two, deployment([{ name: "a", image: "i1" }]), "m1");
  assertEquals(containers(three), [{ name: "a", image: "i1" }, { name: "b", image: "i2" }]);
  // m1 drops container a altogether
  const four = run(three, deployment([]), "m1");
  assertEquals(containers(four).map((c) => c.name), ["b"]);
});
