import { KUBE_EXPORTS } from "../../lib/core/wmw.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { downServer, initInProcess, pluginUser, type RunResult } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";

const PROG = "kubectl-kubestellar-ensure-wmw";

Deno.test("kubectl kubestellar ensure wmw: the seed's session, idempotency, bad input", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    // Before init: the exports are missing; nothing is made.
    const early = await user.kubectl("kubestellar", "ensure", "wmw", "early");
    assertEquals([early.code, early.stdout, early.stderr], [
      1,
      "",
      `${PROG}: the APIExport root:espw:edge.kubestellar.io does not exist: run 'kubestellar init' first\n`,
    ]);
    await initInProcess(user.kubeconfig);
    const before = await Deno.readTextFile(user.kubeconfig);
    const wmw = (...args: string[]) => user.kubectl("kubestellar", "ensure", "wmw", ...args);

    // Bad input: one line, exit 1; no workspace made, kubeconfig untouched.
    const [maybe, extra, context, down] = await Promise.all([
      wmw("example-wmw", "--with-kube", "maybe"),
      wmw("example-wmw", "other"),
      wmw("--context", "root", "example-wmw"),
      wmw("example-wmw", "--server", `${downServer()}/clusters/root`),
    ]);
    const oneLine = (r: RunResult, line: string) =>
      assertEquals([r.code, r.stdout, r.stderr], [1, "", line + "\n"]);
    oneLine(maybe, `${PROG}: with-kube should be true or false`);
    oneLine(extra, `${PROG}: too many positional arguments`);
    oneLine(context, `${PROG}: --context flag not supported`);
    assertEquals([down.code, down.stdout], [1, ""]);
    assertMatch(
      down.stderr,
      /^kubectl-kubestellar-ensure-wmw: cannot connect to the server at [^\n]*\n$/,
    );
    assertEquals(await Deno.readTextFile(user.kubeconfig), before);
    const none = await user.kubectl("get", "workspaces", "-o", "name");
    assertEquals(
      none.stdout,
      "workspace.tenancy.kcp.io/compute\nworkspace.tenancy.kcp.io/espw\n",
      none.stderr,
    );

    // The seed's session (with the three cluster-scoped exports the doc predates).
    assertPrinted(
      await wmw("example-wmw"),
      'Current workspace is "root".',
      'Workspace "example-wmw" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "example-wmw" (type root:universal) is ready to use.',
      'Current workspace is "root:example-wmw" (type root:universal).',
      "apibinding.apis.kcp.io/bind-espw created",
      ...KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io/bind-${e} created`),
    );
    const bindings = async () =>
      (await user.kubectl(
        "get",
        "apibindings.apis.kcp.io",
        "-o",
        'jsonpath={range .items[?(@.metadata.name!="")]}{.metadata.name} {.spec.reference.export.path}:{.spec.reference.export.name} {.status.phase}{"\\n"}{end}',
      )).stdout.split("\n").filter((l) => l.startsWith("bind-")).sort();
    assertEquals(
      await bindings(),
      [
        "bind-espw root:espw:edge.kubestellar.io Bound",
        ...KUBE_EXPORTS.map((e) => `bind-${e} root:compute:${e} Bound`),
      ].sort(),
    );
    // The WMW serves the edge API and the bound Kubernetes resources.
    const served = await user.kubectl("api-resources", "-o", "name");
    for (
      const r of ["edgeplacements.edge.kubestellar.io", "deployments.apps", "replicasets.apps"]
    ) {
      assertMatch(served.stdout, new RegExp(`^${r.replace(".", "\\.")}$`, "m"), r);
    }

    assertPrinted(await user.kubectl("ws", ".."), 'Current workspace is "root".');
    assertPrinted(
      await wmw("example-wmw"),
      'Current workspace is "root".',
      'Current workspace is "root:example-wmw" (type root:universal).',
    );
    assertPrinted(await user.kubectl("ws", ".."), 'Current workspace is "root".');
    assertPrinted(
      await wmw("example-wmw", "--with-kube", "false"),
      'Current workspace is "root".',
      'Current workspace is "root:example-wmw" (type root:universal).',
      ...KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io "bind-${e}" deleted`),
    );
    assertEquals(await bindings(), ["bind-espw root:espw:edge.kubestellar.io Bound"]);
    // And back: only the kube bindings are created again.
    assertPrinted(
      await wmw("--with-kube", "true", "example-wmw"),
      'Current workspace is "root".',
      'Current workspace is "root:example-wmw" (type root:universal).',
      ...KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io/bind-${e} created`),
    );
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});
