/**
 * The `scale` subresource of kcp-lite: the Scale built from a parent (no server), then real
 * kubectl 1.32 against kube mode (Deployments and a CRD with `subresources.scale`: scale,
 * `--current-replicas` preconditions, `get --subresource=scale`, patches of the Scale, dry
 * run, the parent's MODIFIED watch event, a stale resourceVersion) and kcp mode (a
 * Deployment bound from `root:compute` in a workspace).
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
import { scaleOf, selectorString } from "../../../../lib/kcplite/server/scale_subresource.ts";
import { createEstablishedCrd, kubectlSession } from "../kubectl_session.ts";
import { request } from "./server_test_client.ts";
import { webDeployment } from "../web_deployment.ts";
import { bindExport, createReadyWorkspace } from "../kcp/kubectl_kcp_steps.ts";

const DEPLOYMENT = webDeployment({ replicas: 2 });

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pools.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: pools, singular: pool, kind: Pool, listKind: PoolList}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.ready, labelSelectorPath: .status.selector}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}, flavour: {type: string}}}
          status: {type: object, properties: {ready: {type: integer}, selector: {type: string}}}
`;

function def(group: string, resource: string): ResourceDef {
  const found = kubeModeBuiltins().find((d) => d.group === group && d.resource === resource);
  if (!found) throw new Error(`no built-in ${group}/${resource}`);
  return found;
}

Deno.test("selectorString renders label selectors like Kubernetes", () => {
  assertEquals(selectorString({ matchLabels: { b: "2", a: "1" } }), "a=1,b=2");
  assertEquals(
    selectorString({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["b", "a"] },
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "gone", operator: "DoesNotExist" },
        { key: "canary", operator: "Exists" },
      ],
    }),
    "app=web,canary,env notin (dev),!gone,tier in (a,b)",
  );
  // ReplicationControllers have a plain map
  assertEquals(selectorString({ app: "rc" }), "app=rc");
  assertEquals(selectorString(undefined), "");
});

Deno.test("scaleOf builds an autoscaling/v1 Scale from the parent", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "u-1",
      resourceVersion: "7",
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: { app: "web" },
    },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } } },
    status: { replicas: 2 },
  };
  assertEquals(scaleOf(def("apps", "deployments"), deployment), {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "u-1",
      resourceVersion: "7",
      creationTimestamp: "2026-01-01T00:00:00Z",
    },
    spec: { replicas: 3 },
    status: { replicas: 2, selector: "app=web" },
  });
  // built-in replicas default to 1, status replicas to 0
  const bare = { metadata: { name: "r" }, spec: {} };
  const rs = scaleOf(def("apps", "replicasets"), bare);
  assertEquals([rs.spec, rs.status], [{ replicas: 1 }, { replicas: 0 }]);
  // a CRD's paths
  const crdDef: ResourceDef = {
    ...def("apps", "deployments"),
    group: "example.com",
    kind: "Pool",
    resource: "pools",
    source: "crd",
    scale: {
      specReplicasPath: ".spec.size",
      statusReplicasPath: ".status.ready",
      labelSelectorPath: ".status.selector",
    },
  };
  const pool = {
    metadata: { name: "p" },
    spec: { size: 4 },
    status: { ready: 1, selector: "x=y" },
  };
  const scale = scaleOf(crdDef, pool);
  assertEquals([scale.spec, scale.status], [{ replicas: 4 }, { replicas: 1, selector: "x=y" }]);
});

/** One Deployment's field through `-o jsonpath`. */
function field(k: ReturnType<typeof kubectlSession>, server: string[], what: string) {
  return (path: string) =>
    k.ok([...server, "get", what, "-n", "default", "-o", `jsonpath={${path}}`]);
}

