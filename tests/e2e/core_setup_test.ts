/**
 * The seed's core setup sessions in order on one control plane, as a user types them:
 * `kubestellar init`, then `kubectl kubestellar ensure location`, `remove location`,
 * `ensure wmw`, `remove wmw` through kubectl's plugin lookup, with the objects checked
 * by real kubectl; and the plugins refusing a kubeconfig that is not kcp's.
 */
import { KUBE_EXPORTS } from "../../lib/core/wmw.ts";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { startControlPlane, startKubeCluster } from "../support/control_plane.ts";
import { pluginUser } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";

Deno.test("core setup: init, locations and workload management workspaces, end to end", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    const init = await user.run("kubestellar", ["init", "--ensure-imw", "root:imw-1"]);
    assertEquals([init.code, init.stderr], [0, ""]);
    assertMatch(
      init.stdout,
      /^Ensuring IMW: imw-1\nedge\.kubestellar\.io created and bound\.|Ensuring IMW: imw-1\n/m,
    );
    assertPrinted(await user.kubectl("ws", "."), 'Current workspace is "root".');

    // Creating SyncTarget/Location pairs.
    const ensure = ["kubestellar", "ensure", "location", "--imw", "imw-1", "demo1", "foo=bar"];
    assertPrinted(
      await user.kubectl(...ensure, "the-word=the-bird"),
      'Current workspace is "root:imw-1".',
      "synctarget.edge.kubestellar.io/demo1 created",
      "location.edge.kubestellar.io/demo1 created",
      "synctarget.edge.kubestellar.io/demo1 labeled",
      "location.edge.kubestellar.io/demo1 labeled",
      "synctarget.edge.kubestellar.io/demo1 labeled",
      "location.edge.kubestellar.io/demo1 labeled",
    );
    assertPrinted(
      await user.kubectl(...ensure, "the-word=the-bird"),
      'Current workspace is "root:imw-1".',
    );
    const labels = await user.kubectl(
      "get",
      "synctargets.edge.kubestellar.io,locations.edge.kubestellar.io",
      "-o",
      'jsonpath={range .items[*]}{.kind} {.metadata.labels}{"\\n"}{end}',
    );
    assertEquals(
      labels.stdout,
      'SyncTarget {"foo":"bar","id":"demo1","the-word":"the-bird"}\n' +
        'Location {"foo":"bar","the-word":"the-bird"}\n',
    );

    // Removing SyncTarget/Location pairs.
    assertPrinted(await user.kubectl("ws", "root:imw-1"), 'Current workspace is "root:imw-1".');
    assertPrinted(
      await user.kubectl("kubestellar", "remove", "location", "demo1"),
      'synctarget.edge.kubestellar.io "demo1" deleted',
      'location.edge.kubestellar.io "demo1" deleted',
    );
    assertPrinted(await user.kubectl("kubestellar", "remove", "location", "demo1"));

    // Creating a workload management workspace.
    assertPrinted(
      await user.kubectl("kubestellar", "ensure", "wmw", "example-wmw"),
      'Current workspace is "root".',
      'Workspace "example-wmw" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "example-wmw" (type root:universal) is ready to use.',
      'Current workspace is "root:example-wmw" (type root:universal).',
      "apibinding.apis.kcp.io/bind-espw created",
      ...KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io/bind-${e} created`),
    );
    // The WMW is usable at once: a Deployment (from kubectl's typed generator, a protobuf
    // body) and an EdgePlacement (from a file) can be created in it.
    assertPrinted(
      await user.kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2"),
      "deployment.apps/web created",
    );
    const stored = await user.kubectl(
      "get",
      "deployment",
      "web",
      "-o",
      "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}",
    );
    assertEquals([stored.code, stored.stdout], [0, "2 nginx"], stored.stderr);
    const manifest = `${user.dir}/workload.yaml`;
    await Deno.writeTextFile(
      manifest,
      `apiVersion: edge.kubestellar.io/v2alpha1
kind: EdgePlacement
metadata: {name: edge-placement-c}
spec:
  locationSelectors: [{matchLabels: {env: prod}}]
`,
    );
    assertPrinted(
      await user.kubectl("create", "-f", manifest),
      "edgeplacement.edge.kubestellar.io/edge-placement-c created",
    );
    assertPrinted(await user.kubectl("ws", ".."), 'Current workspace is "root".');
    assertPrinted(
      await user.kubectl("kubestellar", "ensure", "wmw", "example-wmw"),
      'Current workspace is "root".',
      'Current workspace is "root:example-wmw" (type root:universal).',
    );
    assertPrinted(await user.kubectl("ws", ".."), 'Current workspace is "root".');
    assertPrinted(
      await user.kubectl("kubestellar", "ensure", "wmw", "example-wmw", "--with-kube", "false"),
      'Current workspace is "root".',
      'Current workspace is "root:example-wmw" (type root:universal).',
      ...KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io "bind-${e}" deleted`),
    );

    // Removing it.
    assertPrinted(
      await user.kubectl("kubestellar", "remove", "wmw", "example-wmw"),
      'Current workspace is "root".',
      'workspace.tenancy.kcp.io "example-wmw" deleted',
    );
    assertPrinted(await user.kubectl("ws", "."), 'Current workspace is "root".');
    assertPrinted(
      await user.kubectl("kubestellar", "remove", "wmw", "example-wmw"),
      'Current workspace is "root".',
    );
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});

Deno.test("core setup: a kubeconfig that is not kcp's is refused with one line", async () => {
  const kube = await startKubeCluster();
  const user = await pluginUser(kube.kubeconfigPath);
  try {
    const before = await Deno.readTextFile(user.kubeconfig);
    const results = await Promise.all([
      user.kubectl("kubestellar", "ensure", "location", "--imw", "imw-1", "demo1", "a=b"),
      user.kubectl("kubestellar", "ensure", "wmw", "w1"),
      user.kubectl("kubestellar", "remove", "wmw", "w1"),
      user.kubectl("kubestellar", "remove", "location", "demo1"),
    ]);
    for (const r of results) {
      assertEquals([r.code, r.stdout], [1, ""]);
      assertMatch(
        r.stderr,
        /^kubectl-kubestellar-\S+: the kubeconfig's current server https:\/\/127\.0\.0\.1:\d+ is not a kcp workspace URL [^\n]*\n$/,
      );
    }
    assertEquals(await Deno.readTextFile(user.kubeconfig), before);
    const ns = await user.kubectl("get", "namespaces", "-o", "name");
    assertEquals(ns.code, 0, ns.stderr);
  } finally {
    await user.cleanup();
    await kube.stop();
  }
});
