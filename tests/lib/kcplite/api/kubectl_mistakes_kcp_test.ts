/**
 * kubectl's everyday mistakes in a kcp-lite workload workspace (kcp mode), with real
 * kubectl 1.32 (see `kubectl_mistakes.ts`), plus what issue 17 found broken there: with
 * `kubestellar init`'s `root:compute` exports bound, `kubectl get rs`, `kubectl get all`
 * and `kubectl api-resources` show the short names and categories kcp shows, and a bound
 * kind is validated against its schema.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { computeApiObjects } from "../../../../lib/core/compute_exports.ts";
import { kubectlSession } from "../kubectl_session.ts";
import { bindExport, createReadyWorkspace } from "../kcp/kubectl_kcp_steps.ts";
import { webDeployment } from "../web_deployment.ts";
import * as m from "./kubectl_mistakes.ts";

const REPLICA_SET = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs1, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: rs1}}
  template:
    metadata: {labels: {app: rs1}}
    spec: {containers: [{name: c, image: busybox}]}
`;

Deno.test("kubectl's everyday mistakes in a kcp workload workspace", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "kubectl-mistakes-kcp-" });
  const cp = await startControlPlane();
  const k = kubectlSession(cp, dir);
  const server = ["--server", `${cp.url}/clusters/root:wmw`];
  const target: m.MistakeTarget = { k, server };
  try {
    const { schemas, exports } = computeApiObjects();
    const compute = ["--server", `${cp.url}/clusters/root:compute`];
    await k.ok(
      [...compute, "create", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [...schemas, ...exports],
      }),
    );
    await createReadyWorkspace(k, "wmw");
    await bindExport(k, server, "root:compute", "kubernetes");
    await bindExport(k, server, "root:compute", "apps");

    // explain: a kind kcp serves itself (bound kinds' schemas carry no descriptions in kcp-lite)
    await m.allMistakes(t, target, {
      path: "configmaps.immutable",
      group: "",
      kind: "ConfigMap",
      field: "FIELD: immutable <boolean>",
      description: "Immutable, if set to true, ensures",
    });

    await t.step("kubectl get rs and get all", async () => {
      const none = await k.run([...server, "get", "rs", "-n", "default"]);
      assertEquals([none.code, none.stderr], [0, "No resources found in default namespace.\n"]);
      await k.ok([...server, "create", "-f", "-"], REPLICA_SET);
      await k.ok(
        [...server, "create", "-f", "-"],
        webDeployment({ container: "web", image: "nginx" }),
      );
      const rs = await k.ok([...server, "get", "rs", "-n", "default"]);
      assertEquals(rs.split("\n")[0].split(/\s+/), ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
      assertStringIncludes(rs, "\nrs1 ");
      const all = await k.ok([...server, "get", "all", "-n", "default", "-o", "name"]);
      assertEquals(all.trim().split("\n").sort(), ["deployment.apps/web", "replicaset.apps/rs1"]);
    });

    await t.step("kubectl api-resources lists the short names and categories", async () => {
      const out = await k.ok([...server, "api-resources", "--categories=all", "-o", "name"]);
      for (const r of ["pods", "services", "deployments.apps", "replicasets.apps"]) {
        assertStringIncludes(out, `${r}\n`);
      }
      const wide = await k.ok([...server, "api-resources", "--api-group=apps"]);
      const rsLine = wide.split("\n").find((l) => l.startsWith("replicasets "));
      assertEquals(rsLine?.split(/\s+/), ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"]);
    });

    await t.step("a bound kind is validated against its schema", async () => {
      const r = await k.run(
        [...server, "create", "-f", "-"],
        REPLICA_SET.replace("rs1, namespace", "rs2, namespace").replace(
          "replicas: 1",
          'replicas: "abc"',
        ),
      );
      assertEquals(r.code, 1);
      assertStringIncludes(
        r.stderr,
        'The ReplicaSet "rs2" is invalid: spec.replicas: Invalid value: "string": ' +
          'spec.replicas in body must be of type integer: "string"',
      );
    });
  } finally {
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
