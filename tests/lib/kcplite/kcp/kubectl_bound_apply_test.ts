/**
 * Real kubectl `apply` of a Deployment in a workspace bound to `root:compute`'s
 * `kubernetes` export (kcp-spec §3.4): the second apply sends a strategic merge patch to
 * the bound (CRD-backed) copy of the built-in kind, which must be accepted; changing the
 * container image and applying again updates the stored object. A custom resource still
 * refuses strategic merge patches with 415.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { kubectlSession } from "../kubectl_session.ts";
import { bindExport, createReadyWorkspace } from "./kubectl_kcp_steps.ts";
import { webDeployment } from "../web_deployment.ts";

function deployment(image: string): string {
  return webDeployment({
    container: "web",
    image,
    containerFields: { ports: "[{containerPort: 80}]" },
  });
}

Deno.test("kubectl apply twice and with a new image on a bound Deployment (kcp mode)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcp-bound-apply-" });
  const cp = await startControlPlane();
  const k = kubectlSession(cp, dir);
  const { ok, until } = k;
  const inWmw = ["--server", `${cp.url}/clusters/root:wmw`];
  /** A field of Deployment `web` in the WMW, through `-o jsonpath`. */
  const webField = (path: string) =>
    ok([...inWmw, "get", "deployment", "web", "-n", "default", "-o", `jsonpath={${path}}`]);
  try {
    await createReadyWorkspace(k, "wmw");
    await bindExport(k, inWmw, "root:compute", "kubernetes");
    await until([...inWmw, "get", "deployments", "-n", "default", "-o", "name"], "");

    assertStringIncludes(
      await ok([...inWmw, "apply", "-f", "-"], deployment("nginx:1.25")),
      "created",
    );
    // the second apply of the same file sends a strategic merge patch
    assertStringIncludes(
      await ok([...inWmw, "apply", "-f", "-"], deployment("nginx:1.25")),
      "unchanged",
    );
    assertStringIncludes(
      await ok([...inWmw, "apply", "-f", "-"], deployment("nginx:1.27")),
      "configured",
    );
    const image = await webField(".spec.template.spec.containers[*].image");
    assertEquals(image, "nginx:1.27");
    const ports = await webField(".spec.template.spec.containers[0].ports[0].containerPort");
    assertEquals(ports, "80");
    // an explicit strategic merge patch too
    await ok([
      ...inWmw,
      "patch",
      "deployment",
      "web",
      "-n",
      "default",
      "--type=strategic",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
    ]);
    const names = await webField(".spec.template.spec.containers[*].name");
    assertEquals(names.split(" ").sort().join(" "), "side web");
  } finally {
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
