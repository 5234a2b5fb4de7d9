/**
 * helm 3.17's default validation (no `--disable-openapi-validation`) against kube-mode
 * kcp-lite (issue 17 item 5). helm validates through kubectl's code: `/openapi/v3` for kinds
 * the server serves (then the server validates), `/openapi/v2` (protobuf) for the rest. A
 * chart with a CRD under `crds/` and a custom resource of it installs; an unknown kind
 * fails with kubectl's mapping error, not an OpenAPI download error; an ill-typed built-in
 * object fails with kube-apiserver's decode error.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { runHelm } from "../helm_session.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`;

async function writeChart(dir: string, name: string, files: Record<string, string>) {
  const chart = join(dir, name);
  const all = { "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`, ...files };
  for (const [path, text] of Object.entries(all)) {
    await Deno.mkdir(join(chart, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(chart, path), text);
  }
  return chart;
}

Deno.test("helm's default validation works against kube mode", async (t) => {
  const cp = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "helm-validation-" });
  const run = (args: string[]) => runHelm(cp, home, args);
  try {
    await t.step("a CRD in crds/ and a custom resource of it", async () => {
      const chart = await writeChart(home, "gadgets", {
        "crds/gadget.yaml": CRD,
        "templates/gadget.yaml":
          "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 2}\n",
      });
      const r = await run(["install", "gadgets", chart]);
      assertEquals(r.code, 0, r.stderr);
      assertStringIncludes(r.stdout, "STATUS: deployed");
      const up = await run(["upgrade", "gadgets", chart]);
      assertEquals(up.code, 0, up.stderr);
    });

    await t.step("an unknown kind: kubectl's mapping error", async () => {
      const chart = await writeChart(home, "unknown", {
        "templates/foo.yaml": "apiVersion: example.com/v1\nkind: Foo\nmetadata: {name: x}\n",
      });
      const r = await run(["install", "unknown", chart]);
      assertEquals(r.code, 1);
      assertEquals(
        r.stderr,
        "Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: " +
          'resource mapping not found for name: "x" namespace: "" from "": no matches for kind ' +
          '"Foo" in version "example.com/v1"\nensure CRDs are installed first\n',
      );
    });

    await t.step("an ill-typed Deployment: kube-apiserver's decode error", async () => {
      const chart = await writeChart(home, "bad", {
        "templates/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: "abc"
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec: {containers: [{name: c, image: busybox}]}
`,
      });
      const r = await run(["install", "bad", chart]);
      assertEquals(r.code, 1);
      assertStringIncludes(
        r.stderr,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ' +
          "string into Go struct field DeploymentSpec.spec.replicas of type int32",
      );
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
