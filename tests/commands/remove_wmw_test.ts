import { assertEquals } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { initInProcess, pluginUser, type RunResult } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";

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
