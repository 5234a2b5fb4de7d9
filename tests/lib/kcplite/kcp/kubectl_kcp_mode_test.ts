/**
 * Real kubectl against the generic API server running the kcp backend: a Workspace made
 * with `kubectl create -f` becomes Ready; an APIExport + APIBinding make a resource
 * without any CRD usable in another workspace; a service account limited by RBAC gets
 * 403 outside its grants.
 *
 * It runs on the test suite's control plane (`startControlPlane`: kcp-lite in kcp mode,
 * or the real kcp named by `KUBESTELLAR_TEST_KCP`).
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { kubectlSession } from "../kubectl_session.ts";
import { bindExport, createReadyWorkspace } from "./kubectl_kcp_steps.ts";
import { webDeployment } from "../web_deployment.ts";

Deno.test("kubectl on kcp mode: workspace Ready, export/binding, RBAC-limited service account", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcp-mode-e2e-" });
  const cp = await startControlPlane();
  const k = kubectlSession(cp, dir);
  const { run, ok, until } = k;
  const server_ = (path: string) => ["--server", `${cp.url}/clusters/${path}`];
  try {
    for (const name of ["prov", "cons"]) await createReadyWorkspace(k, name);
    const type = await ok([
      "get",
      "workspaces.tenancy.kcp.io",
      "prov",
      "-o",
      "jsonpath={.spec.type.name}",
    ]);
    assertEquals(type, "organization");

    await ok(
      [...server_("root:prov"), "create", "-f", "-"],
      `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata: {name: v1.widgets.example.io}
spec:
  group: example.io
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      type: object
      properties:
        spec:
          type: object
          properties:
            size: {type: integer}
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIExport
metadata: {name: widgets}
spec:
  latestResourceSchemas: [v1.widgets.example.io]
`,
    );
    await bindExport(k, server_("root:cons"), "root:prov", "widgets");
    await ok(
      [...server_("root:cons"), "create", "-f", "-"],
      `apiVersion: example.io/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {size: 3}
`,
    );
    assertEquals(
      await ok([
        ...server_("root:cons"),
        "get",
        "widgets",
        "-n",
        "default",
        "-o",
        "jsonpath={.items[*].spec.size}",
      ]),
      "3",
    );
    const absent = await run([...server_("root:prov"), "get", "widgets", "-n", "default"]);
    assertTrue(absent.code !== 0, "widgets are not served in the provider workspace");

    // an RBAC-limited service account: configmaps yes, secrets no
    await ok([...server_("root:cons"), "create", "serviceaccount", "limited", "-n", "default"]);
    await ok([
      ...server_("root:cons"),
      "create",
      "role",
      "cm-reader",
      "-n",
      "default",
      "--verb=get,list",
      "--resource=configmaps",
    ]);
    await ok([
      ...server_("root:cons"),
      "create",
      "rolebinding",
      "cm-reader",
      "-n",
      "default",
      "--role=cm-reader",
      "--serviceaccount=default:limited",
    ]);
    let secretName = "";
    for (let i = 0; i < 100 && !secretName; i++) {
      secretName = (await ok([
        ...server_("root:cons"),
        "get",
        "serviceaccount",
        "limited",
        "-n",
        "default",
        "-o",
        "jsonpath={.secrets[0].name}",
      ])).trim();
      if (!secretName) await new Promise((res) => setTimeout(res, 50));
    }
    const encoded = await ok([
      ...server_("root:cons"),
      "get",
      "secret",
      secretName,
      "-n",
      "default",
      "-o",
      "jsonpath={.data.token}",
    ]);
    const token = atob(encoded.trim());
    const asSa = (path: string) => [...server_(path), "--token", token];
    await ok([...asSa("root:cons"), "get", "configmaps", "-n", "default"]);
    const denied = await run([...asSa("root:cons"), "get", "secrets", "-n", "default"]);
    assertEquals(denied.code, 1);
    assertStringIncludes(denied.stderr, "forbidden");
    assertStringIncludes(denied.stderr, "system:serviceaccount:default:limited");
    const elsewhere = await run([...asSa("root:prov"), "get", "configmaps", "-n", "default"]);
    assertEquals(elsewhere.code, 1);

    // root:compute's kubernetes export: deployments become usable
    await bindExport(k, server_("root:cons"), "root:compute", "kubernetes");
    await ok(
      [...server_("root:cons"), "create", "-f", "-"],
      webDeployment(),
    );
    await ok([
      ...server_("root:cons"),
      "patch",
      "deployment",
      "web",
      "-n",
      "default",
      "--type=merge",
      "-p",
      '{"spec":{"replicas":2}}',
    ]);
    assertEquals(
      await ok([
        ...server_("root:cons"),
        "get",
        "deployment",
        "web",
        "-n",
        "default",
        "-o",
        "jsonpath={.spec.replicas}",
      ]),
      "2",
    );

    // deleting a workspace removes it and its logical cluster
    await ok(["delete", "workspaces.tenancy.kcp.io", "cons"]);
    await until(
      ["get", "workspaces.tenancy.kcp.io", "-o", "name"],
      "workspace.tenancy.kcp.io/compute\nworkspace.tenancy.kcp.io/prov",
    );
    const gone = await run([...server_("root:cons"), "get", "configmaps", "-n", "default"]);
    assertTrue(gone.code !== 0, "root:cons is gone");
  } finally {
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
