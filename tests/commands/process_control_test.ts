import { join } from "node:path";
import { assertEquals, assertMatch, assertTrue } from "../support/assert.ts";
import { startControlPlane, startKubeCluster } from "../support/control_plane.ts";
import { downServer, pluginUser, type RunResult } from "../support/plugin_path.ts";
import { assertPrinted } from "../support/command_output.ts";

function oneLine(r: RunResult, line: string | RegExp): void {
  assertEquals([r.code, r.stdout], [1, ""], r.stderr);
  if (typeof line === "string") assertEquals(r.stderr, line + "\n");
  else {
    assertMatch(r.stderr, line);
    assertEquals(r.stderr.split("\n").length, 2, `one line: ${r.stderr}`);
  }
}

Deno.test("kubestellar init: documented output, objects, idempotent re-run with flags", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    assertPrinted(
      await user.run("kubestellar", ["init"]),
      "Finished augmenting root:compute for KubeStellar",
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
      'Current workspace is "root:espw" (type root:organization).',
      "Finished populating the espw with kubestellar apiexports",
      "Ensuring IMW: imw1",
      "apibinding edge.kubestellar.io created. Waiting to successfully bind ...",
      "edge.kubestellar.io created and bound.",
      "Ensuring WMW: wmw1",
    );
    assertPrinted(await user.kubectl("ws", "."), 'Current workspace is "root".');
    const names = async (...args: string[]) => (await user.kubectl(...args, "-o", "name")).stdout;
    assertEquals(
      await names("get", "workspaces"),
      ["compute", "espw", "imw1", "wmw1"].map((w) => `workspace.tenancy.kcp.io/${w}\n`).join(""),
    );
    const espw = ["--server", `${cp.url}/clusters/root:espw`];
    assertEquals(
      await names(...espw, "get", "apiexports.apis.kcp.io"),
      "apiexport.apis.kcp.io/edge.kubestellar.io\n",
    );
    const schemas = (await names(...espw, "get", "apiresourceschemas.apis.kcp.io")).trim()
      .split("\n");
    assertEquals(schemas.length, 21); // 9 edge kinds and 12 denatured kinds
    for (const r of ["customizers", "edgeplacements", "locations", "synctargets"]) {
      assertTrue(schemas.some((s) => s.endsWith(`.${r}.edge.kubestellar.io`)), r);
    }
    assertTrue(schemas.some((s) => s.endsWith(".rolebindings.denatured.kubestellar.io")));
    const compute = ["--server", `${cp.url}/clusters/root:compute`];
    const exports = await names(...compute, "get", "apiexports.apis.kcp.io");
    for (const e of ["kubernetes", "apps", "batch", "cluster-core.k8s.io", "storage.k8s.io"]) {
      assertTrue(exports.includes(`apiexport.apis.kcp.io/${e}\n`), e);
    }
    const rbac = await names(...compute, "get", "clusterroles,clusterrolebindings");
    assertTrue(
      rbac.includes(
        "clusterrole.rbac.authorization.k8s.io/compute:apiexport:kubernetes-extended:bind\n",
      ),
    );
    assertTrue(
      rbac.includes(
        "clusterrolebinding.rbac.authorization.k8s.io/compute:authenticated:apiexport:kubernetes:maximal-permission-policy-extended\n",
      ),
    );
    const imwBinding = await user.kubectl(
      "--server",
      `${cp.url}/clusters/root:imw1`,
      "get",
      "apibindings.apis.kcp.io",
      "edge.kubestellar.io",
      "-o",
      "jsonpath={.status.phase}",
    );
    assertEquals(imwBinding.stdout, "Bound");
    const wmwBindings = await names(
      "--server",
      `${cp.url}/clusters/root:wmw1`,
      "get",
      "apibindings.apis.kcp.io",
    );
    assertTrue(wmwBindings.includes("apibinding.apis.kcp.io/bind-espw\n"));
    assertTrue(wmwBindings.includes("apibinding.apis.kcp.io/bind-cluster-storage.k8s.io\n"));

    // Again, with flags before and after the subcommand: nothing is created.
    const again = await user.run("kubestellar", [
      "--ensure-imw",
      "",
      "init",
      "--ensure-wmw",
      "root:wmw1,wmw2",
      "-V",
    ]);
    assertEquals([again.code, again.stderr], [0, ""]);
    const lines = again.stdout.trimEnd().split("\n");
    assertTrue(lines.filter((l) => / (created|replaced)$/.test(l)).length === 0, again.stdout);
    assertTrue(lines.includes("apiexport.apis.kcp.io/edge.kubestellar.io unchanged"));
    assertEquals(lines.filter((l) => !l.endsWith(" unchanged")), [
      "Finished augmenting root:compute for KubeStellar",
      "espw workspace already exists -- using it:",
      'Current workspace is "root:espw" (type root:organization).',
      "Finished populating the espw with kubestellar apiexports",
      "Ensuring WMW: wmw1",
      "Ensuring WMW: wmw2",
    ]);
    assertPrinted(await user.kubectl("ws", "."), 'Current workspace is "root".');
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});

