import { assertEquals, assertMatch } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { initInProcess, pluginUser, type RunResult } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";

const PROG = "kubectl-kubestellar-remove-location";

Deno.test("kubectl kubestellar remove location: the seed's session with idempotency", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    await initInProcess(user.kubeconfig, { imws: ["imw-1"] });
    const ensured = await user.kubectl(
      "kubestellar",
      "ensure",
      "location",
      "--imw",
      "root:imw-1",
      "demo1",
      "foo=bar",
    );
    assertEquals(ensured.code, 0, ensured.stderr);
    const before = await Deno.readTextFile(user.kubeconfig);

    // Bad input first: one line, exit 1, nothing removed, kubeconfig untouched.
    const bad = (...args: string[]) => user.kubectl("kubestellar", "remove", "location", ...args);
    const [extra, missing, noImw, context] = await Promise.all([
      bad("demo1", "demo2"),
      bad("--imw", "root:imw-1"),
      bad("--imw", "imw-9", "demo1"),
      bad("demo1", "--context=root"),
    ]);
    const oneLine = (r: RunResult, line: string) =>
      assertEquals([r.code, r.stdout, r.stderr], [1, "", line + "\n"]);
    oneLine(extra, `${PROG}: only one positional argument is allowed`);
    oneLine(missing, `${PROG}: must be given a non-empty object name`);
    oneLine(noImw, `${PROG}: workspace "root:imw-9" not found: create it first (kubestellar init)`);
    oneLine(context, `${PROG}: --context flag not supported`);
    assertEquals(await Deno.readTextFile(user.kubeconfig), before);

    // The seed's session.
    assertPrinted(await user.kubectl("ws", "root:imw-1"), 'Current workspace is "root:imw-1".');
    assertPrinted(
      await user.kubectl("kubestellar", "remove", "location", "demo1"),
      'synctarget.edge.kubestellar.io "demo1" deleted',
      'location.edge.kubestellar.io "demo1" deleted',
    );
    assertPrinted(await user.kubectl("kubestellar", "remove", "location", "demo1"));
    const left = await user.kubectl(
      "get",
      "synctargets.edge.kubestellar.io,locations.edge.kubestellar.io",
      "-o",
      "name",
    );
    assertEquals([left.code, left.stdout], [0, ""], left.stderr);
    // The APIBinding stays.
    const binding = await user.kubectl("get", "apibindings.apis.kcp.io", "edge.kubestellar.io");
    assertEquals(binding.code, 0, binding.stderr);

    // --imw switches (and stays); a workspace without the edge API has nothing to remove.
    assertPrinted(await user.kubectl("ws", "root"), 'Current workspace is "root".');
    assertPrinted(
      await user.kubectl("kubestellar", "remove", "location", "--imw", "root:espw", "demo1"),
      'Current workspace is "root:espw".',
    );
    const help = await user.kubectl("kubestellar", "remove", "location", "--help");
    assertEquals(help.code, 0);
    assertMatch(help.stdout, /^Usage: kubectl kubestellar remove location .* objname\n$/);
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});
