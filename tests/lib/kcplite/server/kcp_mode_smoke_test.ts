/**
 * kcp-lite in kcp mode through the test seam, with real kubectl: `/version`, the admin
 * kubeconfig's contexts, a Workspace created in root until Ready, objects in it reached by
 * path, the `kcp.io/cluster` annotation, and the wildcard rules (shard-admin may list,
 * kcp-admin may not, writes are 405).
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { kubectlSession } from "../kubectl_session.ts";

Deno.test("kcp mode: workspaces, paths and the wildcard", async (t) => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return; // kcp-lite specifics below
  const cp = await startControlPlane();
  const home = await Deno.makeTempDir({ prefix: "kubectl-kcp-" });
  const { run: k, ok, until } = kubectlSession(cp, home);
  try {
    await t.step("version and kubeconfig layout", async () => {
      const v = JSON.parse(await ok(["get", "--raw", "/version"]));
      assertEquals(v.gitVersion, "v1.24.3+kcp-v0.11.0");
      assertEquals(
        (await ok(["config", "get-contexts", "-o", "name"])).trim().split("\n").sort(),
        ["base", "root", "system:admin"],
      );
      assertTrue(
        (await ok([
          "config",
          "view",
          "-o",
          "jsonpath={.clusters[?(@.name=='root')].cluster.server}",
        ]))
          .endsWith("/clusters/root"),
      );
    });

    await t.step("a workspace becomes Ready and serves by path", async () => {
      await ok(
        ["create", "-f", "-"],
        "apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: demo}\nspec: {}\n",
      );
      await until(["get", "workspace", "demo", "-o", "jsonpath={.status.phase}"], "Ready");
      const server = await ok([
        "config",
        "view",
        "-o",
        "jsonpath={.clusters[?(@.name=='root')].cluster.server}",
      ]);
      const inDemo = (args: string[]) => ok(["--server", `${server}:demo`, ...args]);
      await inDemo(["create", "configmap", "hello", "--from-literal=a=b"]);
      const id = await ok(["get", "workspace", "demo", "-o", "jsonpath={.spec.cluster}"]);
      const annotated = await inDemo([
        "get",
        "cm",
        "hello",
        "-o",
        "jsonpath={.metadata.annotations.kcp\\.io/cluster}",
      ]);
      assertEquals(annotated, id);
    });

    await t.step(
      "wildcard: shard-admin lists, kcp-admin is forbidden, writes are 405",
      async () => {
        const list = JSON.parse(
          await ok(["--context", "system:admin", "get", "--raw", "/clusters/*/api/v1/configmaps"]),
        );
        assertTrue(
          list.items.some((i: { metadata: { name: string } }) => i.metadata.name === "hello"),
        );
        const denied = await k([
          "--context",
          "base",
          "get",
          "--raw",
          "/clusters/*/api/v1/configmaps",
        ]);
        assertTrue(denied.code !== 0);
        assertStringIncludes(denied.stderr, "Forbidden");
        const write = await k([
          "--context",
          "system:admin",
          "create",
          "--raw",
          "/clusters/*/api/v1/namespaces/default/configmaps",
          "-f",
          "-",
        ], '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}');
        assertTrue(write.code !== 0);
        assertStringIncludes(write.stderr, "MethodNotAllowed");
      },
    );
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
