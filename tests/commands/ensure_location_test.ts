import { assertEquals, assertMatch, assertTrue } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { downServer, initInProcess, pluginUser } from "../support/plugin_path.ts";
import { assertFailedWithLine, assertPrinted } from "../support/command_output.ts";

const PROG = "kubectl-kubestellar-ensure-location";

Deno.test("kubectl kubestellar ensure location: the seed's session, idempotency, bad input", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    await initInProcess(user.kubeconfig, { imws: ["imw-1"] });
    const before = await Deno.readTextFile(user.kubeconfig);

    // Bad input: one line each, exit 1, nothing changed. None writes, so run them together.
    const bad = (...args: string[]) => user.kubectl("kubestellar", "ensure", "location", ...args);
    // (Every argument check is in tests/lib/core/location_args_test.ts; these go end to end.)
    const results = await Promise.all([
      bad("--imw", "imw-1", "demo1", "foo"),
      bad("--imw", "imw-1", "demo1", "foo=bar", "--context", "root"),
      bad("--imw", "imw-9", "demo1", "foo=bar"),
      bad("--imw", "imw-1", "demo1", "foo=bar", "--server", `${downServer()}/clusters/root`),
      bad("--imw", "imw-1", "demo1", "foo=bar", "--server", cp.url),
    ]);
    assertFailedWithLine(results[0], `${PROG}: syntax error for label name=value arg foo`);
    assertFailedWithLine(results[1], `${PROG}: --context flag not supported`);
    assertFailedWithLine(
      results[2],
      `${PROG}: workspace "root:imw-9" not found: create it first (kubestellar init)`,
    );
    assertEquals(results[3].code, 1);
    assertMatch(
      results[3].stderr,
      /^kubectl-kubestellar-ensure-location: cannot connect to the server at https:\/\/127\.0\.0\.1:\d+\/clusters\/root: .*\n$/,
    );
    assertEquals(results[4].code, 1);
    assertMatch(results[4].stderr, /^[^\n]*is not a kcp workspace URL[^\n]*\n$/);
    assertEquals(await Deno.readTextFile(user.kubeconfig), before, "kubeconfig unchanged");
    const none = await user.kubectl(
      "--server",
      `${cp.url}/clusters/root:imw-1`,
      "get",
      "synctargets.edge.kubestellar.io,locations.edge.kubestellar.io",
      "-o",
      "name",
    );
    assertEquals([none.code, none.stdout], [0, ""], none.stderr);

    // The seed's example (the IMW named as a child of root, like --ensure-imw).
    const args = ["kubestellar", "ensure", "location", "--imw", "imw-1", "demo1", "foo=bar"];
    assertPrinted(
      await user.kubectl(...args, "the-word=the-bird"),
      'Current workspace is "root:imw-1".',
      "synctarget.edge.kubestellar.io/demo1 created",
      "location.edge.kubestellar.io/demo1 created",
      "synctarget.edge.kubestellar.io/demo1 labeled",
      "location.edge.kubestellar.io/demo1 labeled",
      "synctarget.edge.kubestellar.io/demo1 labeled",
      "location.edge.kubestellar.io/demo1 labeled",
    );
    // Idempotent: nothing to do the second time; kubectl flags anywhere.
    assertPrinted(
      await user.kubectl(...args, "--kubeconfig", user.kubeconfig, "the-word=the-bird"),
      'Current workspace is "root:imw-1".',
    );
    // The IMW is now current: real kubectl sees the objects as the doc describes them.
    const st = JSON.parse(
      (await user.kubectl("get", "synctargets.edge.kubestellar.io", "demo1", "-o", "json")).stdout,
    );
    assertEquals(st.metadata.labels, { id: "demo1", foo: "bar", "the-word": "the-bird" });
    const loc = JSON.parse(
      (await user.kubectl("get", "locations.edge.kubestellar.io", "demo1", "-o", "json")).stdout,
    );
    assertEquals(loc.metadata.labels, { foo: "bar", "the-word": "the-bird" });
    assertEquals(loc.spec, {
      resource: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" },
      instanceSelector: { matchLabels: { id: "demo1" } },
    });
    const binding = await user.kubectl(
      "get",
      "apibindings.apis.kcp.io",
      "edge.kubestellar.io",
      "-o",
      "jsonpath={.spec.reference.export.path}:{.spec.reference.export.name} {.status.phase}",
    );
    assertEquals(binding.stdout, "root:espw:edge.kubestellar.io Bound");

    // A changed label value is relabeled; the default IMW (.) is the current workspace;
    // -X traces the steps on stderr.
    const relabel = await user.kubectl(
      "kubestellar",
      "ensure",
      "location",
      "demo1",
      "foo=baz",
      "-X",
    );
    assertEquals([relabel.code, relabel.stdout], [
      0,
      "synctarget.edge.kubestellar.io/demo1 labeled\nlocation.edge.kubestellar.io/demo1 labeled\n",
    ]);
    assertEquals(relabel.stderr.split("\n").slice(0, 2), [
      "+ imw is .",
      "+ kubectl get apibinding edge.kubestellar.io (in root:imw-1)",
    ]);
    // A workspace without the edge binding gets one first.
    await user.kubectl("ws", "root");
    await user.kubectl("ws", "create", "imw-2");
    assertPrinted(
      await user.kubectl("kubestellar", "ensure", "location", "--imw", "root:imw-2", "e2", "k=v"),
      'Current workspace is "root:imw-2".',
      "apibinding.apis.kcp.io/edge.kubestellar.io created",
      "synctarget.edge.kubestellar.io/e2 created",
      "location.edge.kubestellar.io/e2 created",
      "synctarget.edge.kubestellar.io/e2 labeled",
      "location.edge.kubestellar.io/e2 labeled",
    );
    const help = await user.kubectl("kubestellar", "ensure", "location", "-h");
    assertEquals(help.code, 0);
    assertTrue(help.stdout.startsWith("Usage: kubectl kubestellar ensure location "));
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});
