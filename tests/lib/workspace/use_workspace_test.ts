import { assertEquals, assertRejects } from "../../support/assert.ts";
import { HOME_NOTE, useWorkspace } from "../../../lib/workspace/use_workspace.ts";
import {
  CURRENT_WORKSPACE_CONTEXT as CUR,
  PREVIOUS_WORKSPACE_CONTEXT as PREV,
} from "../../../lib/workspace/workspace_kubeconfig.ts";
import { withWsFixture } from "./ws_fixture.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import { openWorkspaceSession } from "../../../lib/workspace/workspace_session.ts";

const WS = "/apis/tenancy.kcp.io/v1alpha1/workspaces";

Deno.test("ws . prints the current workspace without calling the server", async () => {
  await withWsFixture(async (f) => {
    assertEquals((await f.run((s) => useWorkspace(s, "."))).out, [
      'Current workspace is "root:espw".',
    ]);
    assertEquals((await f.run((s) => useWorkspace(s, ".", { short: true }))).out, ["root:espw"]);
    assertEquals(f.kcp.calls(), []);
  }, "root:espw");
});

Deno.test("relative, absolute, .., root and - switches print kcp's lines and rewrite the kubeconfig", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "espw");
    f.kcp.addWorkspace("root", "imw1", { type: { name: "universal", path: "root" } });
    f.kcp.addWorkspace("root:imw1", "inner", { type: { name: "universal", path: "root" } });
    const base = f.kcp.url;

    let p = await f.run((s) => useWorkspace(s, "espw"));
    assertEquals(p.out, ['Current workspace is "root:espw" (type root:organization).']);
    assertEquals(p.err, []);
    assertEquals(await f.currentContext(), CUR);
    assertEquals(await f.serverOf(), `${base}/clusters/root:espw`);
    assertEquals(await f.clusterOf(PREV), "test");
    assertEquals(await f.serverOf("test"), `${base}/clusters/root`);
    assertEquals(f.kcp.calls(), [
      `GET /clusters/root${WS}/espw`,
      "GET /clusters/root:espw/apis/apis.kcp.io/v1alpha1/apibindings",
    ]);

    p = await f.run((s) => useWorkspace(s, ".."));
    assertEquals(p.out, ['Current workspace is "root".']);
    assertEquals(await f.serverOf(), `${base}/clusters/root`);
    assertEquals(await f.serverOf(PREV), `${base}/clusters/root:espw`);

    p = await f.run((s) => useWorkspace(s, "root:imw1:inner"));
    assertEquals(p.out, ['Current workspace is "root:imw1:inner".']);
    assertEquals(await f.serverOf(), `${base}/clusters/root:imw1:inner`);

    p = await f.run((s) => useWorkspace(s, "-"));
    assertEquals(p.out, ['Current workspace is "root".']);
    assertEquals(await f.serverOf(), `${base}/clusters/root`);
    assertEquals(await f.serverOf(PREV), `${base}/clusters/root:imw1:inner`);

    p = await f.run((s) => useWorkspace(s, "-", { short: true }));
    assertEquals(p.out, ["root:imw1:inner"]);
    assertEquals(await f.serverOf(), `${base}/clusters/root:imw1:inner`);

    p = await f.run((s) => useWorkspace(s, ".."));
    assertEquals(p.out, ['Current workspace is "root:imw1".']);

    const before = f.kcp.calls().length;
    p = await f.run((s) => useWorkspace(s, "root"));
    assertEquals(p.out, ['Current workspace is "root".']);
    assertEquals(f.kcp.calls().slice(before), [
      "GET /clusters/root/apis/apis.kcp.io/v1alpha1/apibindings",
    ]);

    p = await f.run((s) => useWorkspace(s, "system:admin"));
    assertEquals(p.out, ['Current workspace is "system:admin".']);
  });
});

Deno.test("switch failures print kcp's messages and leave the kubeconfig alone", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "slow", { phase: "Scheduling" });
    f.kcp.addWorkspace("root", "secret");
    f.kcp.forbidden.add("root:secret");
    const original = await Deno.readTextFile(f.kubeconfigPath);
    const fails = async (target: string, message: RegExp) => {
      await assertRejects(() => f.run((s) => useWorkspace(s, target)), message);
      assertEquals(await Deno.readTextFile(f.kubeconfigPath), original, target);
    };
    await fails("nope", /^workspaces\.tenancy\.kcp\.io "nope" not found$/);
    await fails("slow", /^workspace "slow" is not ready$/);
    await fails("root:nope", /^workspace "root:nope" not found$/);
    await fails("root:secret", /^access to workspace root:secret denied$/);
    await fails("Bad_Name", /^invalid workspace name format: Bad_Name$/);
    await fails("root:a::b", /^invalid workspace name format: root:a::b$/);
    await fails("..", /^current workspace is "root"$/);
    await fails("-", /^no previous workspace found in kubeconfig$/);
  });
});

Deno.test("ws .. in a top-level workspace other than root has no parent", async () => {
  await withWsFixture(async (f) => {
    await assertRejects(
      () => f.run((s) => useWorkspace(s, "..")),
      /^current workspace "system" has no parent$/,
    );
  }, "system");
});

