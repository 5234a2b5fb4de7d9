import { assertEquals } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { initInProcess, pluginUser, type RunResult } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";
import { eventually } from "../support/eventually.ts";
import { request } from "../lib/kcplite/server/server_test_client.ts";

const PROG = "kubectl-kubestellar-remove-wmw";

Deno.test("kubectl kubestellar remove wmw: the seed's session with idempotency", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    await initInProcess(user.kubeconfig, { wmws: ["demo1", "example-wmw"] });
    await user.kubectl("ws", "root:demo1");
    const before = await Deno.readTextFile(user.kubeconfig);
    const remove = (...args: string[]) => user.kubectl("kubestellar", "remove", "wmw", ...args);

    const [extra, none, context] = await Promise.all([
      remove("demo1", "demo2"),
      remove(),
      remove("demo1", "--context", "root"),
    ]);
    const oneLine = (r: RunResult, line: string) =>
      assertEquals([r.code, r.stdout, r.stderr], [1, "", line + "\n"]);
    oneLine(extra, `${PROG}: too many positional arguments`);
    oneLine(none, `${PROG}: workload management workspace name not specified`);
    oneLine(context, `${PROG}: --context flag not supported`);
    assertEquals(await Deno.readTextFile(user.kubeconfig), before);

    // The seed: deleting the Workspace object from the parent with kubectl ...
    assertPrinted(await user.kubectl("ws", "root"), 'Current workspace is "root".');
    assertPrinted(
      await user.kubectl("delete", "Workspace", "example-wmw"),
      'workspace.tenancy.kcp.io "example-wmw" deleted',
    );
    // ... or with the command, which always works from root.
    assertPrinted(
      await remove("-h"),
      "Usage: kubectl kubestellar remove wmw [-X] kubectl_flag... wm_workspace_name",
    );
    await user.kubectl("ws", "root:demo1");
    assertPrinted(
      await remove("demo1"),
      'Current workspace is "root".',
      'workspace.tenancy.kcp.io "demo1" deleted',
    );
    assertPrinted(await user.kubectl("ws", "."), 'Current workspace is "root".');
    assertPrinted(await remove("demo1"), 'Current workspace is "root".');
    const left = await user.kubectl("get", "workspaces", "-o", "name");
    assertEquals(
      left.stdout,
      "workspace.tenancy.kcp.io/compute\nworkspace.tenancy.kcp.io/espw\n",
      left.stderr,
    );
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});

Deno.test("kubectl kubestellar remove wmw waits until kcp has removed the workspace", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    await initInProcess(user.kubeconfig, { wmws: ["demo1"] });
    // Content held by a finalizer keeps the workspace in its Deleting phase.
    const cm = "/clusters/root:demo1/api/v1/namespaces/default/configmaps";
    const held = await request(cp, "POST", cm, {
      body: JSON.stringify({ metadata: { name: "held", finalizers: ["example.com/hold"] } }),
      contentType: "application/json",
    });
    assertEquals(held.status, 201);
    let finished = false;
    const removing = user.kubectl("kubestellar", "remove", "wmw", "demo1").finally(() =>
      finished = true
    );
    const ws = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/demo1";
    await eventually("demo1 waits for its content", async () => {
      const w = await request(cp, "GET", ws);
      const conditions = (w.body.status as { conditions?: { type: string; status: string }[] })
        ?.conditions ?? [];
      return conditions.some((c) => c.type === "WorkspaceContentDeleted" && c.status === "False")
        ? true
        : undefined;
    });
    assertEquals(finished, false, "remove wmw returned while the workspace still exists");
    const ensure = await user.kubectl("kubestellar", "ensure", "wmw", "demo1");
    assertEquals(ensure.code, 1);
    assertEquals(
      ensure.stderr,
      'kubectl-kubestellar-ensure-wmw: workspace "root:demo1" is being deleted; run this again ' +
        "once it is gone (kubectl kubestellar remove wmw demo1 waits for that)\n",
    );
    const released = await request(cp, "PATCH", `${cm}/held`, {
      body: JSON.stringify({ metadata: { finalizers: null } }),
      contentType: "application/merge-patch+json",
    });
    assertEquals(released.status, 200);
    assertPrinted(
      await removing,
      'Current workspace is "root".',
      'workspace.tenancy.kcp.io "demo1" deleted',
    );
    assertEquals((await request(cp, "GET", ws)).status, 404);
    // At once afterwards: the name can be used again.
    const again = await user.kubectl("kubestellar", "ensure", "wmw", "demo1");
    assertEquals(again.code, 0, again.stderr);
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});