Deno.test("kubestellar init|start|stop: bad input and unusable servers, one line each", async () => {
  const kube = await startKubeCluster();
  const user = await pluginUser(kube.kubeconfigPath);
  try {
    const downKc = join(user.dir, "down.kubeconfig");
    const remoteKc = join(user.dir, "remote.kubeconfig");
    const admin = await Deno.readTextFile(kube.kubeconfigPath);
    const server = /server: (\S+)/.exec(admin)![1];
    await Deno.writeTextFile(downKc, admin.replaceAll(server, `${downServer()}/clusters/root`));
    await Deno.writeTextFile(
      remoteKc,
      admin.replaceAll(server, "https://192.0.2.1:6443/clusters/root"),
    );
    const ks = (args: string[], env: Record<string, string> = {}) =>
      user.run("kubestellar", args, env);
    const before = await Deno.readTextFile(user.kubeconfig);
    const [badBool, unknown, positional, missing, notKcp, down, remote, slowDown] = await Promise
      .all([
        ks(["init", "--local-kcp", "maybe"]),
        ks(["init", "--bogus"]),
        ks(["start", "extra"]),
        ks(["stop", "--log-folder"]),
        ks(["init"]),
        ks(["init"], { KUBECONFIG: downKc }),
        ks(["init"], { KUBECONFIG: remoteKc }),
        ks(["init", "--local-kcp", "false"], {
          KUBECONFIG: downKc,
          KUBESTELLAR_WAIT_TIMEOUT: "2s",
        }),
      ]);
    oneLine(badBool, "kubestellar: --local-kcp must be given 'true' or 'false', not 'maybe'");
    oneLine(unknown, 'kubestellar: unknown flag "--bogus"');
    oneLine(positional, 'kubestellar: unknown positional argument "extra"');
    oneLine(missing, "kubestellar: missing log folder");
    oneLine(
      notKcp,
      /^kubestellar: the kubeconfig's current server https:\/\/127\.0\.0\.1:\d+ is not a kcp workspace URL/,
    );
    oneLine(
      down,
      /^kubestellar: kcp is not running - please start it \.\.\.\. \(nothing answers at https:\/\/127\.0\.0\.1:\d+\)\n$/,
    );
    oneLine(
      remote,
      /^kubestellar: kcp is not running - please start it \.\.\.\. \(the kubeconfig's server 192\.0\.2\.1:6443 is not on this machine; pass --local-kcp false/,
    );
    // Without the local check, init waits (bounded) with upstream's progress lines.
    assertEquals([slowDown.code, slowDown.stdout], [1, ""]);
    const progress = slowDown.stderr.trimEnd().split("\n");
    assertMatch(
      progress[0],
      /^kubestellar: At .*, kcp server not running yet or root:compute workspace not yet ready, waiting 1 sec\.\.\.$/,
    );
    assertMatch(
      progress.at(-1)!,
      /^kubestellar: kcp server at https:\/\/127\.0\.0\.1:\d+ not serving or root:compute not ready after 2s \(last error: cannot connect/,
    );
    assertEquals(await Deno.readTextFile(user.kubeconfig), before, "kubeconfig unchanged");

    assertPrinted(
      await ks(["init", "-h"]),
      "Usage: kubestellar [init | start | stop] [--log-folder log_folder] [--local-kcp bool] [--ensure-imw imw-list] [--ensure-wmw wmw-list] [-V|--verbose] [-X]",
    );
    // stop with nothing recorded: just the final line.
    assertPrinted(await ks(["stop"]), "kubestellar stopped .....");
  } finally {
    await user.cleanup();
    await kube.stop();
  }
});

Deno.test("kubestellar start launches the three controllers; stop stops them", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  try {
    const logs = join(user.dir, "logs");
    const env = { KUBESTELLAR_STATE_DIR: join(user.dir, "state") };
    const r = await user.run(
      "kubestellar",
      ["start", "--log-folder", logs, "--ensure-wmw", ""],
      env,
    );
    assertEquals(r.code, 0, r.stderr);
    const out = r.stdout.trimEnd().split("\n");
    const stars = "*".repeat(40);
    assertEquals(out.slice(0, 3), [
      "Finished augmenting root:compute for KubeStellar",
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
    ]);
    const launch = out.indexOf("Launching KubeStellar ...");
    assertEquals([out[launch - 1], out[launch + 1]], [stars, stars]);
    assertEquals(out.slice(-4), [
      stars,
      "Finished launching KubeStellar ...",
      stars,
      'Current workspace is "root".',
    ]);
    const labels = [
      ["mailbox-controller", "mailbox-controller"],
      ["where-resolver", "kubestellar-where-resolver"],
      ["placement translator", "placement-translator"],
      ["status summarizer", "status-summarizer"],
      ["edge view", "kubestellar-edge-view"],
    ];
    const running = labels.map(([, name]) => name);
    for (const [label, name] of labels) {
      assertTrue(out.includes(` ${label} is running (log file: ${logs}/${name}-log.txt)`), label);
    }
    {
      // The launched mailbox controller works on this server: a SyncTarget gets a mailbox.
      const made = await user.kubectl(
        "kubestellar",
        "ensure",
        "location",
        "--imw",
        "imw1",
        "c1",
        "a=b",
      );
      assertEquals(made.code, 0, made.stderr);
      let mailboxes = "";
      for (let i = 0; i < 200 && !mailboxes.includes("-mb-"); i++) {
        await new Promise((r) => setTimeout(r, 100));
        mailboxes = (await user.kubectl(
          "--server",
          `${cp.url}/clusters/root:espw`,
          "get",
          "workspaces",
          "-o",
          "name",
        )).stdout;
      }
      assertMatch(mailboxes, /^workspace\.tenancy\.kcp\.io\/\S+-mb-\S+$/m);
      // One process hosts the three; each logs to its own file.
      for (const [, name] of labels) {
        const log = await Deno.readTextFile(`${logs}/${name}-log.txt`);
        assertMatch(log, /\] ready: informers synced/);
      }
      assertMatch(
        await Deno.readTextFile(`${logs}/mailbox-controller-log.txt`),
        /mailbox-controller\] created mailbox workspace/,
      );
    }
    const stopped = await user.run("kubestellar", ["stop"], env);
    assertPrinted(
      stopped,
      ...running.map((n) => `An older deployment of ${n} is already running - terminating it ....`),
      "kubestellar stopped .....",
    );
    assertPrinted(await user.run("kubestellar", ["stop"], env), "kubestellar stopped .....");
  } finally {
    await user.run("kubestellar", ["stop"], { KUBESTELLAR_STATE_DIR: join(user.dir, "state") });
    await user.cleanup();
    await cp.stop();
  }
});
