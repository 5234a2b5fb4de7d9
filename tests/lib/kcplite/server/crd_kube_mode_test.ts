/**
 * CustomResourceDefinitions on kcp-lite (kube mode) with real kubectl: a CRD is
 * established and served, its objects are validated against the schema (unknown fields
 * refused with kubectl's default strict validation, wrong types 422), pruned, printed with
 * the printer columns, the status subresource splits writes, strategic merge patch is
 * refused like Kubernetes does, an invalid CRD is 422, and deleting the CRD removes its
 * objects.
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";
import { kubectlSession } from "../kubectl_session.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
          status:
            type: object
            properties:
              ready: {type: boolean}
`;

function widget(extra = ""): string {
  return `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec:
  size: 3
${extra}`;
}

Deno.test("CRDs on kcp-lite with kubectl", async (t) => {
  const cp = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "kubectl-crd-" });
  const { run: k, ok } = kubectlSession(cp, home);
  const widgets = "/apis/example.com/v1/namespaces/default/widgets";
  try {
    await t.step("the CRD is established and served", async () => {
      await ok(["apply", "-f", "-"], CRD);
      const cond = await ok([
        "get",
        "crd",
        "widgets.example.com",
        "-o",
        "jsonpath={.status.conditions[?(@.type=='Established')].status}",
      ]);
      assertEquals(cond, "True");
      assertStringIncludes(await ok(["api-resources", "--api-group=example.com"]), "widgets");
    });

    await t.step(
      "schema: unknown fields refused, wrong types 422, valid objects stored",
      async () => {
        const unknown = await k(["create", "-f", "-"], widget("  color: red\n"));
        assertTrue(unknown.code !== 0);
        assertStringIncludes(unknown.stderr, "color");
        const typed = await k(["create", "-f", "-"], widget().replace("size: 3", "size: big"));
        assertTrue(typed.code !== 0);
        assertStringIncludes(typed.stderr, "Invalid");
        await ok(["create", "-f", "-"], widget());
        const table = await ok(["get", "wd"]);
        assertTrue(/^NAME\s+SIZE\nw1\s+3\n/.test(table), table);
      },
    );

    await t.step("status subresource and generation", async () => {
      const main = await request(cp, "PATCH", `${widgets}/w1`, {
        body: '{"spec":{"size":4},"status":{"ready":true}}',
        contentType: "application/merge-patch+json",
      });
      assertEquals(main.status, 200);
      assertEquals(main.body.status, undefined);
      assertEquals((main.body.metadata as { generation: number }).generation, 2);
      const status = await request(cp, "PATCH", `${widgets}/w1/status`, {
        body: '{"spec":{"size":9},"status":{"ready":true}}',
        contentType: "application/merge-patch+json",
      });
      assertEquals(status.status, 200);
      assertEquals(status.body.status, { ready: true });
      assertEquals((status.body.spec as { size: number }).size, 4);
      assertEquals((status.body.metadata as { generation: number }).generation, 2);
      const smp = await request(cp, "PATCH", `${widgets}/w1`, {
        body: '{"spec":{"size":5}}',
        contentType: "application/strategic-merge-patch+json",
      });
      assertEquals(smp.status, 415);
    });

    await t.step("an invalid CRD is 422", async () => {
      const bad = await k(
        ["create", "-f", "-"],
        CRD.replace("group: example.com", "group: nodots"),
      );
      assertTrue(bad.code !== 0);
      assertStringIncludes(bad.stderr, "Invalid");
    });

    await t.step("deleting the CRD removes its objects", async () => {
      await ok(["delete", "crd", "widgets.example.com"]);
      assertEquals((await request(cp, "GET", widgets)).status, 404);
      await ok(["apply", "-f", "-"], CRD);
      const list = await request(cp, "GET", widgets);
      assertEquals(list.status, 200);
      assertEquals((list.body.items as unknown[]).length, 0);
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
