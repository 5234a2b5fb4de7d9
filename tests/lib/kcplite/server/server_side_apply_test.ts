/**
 * Server-side apply in kcp-lite: the field sets, FieldsV1 and the ownership merge with no
 * server, then real kubectl 1.32 `apply --server-side` against kube mode (create, changed
 * and removed fields, a second manager's conflict and `--force-conflicts`, dry run,
 * `--subresource=status`, managedFields kept by other writes) and kcp mode (a Deployment
 * bound from `root:compute` in a workspace).
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import {
  type ControlPlane,
  startControlPlane,
  startKubeCluster,
} from "../../../support/control_plane.ts";
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
import { kubectlSession } from "../kubectl_session.ts";
import { request } from "./server_test_client.ts";
import { webDeployment } from "../web_deployment.ts";
import { bindExport, createReadyWorkspace } from "../kcp/kubectl_kcp_steps.ts";

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

const CONFIGMAP = (a: string, b?: string) =>
  `apiVersion: v1
kind: ConfigMap
metadata: {name: ssa, namespace: default}
data:
  a: "${a}"
${b === undefined ? "" : `  b: "${b}"\n`}`;

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
          status: {type: object, properties: {phase: {type: string}}}
`;

Deno.test("kubectl apply --server-side against kcp-lite kube mode", async (t) => {
  const cp: ControlPlane = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "kubectl-ssa-" });
  const k = kubectlSession(cp, home);
  const ssa = (extra: string[], yaml: string) =>
    k.run(["apply", "--server-side", ...extra, "-f", "-"], yaml);
  const cmJson = async () =>
    JSON.parse(
      await k.ok(["get", "cm", "ssa", "-n", "default", "-o", "json", "--show-managed-fields"]),
    );
  try {
    await t.step("dry run of a create writes nothing", async () => {
      const r = await ssa(["--dry-run=server"], CONFIGMAP("1"));
      assertEquals(r.code, 0, r.stderr);
      const absent = await k.run(["get", "cm", "ssa", "-n", "default"]);
      assertTrue(absent.code !== 0, "dry run created nothing");
    });

    await t.step("create, change a field, remove a field", async () => {
      const created = await ssa([], CONFIGMAP("1", "2"));
      assertEquals(created.code, 0, created.stderr);
      assertStringIncludes(created.stdout, "configmap/ssa serverside-applied");
      const obj = await cmJson();
      assertEquals(obj.data, { a: "1", b: "2" });
      assertEquals(obj.metadata.managedFields.length, 1);
      const [entry] = obj.metadata.managedFields;
      assertEquals([entry.manager, entry.operation, entry.apiVersion], ["kubectl", "Apply", "v1"]);
      assertEquals(entry.fieldsV1, { "f:data": { "f:a": {}, "f:b": {} } });
      assertEquals((await ssa([], CONFIGMAP("5"))).code, 0);
      assertEquals((await cmJson()).data, { a: "5" });
    });

    await t.step("a second manager conflicts, --force-conflicts wins", async () => {
      const conflict = await ssa(["--field-manager=other"], CONFIGMAP("6"));
      assertTrue(conflict.code !== 0, "conflict");
      assertStringIncludes(
        conflict.stderr,
        'Apply failed with 1 conflict: conflict with "kubectl": .data.a',
      );
      assertStringIncludes(conflict.stderr, "Please review the fields above");
      assertEquals((await cmJson()).data, { a: "5" });
      const forced = await ssa(["--field-manager=other", "--force-conflicts"], CONFIGMAP("6"));
      assertEquals(forced.code, 0, forced.stderr);
      const obj = await cmJson();
      assertEquals(obj.data, { a: "6" });
      const managers = obj.metadata.managedFields.map((e: { manager: string }) => e.manager);
      assertEquals(managers, ["other"]); // kubectl owned nothing else, so its entry is gone
    });

    await t.step(
      "dry run of an update changes nothing; other writes keep managedFields",
      async () => {
        assertEquals(
          (await ssa(["--field-manager=other", "--dry-run=server"], CONFIGMAP("7"))).code,
          0,
        );
        assertEquals((await cmJson()).data, { a: "6" });
        await k.ok(["label", "cm", "ssa", "-n", "default", "team=blue"]);
        const obj = await cmJson();
        assertEquals(obj.metadata.labels, { team: "blue" });
        assertEquals(obj.metadata.managedFields.length, 1);
        // a plain create records nothing
        await k.ok(["create", "cm", "plain", "-n", "default", "--from-literal=k=v"]);
        const plain = await k.ok([
          "get",
          "cm",
          "plain",
          "-n",
          "default",
          "-o",
          "jsonpath={.metadata.managedFields}",
        ]);
        assertEquals(plain, "");
      },
    );

    await t.step("fieldManager is required; a missing namespace is a 404", async () => {
      const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
      const r = await request(cp, "PATCH", "/api/v1/namespaces/default/configmaps/x", {
        body,
        contentType: "application/apply-patch+yaml",
      });
      assertEquals(r.status, 400);
      assertStringIncludes(String(r.body.message), "fieldManager");
      const missing = await request(
        cp,
        "PATCH",
        "/api/v1/namespaces/nope/configmaps/x?fieldManager=m",
        {
          body,
          contentType: "application/apply-patch+yaml",
        },
      );
      assertEquals(missing.status, 404);
    });

    await t.step("a CRD: spec, then status with --subresource=status", async () => {
      await k.ok(["create", "-f", "-"], WIDGET_CRD);
      await k.until(
        [
          "get",
          "crd",
          "gadgets.example.com",
          "-o",
          'jsonpath={.status.conditions[?(@.type=="Established")].status}',
        ],
        "True",
      );
      const gadget = (spec: string, status = "") =>
        `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: default}\n${spec}${status}`;
      assertEquals((await ssa([], gadget("spec: {size: 1}\n"))).code, 0);
      const status = await ssa(["--subresource=status"], gadget("", "status: {phase: Ready}\n"));
      assertEquals(status.code, 0, status.stderr);
      const obj = JSON.parse(
        await k.ok(["get", "gadget", "g", "-n", "default", "-o", "json", "--show-managed-fields"]),
      );
      assertEquals([obj.spec, obj.status], [{ size: 1 }, { phase: "Ready" }]);
      const entries = obj.metadata.managedFields.map((e: { subresource?: string }) =>
        e.subresource ?? ""
      );
      assertEquals(entries, ["", "status"]);
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});

const BOUND_DEPLOYMENT = (image: string, env?: string) =>
  webDeployment({ container: "web", image, containerFields: env ? { env } : {} });

Deno.test("kubectl apply --server-side of a bound Deployment in a kcp workspace", async () => {
  const cp = await startControlPlane();
  const home = await Deno.makeTempDir({ prefix: "kubectl-ssa-kcp-" });
  const k = kubectlSession(cp, home);
  const inWs = ["--server", `${cp.url}/clusters/root:applied`];
  const ssa = (extra: string[], yaml: string) =>
    k.run([...inWs, "apply", "--server-side", ...extra, "-f", "-"], yaml);
  const webField = (path: string) =>
    k.ok([...inWs, "get", "deployment", "web", "-n", "default", "-o", `jsonpath={${path}}`]);
  try {
    await createReadyWorkspace(k, "applied");
    await bindExport(k, inWs, "root:compute", "kubernetes");
    await k.until([...inWs, "get", "deployments", "-n", "default", "-o", "name"], "");
    const env = "[{name: MODE, value: fast}]";
    const created = await ssa([], BOUND_DEPLOYMENT("nginx:1.25", env));
    assertEquals(created.code, 0, created.stderr);
    assertStringIncludes(created.stdout, "deployment.apps/web serverside-applied");
    assertEquals(await webField(".spec.template.spec.containers[0].env[0].value"), "fast");
    // re-apply: new image, env removed
    assertEquals((await ssa([], BOUND_DEPLOYMENT("nginx:1.27"))).code, 0);
    assertEquals(await webField(".spec.template.spec.containers[0].image"), "nginx:1.27");
    assertEquals(await webField(".spec.template.spec.containers[0].env"), "");
    const conflict = await ssa(["--field-manager=other"], BOUND_DEPLOYMENT("nginx:2"));
    assertTrue(conflict.code !== 0);
    assertStringIncludes(conflict.stderr, '.spec.template.spec.containers[name="web"].image');
    assertEquals(
      (await ssa(["--field-manager=other", "--force-conflicts"], BOUND_DEPLOYMENT("nginx:2")))
        .code,
      0,
    );
    assertEquals(await webField(".spec.template.spec.containers[0].image"), "nginx:2");
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