Deno.test("kubectl scale against kcp-lite kube mode (Deployment and CRD)", async (t) => {
  const cp: ControlPlane = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "kubectl-scale-" });
  const k = kubectlSession(cp, home);
  const web = field(k, [], "deployment/web");
  try {
    await k.ok(["create", "-f", "-"], DEPLOYMENT);

    await t.step("scale, preconditions, get --subresource=scale", async () => {
      const rvBefore = await web(".metadata.resourceVersion");
      assertStringIncludes(
        await k.ok(["scale", "deploy/web", "-n", "default", "--replicas=3"]),
        "deployment.apps/web scaled",
      );
      assertEquals(await web(".spec.replicas"), "3");
      assertEquals(await web(".metadata.generation"), "2");
      assertTrue(Number(await web(".metadata.resourceVersion")) > Number(rvBefore));
      const stale = await k.run([
        "scale",
        "deploy/web",
        "-n",
        "default",
        "--current-replicas=2",
        "--replicas=4",
      ]);
      assertTrue(stale.code !== 0, "the --current-replicas precondition fails");
      assertStringIncludes(stale.stderr, "Expected replicas to be 2, was 3");
      await k.ok(["scale", "deploy/web", "-n", "default", "--current-replicas=3", "--replicas=4"]);
      assertEquals(await web(".spec.replicas"), "4");
      const scale = JSON.parse(
        await k.ok(["get", "--subresource=scale", "deploy/web", "-n", "default", "-o", "json"]),
      );
      assertEquals([scale.apiVersion, scale.kind], ["autoscaling/v1", "Scale"]);
      assertEquals(scale.metadata.name, "web");
      assertEquals(scale.metadata.resourceVersion, await web(".metadata.resourceVersion"));
      assertEquals(scale.spec, { replicas: 4 });
      assertEquals(scale.status.selector, "app=web");
      // the watch sees the parent MODIFIED
      const events = await request(
        cp,
        "GET",
        `/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${rvBefore}` +
          `&timeoutSeconds=1&fieldSelector=metadata.name%3Dweb`,
      );
      const seen = events.text.trim().split("\n").map((l) => JSON.parse(l));
      assertEquals(seen.map((e) => [e.type, e.object.spec.replicas]), [
        ["MODIFIED", 3],
        ["MODIFIED", 4],
      ]);
    });

    await t.step("patch the Scale (merge, JSON, strategic) and dry run", async () => {
      const patch = (type: string, p: string) =>
        k.ok([
          "patch",
          "deploy",
          "web",
          "-n",
          "default",
          "--subresource=scale",
          `--type=${type}`,
          "-p",
          p,
        ]);
      assertStringIncludes(await patch("merge", '{"spec":{"replicas":5}}'), "patched");
      assertEquals(await web(".spec.replicas"), "5");
      await patch("json", '[{"op":"replace","path":"/spec/replicas","value":6}]');
      assertEquals(await web(".spec.replicas"), "6");
      await patch("strategic", '{"spec":{"replicas":7}}');
      assertEquals(await web(".spec.replicas"), "7");
      await k.ok(["scale", "deploy/web", "-n", "default", "--replicas=9", "--dry-run=server"]);
      assertEquals(await web(".spec.replicas"), "7");
      // only replicas changed: the template is intact
      assertEquals(await web(".spec.template.spec.containers[0].image"), "nginx:1");
      const negative = await k.run([
        "patch",
        "deploy",
        "web",
        "-n",
        "default",
        "--subresource=scale",
        "--type=merge",
        "-p",
        '{"spec":{"replicas":-1}}',
      ]);
      assertTrue(negative.code !== 0);
      assertStringIncludes(negative.stderr, "must be greater than or equal to 0");
    });

    await t.step("PUT with a stale resourceVersion is a 409", async () => {
      const path = "/apis/apps/v1/namespaces/default/deployments/web/scale";
      const current = await request(cp, "GET", path);
      const scale = current.body as { metadata: { resourceVersion: string }; spec: unknown };
      const stale = { ...scale, metadata: { ...scale.metadata, resourceVersion: "1" } };
      const put = await request(cp, "PUT", path, {
        body: JSON.stringify({ ...stale, spec: { replicas: 1 } }),
        contentType: "application/json",
      });
      assertEquals([put.status, put.body.reason], [409, "Conflict"]);
      const ok = await request(cp, "PUT", path, {
        body: JSON.stringify({ ...scale, spec: { replicas: 1 } }),
        contentType: "application/json",
      });
      assertEquals(ok.status, 200);
      assertEquals((ok.body.spec as { replicas: number }).replicas, 1);
      const cm = await request(cp, "GET", "/api/v1/namespaces/default/configmaps/none/scale");
      assertEquals(cm.status, 404);
    });

    await t.step("a CRD with subresources.scale", async () => {
      await createEstablishedCrd(k, CRD, "pools.example.com");
      await k.ok(
        ["create", "-f", "-"],
        "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p1, namespace: default}\nspec: {size: 1, flavour: big}\n",
      );
      await k.ok([
        "patch",
        "pool",
        "p1",
        "-n",
        "default",
        "--subresource=status",
        "--type=merge",
        "-p",
        '{"status":{"ready":1,"selector":"pool=p1"}}',
      ]);
      assertStringIncludes(
        await k.ok(["scale", "pool/p1", "-n", "default", "--replicas=3"]),
        "pool.example.com/p1 scaled",
      );
      const pool = field(k, [], "pool/p1");
      assertEquals([await pool(".spec.size"), await pool(".spec.flavour")], ["3", "big"]);
      const scale = JSON.parse(
        await k.ok(["get", "--subresource=scale", "pool/p1", "-n", "default", "-o", "json"]),
      );
      assertEquals([scale.spec, scale.status], [{ replicas: 3 }, {
        replicas: 1,
        selector: "pool=p1",
      }]);
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("kubectl scale of a bound Deployment in a kcp workspace", async () => {
  const cp = await startControlPlane();
  const home = await Deno.makeTempDir({ prefix: "kubectl-scale-kcp-" });
  const k = kubectlSession(cp, home);
  const inWs = ["--server", `${cp.url}/clusters/root:scaled`];
  try {
    await createReadyWorkspace(k, "scaled");
    await bindExport(k, inWs, "root:compute", "kubernetes");
    await k.until([...inWs, "get", "deployments", "-n", "default", "-o", "name"], "");
    await k.ok([...inWs, "create", "-f", "-"], DEPLOYMENT);
    assertStringIncludes(
      await k.ok([...inWs, "scale", "deploy/web", "-n", "default", "--replicas=3"]),
      "deployment.apps/web scaled",
    );
    const web = field(k, inWs, "deployment/web");
    assertEquals(await web(".spec.replicas"), "3");
    const scale = JSON.parse(
      await k.ok([
        ...inWs,
        "get",
        "--subresource=scale",
        "deploy/web",
        "-n",
        "default",
        "-o",
        "json",
      ]),
    );
    assertEquals([scale.kind, scale.spec.replicas, scale.status.selector], ["Scale", 3, "app=web"]);
    const stale = await k.run([
      ...inWs,
      "scale",
      "deploy/web",
      "-n",
      "default",
      "--current-replicas=1",
      "--replicas=4",
    ]);
    assertTrue(stale.code !== 0);
    assertEquals(await web(".spec.replicas"), "3");
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
