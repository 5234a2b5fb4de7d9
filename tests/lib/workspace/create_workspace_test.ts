import { assertEquals, assertRejects } from "../../support/assert.ts";
import { createWorkspace, parseLocationSelector } from "../../../lib/workspace/create_workspace.ts";
import { useWorkspace } from "../../../lib/workspace/use_workspace.ts";
import { CURRENT_WORKSPACE_CONTEXT as CUR } from "../../../lib/workspace/workspace_kubeconfig.ts";
import { withWsFixture } from "./ws_fixture.ts";

const WS = "/apis/tenancy.kcp.io/v1alpha1/workspaces";

Deno.test("create --enter waits for Scheduling to turn Ready, then enters", async () => {
  await withWsFixture(async (f) => {
    f.kcp.readyAfterReads = 3;
    const p = await f.run((s) => createWorkspace(s, "espw", { enter: true }));
    assertEquals(p.out, [
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
      'Current workspace is "root:espw" (type root:organization).',
    ]);
    assertEquals(f.kcp.phaseOf("root:espw"), "Ready");
    const calls = f.kcp.calls();
    assertEquals(calls[0], `POST /clusters/root${WS}`);
    // visible (read 1), then polled until the third read sees Ready, then the switch's GET.
    assertEquals(calls.filter((c) => c === `GET /clusters/root${WS}/espw`).length, 4);
    assertEquals(await f.currentContext(), CUR);
    assertEquals(await f.serverOf(), `${f.kcp.url}/clusters/root:espw`);
  });
});

Deno.test("create with --type in a nested workspace, without --enter", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "espw");
    const original = await Deno.readTextFile(f.kubeconfigPath);
    const p = await f.run((s) => createWorkspace(s, "wmw1", { type: "root:Universal" }));
    assertEquals(p.out, [
      'Workspace "wmw1" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "wmw1" (type root:universal) is ready to use.',
    ]);
    const post = f.kcp.server.requests.find((r) => r.method === "POST")!;
    assertEquals(post.url, `/clusters/root:espw${WS}`);
    assertEquals(JSON.parse(post.body).spec, { type: { name: "universal", path: "root" } });
    assertEquals(await Deno.readTextFile(f.kubeconfigPath), original);
  }, "root:espw");
});

Deno.test("create of an existing workspace: 409 without --ignore-existing, accepted with it", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "imw1", { type: { name: "universal", path: "root" } });
    await assertRejects(
      () => f.run((s) => createWorkspace(s, "imw1")),
      /^workspaces\.tenancy\.kcp\.io "imw1" already exists$/,
    );
    let p = await f.run((s) =>
      createWorkspace(s, "imw1", { type: "root:universal", ignoreExisting: true })
    );
    assertEquals(p.out, [
      'Workspace "imw1" (type root:universal) already exists.',
      'Workspace "imw1" (type root:universal) is ready to use.',
    ]);
    p = await f.run((s) =>
      createWorkspace(s, "imw1", { type: "root:universal", ignoreExisting: true, enter: true })
    );
    assertEquals(p.out.at(-1), 'Current workspace is "root:imw1" (type root:universal).');
    await f.run((s) => useWorkspace(s, ".."));
    await assertRejects(
      () =>
        f.run((s) =>
          createWorkspace(s, "imw1", { type: "root:organization", ignoreExisting: true })
        ),
      /^workspace "imw1" cannot be created with type root:organization, it already exists with different type root:universal$/,
    );
    await assertRejects(
      () => f.run((s) => createWorkspace(s, "imw1", { type: "universal", ignoreExisting: true })),
      /^--ignore-existing must not be used with non-absolute type path$/,
    );
  });
});

Deno.test("an existing workspace that is not Ready yet is waited for", async () => {
  await withWsFixture(async (f) => {
    f.kcp.addWorkspace("root", "wmw", {
      type: { name: "universal", path: "root" },
      phase: "Scheduling",
      readyAfterReads: 3,
    });
    const p = await f.run((s) =>
      createWorkspace(s, "wmw", { type: "root:universal", ignoreExisting: true })
    );
    assertEquals(p.out, [
      'Workspace "wmw" (type root:universal) already exists. Waiting for it to be ready...',
      'Workspace "wmw" (type root:universal) is ready to use.',
    ]);
  });
});

Deno.test("waiting for Ready is bounded", async () => {
  await withWsFixture(async (f) => {
    f.kcp.readyAfterReads = 0; // never Ready
    const e = await assertRejects(
      () =>
        f.run(async (s) => {
          s.timing.readyTimeoutMs = 100;
          await createWorkspace(s, "stuck", { enter: true });
        }),
      /^workspace "stuck" did not become ready within 0\.1s/,
    );
    assertEquals(e.name, "UserError");
    assertEquals(await f.currentContext(), "test");
  });
});

Deno.test("create refuses bad names and reports a 403 verbatim", async () => {
  await withWsFixture(async (f) => {
    await assertRejects(
      () => f.run((s) => createWorkspace(s, "Bad")),
      /^invalid workspace name "Bad"/,
    );
    f.kcp.forbidden.add("root");
    await assertRejects(
      () => f.run((s) => createWorkspace(s, "x")),
      /^workspaces\.tenancy\.kcp\.io is forbidden: User "alice" cannot get resource/,
    );
  });
});

Deno.test("--location-selector becomes spec.location.selector", async () => {
  assertEquals(parseLocationSelector("region=eu, tier==gold"), {
    matchLabels: { region: "eu", tier: "gold" },
  });
  await assertRejects(
    () => Promise.resolve(parseLocationSelector("a in (b)")),
    /^invalid --location-selector term "a in \(b\)"/,
  );
  await withWsFixture(async (f) => {
    await f.run((s) => createWorkspace(s, "eu1", { locationSelector: "region=eu" }));
    const post = f.kcp.server.requests.find((r) => r.method === "POST")!;
    assertEquals(JSON.parse(post.body).spec, {
      location: { selector: { matchLabels: { region: "eu" } } },
    });
  });
});
