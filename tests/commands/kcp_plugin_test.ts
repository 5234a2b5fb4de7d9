/**
 * `kubectl kcp` through real kubectl's plugin lookup against kcp-lite: the stand-in for
 * kcp's plugin binds an APIExport with kcp v0.11's lines, takes kubectl's flags before
 * the subcommand (as upstream's ensure-location script writes it), reports errors as kcp
 * does, and hands `kubectl kcp ws` to `kubectl ws`.
 *
 * @module
 */
import { assertEquals } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { initInProcess, pluginUser } from "../support/plugin_path.ts";

Deno.test("kubectl kcp bind apiexport through kubectl's plugin lookup", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    await initInProcess(user.kubeconfig, { imws: [], wmws: [] });
    const k = user.kubectl;
    let r = await k("ws", "create", "inv", "--enter");
    assertEquals(r.code, 0, r.stderr);

    r = await k("kcp", "bind", "apiexport", "root:espw:edge.kubestellar.io");
    assertEquals([r.code, r.stdout, r.stderr], [
      0,
      "apibinding edge.kubestellar.io created. Waiting to successfully bind ...\n" +
      "edge.kubestellar.io created and bound.\n",
      "",
    ]);
    r = await k("get", "apibinding", "edge.kubestellar.io", "-o", "jsonpath={.status.phase}");
    assertEquals(r.stdout, "Bound", r.stderr);
    // The APIExport's kinds are served now.
    r = await k("get", "synctargets.edge.kubestellar.io");
    assertEquals(r.code, 0, r.stderr);

    // kubectl flags before the subcommand, --name after the reference.
    r = await k(
      "kcp",
      "--kubeconfig",
      user.kubeconfig,
      "bind",
      "apiexport",
      "root:espw:edge.kubestellar.io",
      "--name",
      "second",
    );
    assertEquals(
      r.stdout,
      "apibinding second created. Waiting to successfully bind ...\nsecond created and bound.\n",
      r.stderr,
    );

    // Errors: kcp's wording after "error: ", exit 1.
    r = await k("kcp", "bind", "apiexport", "root:espw:edge.kubestellar.io", "--name", "second");
    assertEquals([r.code, r.stdout, r.stderr], [
      1,
      "",
      'error: apibindings.apis.kcp.io "second" already exists\n',
    ]);
    r = await k("kcp", "bind", "apiexport", "edge.kubestellar.io");
    assertEquals([r.code, r.stderr], [
      1,
      "error: fully qualified reference to workspace where APIExport exists is required. " +
      "The format is `<logical-cluster-name>:<apiexport>` or `<full>:<path>:<to>:<apiexport>`\n",
    ]);
    r = await k("kcp", "bind", "apiexport");
    assertEquals([r.code, r.stderr], [
      1,
      "error: `root:ws:apiexport_object` reference to bind is required as an argument\n",
    ]);
    r = await k("kcp", "frobnicate");
    assertEquals(r.code, 1);
    assertEquals(r.stderr.split("\n")[0], 'error: unknown command "frobnicate" for "kcp"');

    // kubectl kcp ws is kubectl ws.
    r = await k("kcp", "ws", ".");
    assertEquals([r.code, r.stdout], [0, 'Current workspace is "root:inv".\n'], r.stderr);
    r = await k("kcp", "workspace", "..");
    assertEquals(r.stdout, 'Current workspace is "root".\n', r.stderr);
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});