Deno.test("a server URL without /clusters/ is not a workspace", async () => {
  await withWsFixture(async (f) => {
    const kc = await Deno.readTextFile(f.kubeconfigPath);
    await Deno.writeTextFile(f.kubeconfigPath, kc.replace(`${f.kcp.url}/clusters/root`, f.kcp.url));
    assertEquals((await f.run((s) => useWorkspace(s, "."))).out, [
      `Current workspace is the URL "${f.kcp.url}".`,
    ]);
    assertEquals((await f.run((s) => useWorkspace(s, ".", { short: true }))).out, []);
    await assertRejects(
      () => f.run((s) => useWorkspace(s, "root")),
      new RegExp(`^current URL "${f.kcp.url}" does not point to a workspace$`),
    );
  });
});

Deno.test("unresolved permission claims of APIBindings are warned about after a switch", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "wmw", { type: { name: "universal", path: "root" } });
    f.kcp.apiBindings.set("root:wmw", [{
      metadata: { name: "bind-espw" },
      spec: { permissionClaims: [{ resource: "secrets", state: "Accepted" }] },
      status: {
        exportPermissionClaims: [
          { resource: "secrets" },
          { group: "apps", resource: "deployments", identityHash: "abc" },
        ],
      },
    }]);
    const p = await f.run((s) => useWorkspace(s, "wmw"));
    assertEquals(p.out, [
      "Warning: claim for deployments.apps:abc exported but not specified on APIBinding bind-espw",
      "Add this claim to the APIBinding's Spec.",
      "Warning: claim for deployments.apps:abc specified on APIBinding bind-espw but not accepted or rejected.",
      'Current workspace is "root:wmw" (type root:universal).',
    ]);
  });
});

Deno.test("a failing APIBinding check is reported on stderr without failing the switch", async () => {
  await withWsFixture(async (f) => {
    const p = await f.run((s) => useWorkspace(s, "system:admin"));
    assertEquals(p.out, ['Current workspace is "system:admin".']);
    assertEquals(p.err.length, 1);
    assertEquals(p.err[0].startsWith("error checking APIBindings: "), true);
  });
});

Deno.test("ws ~ and a bare ws go to the home workspace; the bare form adds kcp's note", async () => {
  await withWsFixture(async (f) => {
    f.kcp.homePath = "root:users:ab:alice";
    let p = await f.run((s) => useWorkspace(s, "~"));
    assertEquals(p.out, ['Current workspace is "root:users:ab:alice".']);
    assertEquals(await f.serverOf(), `${f.kcp.url}/clusters/root:users:ab:alice`);
    await f.run((s) => useWorkspace(s, "-"));
    p = await f.run((s) => useWorkspace(s, ""));
    assertEquals(p.out, ['Current workspace is "root:users:ab:alice".', HOME_NOTE]);
    assertEquals(HOME_NOTE.startsWith("Note: 'kubectl ws' now matches 'cd' semantics"), true);
  });
});

Deno.test("an absolute switch is not blocked by a 403 in the parent, only by discovery", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "org");
    f.kcp.addWorkspace("root:org", "team", { type: { name: "universal", path: "root" } });
    f.kcp.forbidden.add("root:org");
    const p = await f.run((s) => useWorkspace(s, "root:org:team"));
    assertEquals(p.out, ['Current workspace is "root:org:team".']);
    await assertRejects(
      () => f.run((s) => useWorkspace(s, "root:org")),
      /^access to workspace root:org denied$/,
    );
  });
});

Deno.test("--context selects the context whose workspace is current and is copied", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "espw");
    const kc = await loadKubeconfig({ kubeconfig: f.kubeconfigPath });
    kc.set("clusters", "other", {
      ...kc.find("clusters", "test")!.value,
      server: `${f.kcp.url}/clusters/root:espw`,
    });
    kc.set("contexts", "other", { cluster: "other", user: "test", namespace: "n2" });
    await kc.save();
    const printed: string[] = [];
    const session = await openWorkspaceSession(
      { kubeconfig: f.kubeconfigPath, context: "other" },
      { out: (l) => printed.push(l), err: () => {} },
    );
    try {
      await useWorkspace(session, ".");
      await useWorkspace(session, "..");
    } finally {
      session.close();
    }
    assertEquals(printed, ['Current workspace is "root:espw".', 'Current workspace is "root".']);
    assertEquals(await f.serverOf(CUR), `${f.kcp.url}/clusters/root`);
    const after = await loadKubeconfig({ kubeconfig: f.kubeconfigPath });
    assertEquals(after.find("contexts", CUR)?.value, {
      cluster: CUR,
      user: "test",
      namespace: "n2",
    });
    assertEquals(after.find("contexts", PREV)?.value, {
      cluster: "other",
      user: "test",
      namespace: "n2",
    });
  });
});

Deno.test("an unreachable server fails an absolute switch (the readiness test of the scripts)", async () => {
  await withWsFixture(async (f) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const deadPort = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const kc = await Deno.readTextFile(f.kubeconfigPath);
    await Deno.writeTextFile(
      f.kubeconfigPath,
      kc.replace(f.kcp.url, `https://127.0.0.1:${deadPort}`),
    );
    await assertRejects(
      () => f.run((s) => useWorkspace(s, "root:compute")),
      new RegExp(`^cannot connect to the server at https://127\\.0\\.0\\.1:${deadPort}/clusters/`),
    );
  });
});
