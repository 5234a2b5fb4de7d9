import { join } from "node:path";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { type CliResult, MAIN_TS, runCli } from "../support/cli.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { type FakeKcp, startFakeKcp } from "../support/fake_kcp_workspaces.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { startKcpLite } from "../../lib/kcplite/kcp_lite_server.ts";

interface Env {
  kcp: FakeKcp;
  kubeconfig: string;
  ws(...args: string[]): Promise<CliResult>;
  server(): Promise<string | undefined>;
}

async function withKcp(fn: (env: Env) => Promise<void>): Promise<void> {
  const kcp = await startFakeKcp();
  const dir = await Deno.makeTempDir({ prefix: "ws-cmd-" });
  const kubeconfig = join(dir, "admin.kubeconfig");
  await Deno.writeTextFile(kubeconfig, kcp.kubeconfig("root"));
  const env: Env = {
    kcp,
    kubeconfig,
    ws: (...args) =>
      runCli(args, { as: "kubectl-ws", env: { KUBECONFIG: kubeconfig, HOME: dir }, cwd: dir }),
    server: async () => {
      const kc = await loadKubeconfig({ kubeconfig });
      const ctx = kc.find("contexts", kc.currentContext)?.value;
      return kc.find("clusters", ctx?.cluster ?? "")?.value.server;
    },
  };
  try {
    await fn(env);
  } finally {
    await kcp.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function ok(r: CliResult, ...lines: string[]): void {
  assertEquals({ code: r.code, stdout: r.stdout, stderr: r.stderr }, {
    code: 0,
    stdout: lines.map((l) => l + "\n").join(""),
    stderr: "",
  });
}

Deno.test("kubectl ws: the KubeStellar script flow with exact output", async () => {
  await withKcp(async ({ kcp, ws, server, kubeconfig }) => {
    kcp.readyAfterReads = 3;
    ok(await ws("."), 'Current workspace is "root".');
    ok(
      await ws("create", "espw", "--enter"),
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
      'Current workspace is "root:espw" (type root:organization).',
    );
    assertEquals(await server(), `${kcp.url}/clusters/root:espw`);
    ok(await ws(".", "--short"), "root:espw");
    ok(await ws(".."), 'Current workspace is "root".');
    ok(await ws("use", "root:espw"), 'Current workspace is "root:espw".');
    ok(await ws("-"), 'Current workspace is "root".');
    // kubectl flags are accepted anywhere on the line.
    ok(await ws("--kubeconfig", kubeconfig, "espw", "--short"), "root:espw");
    ok(await ws("tree", "--kubeconfig", kubeconfig), ".", "└── espw", "");
    ok(await ws("root", "--short"), "root");
  });
});

Deno.test("kubectl ws: failures print Error: lines on stderr and exit 1", async () => {
  await withKcp(async ({ kcp, ws, kubeconfig }) => {
    const before = await Deno.readTextFile(kubeconfig);
    kcp.addWorkspace("root", "taken");
    // None of these writes the kubeconfig, so they may run side by side.
    const [notFound, noPrevious, taken, strayFlag, extraArg] = await Promise.all([
      ws("nope"),
      ws("-"),
      ws("create", "taken"),
      ws("tree", "--enter"),
      ws("a", "b"),
    ]);
    assertEquals([notFound.code, notFound.stdout, notFound.stderr], [
      1,
      "",
      'Error: workspaces.tenancy.kcp.io "nope" not found\n',
    ]);
    assertEquals([noPrevious.code, noPrevious.stderr], [
      1,
      "Error: no previous workspace found in kubeconfig\n",
    ]);
    assertEquals([taken.code, taken.stderr], [
      1,
      'Error: workspaces.tenancy.kcp.io "taken" already exists\n',
    ]);
    assertEquals(strayFlag.code, 1);
    assertMatch(strayFlag.stderr, /^kubectl-ws: flag --enter does not apply to "ws tree"\nUsage: /);
    assertEquals(extraArg.code, 1);
    assertMatch(extraArg.stderr, /^kubectl-ws: too many arguments: b\n/);
    assertEquals(await Deno.readTextFile(kubeconfig), before);
  });
});

Deno.test("kubectl ws create-context saves the workspace as its own context", async () => {
  await withKcp(async ({ kcp, ws, kubeconfig }) => {
    ok(await ws("create-context"), 'Created context "root" and switched to it.');
    let r = await ws("create-context");
    assertEquals([r.code, r.stderr], [
      1,
      'Error: context "root" already exists in kubeconfig, use --overwrite to update it\n',
    ]);
    ok(await ws("create-context", "--overwrite"), 'Updated context "root".');
    ok(
      await ws("create-context", "test", "--overwrite"),
      'Updated context "test" and switched to it.',
    );
    const kc = await loadKubeconfig({ kubeconfig });
    assertEquals(kc.currentContext, "test");
    assertEquals(kc.find("clusters", "root")?.value.server, `${kcp.url}/clusters/root`);
    r = await ws("--help");
    assertEquals(r.code, 0);
    assertMatch(r.stdout, /^Usage: kubectl ws /);
  });
});

Deno.test("real kubectl runs kubectl-ws as a plugin and then uses the rewritten kubeconfig", async () => {
  const { kubectl } = await kubeTools();
  await withKcp(async ({ kcp, kubeconfig }) => {
    kcp.addWorkspace("root", "espw");
    const bin = join(kubeconfig, "..", "bin");
    await Deno.mkdir(bin);
    const wrapper = join(bin, "kubectl-ws");
    await Deno.writeTextFile(
      wrapper,
      `#!/bin/sh\nKUBESTELLAR_INVOKED_AS=kubectl-ws exec "${Deno.execPath()}" run -A --quiet "${MAIN_TS}" "$@"\n`,
    );
    await Deno.chmod(wrapper, 0o755);
    const kubectlRun = async (...args: string[]) => {
      const r = await new Deno.Command(kubectl, {
        args,
        env: {
          PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`,
          KUBECONFIG: kubeconfig,
          HOME: join(kubeconfig, ".."),
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
    };
    ok(
      await kubectlRun("ws", "espw"),
      'Current workspace is "root:espw" (type root:organization).',
    );
    const version = await kubectlRun("version", "-o", "json");
    assertEquals(version.code, 0, version.stderr);
    assertEquals(JSON.parse(version.stdout).serverVersion.gitVersion, "v1.24.3+kcp-fake");
    assertEquals(kcp.calls().at(-1), "GET /clusters/root:espw/version");
    const view = await kubectlRun("config", "view", "-o", "jsonpath={.current-context}");
    assertEquals(view.stdout, "workspace.kcp.io/current");
  });
});

Deno.test("kubectl-ws against kcp-lite in kcp mode", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ws-cmd-kcplite-" });
  const kcp = await startKcpLite({ rootDirectory: join(dir, ".kcp"), securePort: 0, mode: "kcp" });
  const ws = (...args: string[]) =>
    runCli(args, {
      as: "kubectl-ws",
      env: { KUBECONFIG: kcp.adminKubeconfigPath, HOME: dir },
      cwd: dir,
    });
  try {
    ok(await ws("root:compute"), 'Current workspace is "root:compute".');
    ok(await ws("root"), 'Current workspace is "root".');
    ok(
      await ws("create", "imw1", "--type", "root:universal", "--enter"),
      'Workspace "imw1" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "imw1" (type root:universal) is ready to use.',
      'Current workspace is "root:imw1" (type root:universal).',
    );
  } finally {
    await kcp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
