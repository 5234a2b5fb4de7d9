/**
 * Server-side apply in kcp-lite through real kubectl 1.32 `apply --server-side`: kube
 * mode (create, changed and removed fields, a second manager's conflict and
 * `--force-conflicts`, dry run, `--subresource=status`, managedFields kept by other
 * writes) and kcp mode (a Deployment bound from `root:compute` in a workspace). The merge
 * itself is tested with no server in `apply_merge_test.ts`.
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import {
  type ControlPlane,
  startControlPlane,
  startKubeCluster,
} from "../../../support/control_plane.ts";
import { createEstablishedCrd, kubectlSession } from "../kubectl_session.ts";
import { request } from "./server_test_client.ts";
import { webDeployment } from "../web_deployment.ts";
import { bindExport, createReadyWorkspace } from "../kcp/kubectl_kcp_steps.ts";

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
      await createEstablishedCrd(k, WIDGET_CRD, "gadgets.example.com");
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
