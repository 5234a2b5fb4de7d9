import { join } from "node:path";
import { assertEquals, assertMatch, assertRejects } from "../support/assert.ts";
import { type CliResult, MAIN_TS, runCli } from "../support/cli.ts";
import { type FakeKcp, startFakeKcp } from "../support/fake_kcp_workspaces.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { UserError } from "../../lib/cli/errors.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { startKcpLite } from "../../lib/kcplite/kcp_lite_server.ts";
import { runWs } from "../../commands/ws.ts";
import { assertPrinted } from "../support/command_output.ts";

interface Env {
  kcp: FakeKcp;
  dir: string;
  kubeconfig: string;
  /** Runs `kubectl-ws` as a separate process. */
  cli(...args: string[]): Promise<CliResult>;
  /** Runs the command in-process (with `--kubeconfig`); resolves to its stdout lines. */
  ws(...args: string[]): Promise<string[]>;
  server(): Promise<string | undefined>;
}

async function withKcp(fn: (env: Env) => Promise<void>): Promise<void> {
  const kcp = await startFakeKcp();
  const dir = await Deno.makeTempDir({ prefix: "ws-cmd-" });
  const kubeconfig = join(dir, "admin.kubeconfig");
  await Deno.writeTextFile(kubeconfig, kcp.kubeconfig("root"));
  const env: Env = {
    kcp,
    dir,
    kubeconfig,
    cli: (...args) =>
      runCli(args, { as: "kubectl-ws", env: { KUBECONFIG: kubeconfig, HOME: dir }, cwd: dir }),
    ws: async (...args) => {
      const lines: string[] = [];
      await runWs("kubectl-ws", ["--kubeconfig", kubeconfig, ...args], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(`stderr: ${l}`),
        timing: { pollMs: 10, visiblePollMs: 10 },
      });
      return lines;
    },
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

Deno.test("kubectl-ws as a process: exact lines, exit codes, Error: on stderr", async () => {
  await withKcp(async ({ kcp, cli, server }) => {
    kcp.readyAfterReads = 3;
    assertPrinted(await cli("."), 'Current workspace is "root".');
    assertPrinted(
      await cli("create", "espw", "--enter"),
      'Workspace "espw" (type root:organization) created. Waiting for it to be ready...',
      'Workspace "espw" (type root:organization) is ready to use.',
      'Current workspace is "root:espw" (type root:organization).',
    );
    assertEquals(await server(), `${kcp.url}/clusters/root:espw`);
    assertPrinted(await cli("-", "--short"), "root");
    const r = await cli("nope");
    assertEquals([r.code, r.stdout, r.stderr], [
      1,
      "",
      'Error: workspaces.tenancy.kcp.io "nope" not found\n',
    ]);
  });
});

Deno.test("kubectl ws forms in the KubeStellar scripts, kubectl flags anywhere", async () => {
  await withKcp(async ({ kcp, ws, server }) => {
    kcp.addWorkspace("root", "espw");
    assertEquals(await ws("espw"), ['Current workspace is "root:espw" (type root:organization).']);
    assertEquals(await ws(".", "--short"), ["root:espw"]);
    assertEquals(await ws(".."), ['Current workspace is "root".']);
    assertEquals(await ws("use", "root:espw"), ['Current workspace is "root:espw".']);
    assertEquals(await ws("-"), ['Current workspace is "root".']);
    assertEquals(await ws("current"), ['Current workspace is "root".']);
    assertEquals(await ws("--namespace", "x", "espw", "--short", "--request-timeout=5s"), [
      "root:espw",
    ]);
    assertEquals(await ws("tree"), [".", "└── espw", ""]);
    assertEquals(await ws("root"), ['Current workspace is "root".']);
    assertEquals(await ws("-f", "tree"), [".", "└── root", "    └── root:espw", ""]);
    assertEquals(await ws("create", "--type=root:universal", "wmw1", "--ignore-existing"), [
      'Workspace "wmw1" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "wmw1" (type root:universal) is ready to use.',
    ]);
    assertEquals(await server(), `${kcp.url}/clusters/root`);
  });
});

Deno.test("kubectl ws errors: kcp's messages after Error:, usage errors exit 1", async () => {
  await withKcp(async ({ kcp, ws, kubeconfig }) => {
    const before = await Deno.readTextFile(kubeconfig);
    kcp.addWorkspace("root", "taken");
    const fails = async (args: string[], message: RegExp) => {
      const e = await assertRejects(() => ws(...args), message);
      assertEquals(e instanceof UserError && e.exitCode, 1, args.join(" "));
    };
    await fails(["root:nope"], /^Error: workspace "root:nope" not found$/);
    await fails(["-"], /^Error: no previous workspace found in kubeconfig$/);
    await fails([".."], /^Error: current workspace is "root"$/);
    await fails(
      ["create", "taken"],
      /^Error: workspaces\.tenancy\.kcp\.io "taken" already exists$/,
    );
    await fails(["tree", "--enter"], /^kubectl-ws: flag --enter does not apply to "ws tree"$/);
    await fails(["a", "b"], /^kubectl-ws: too many arguments: b$/);
    await fails(["use"], /^kubectl-ws: use needs a workspace$/);
    await fails(["create"], /^kubectl-ws: create needs a workspace name$/);
    await fails(["--bogus"], /^kubectl-ws: unknown flag "--bogus"/);
    await fails(["create", "x", "--type"], /^kubectl-ws: missing workspace type$/);
    assertEquals(await Deno.readTextFile(kubeconfig), before);
    const help = await ws("--help");
    assertMatch(help[0], /^Usage: kubectl ws /);
  });
});

Deno.test("kubectl ws create-context saves the workspace as its own context", async () => {
  await withKcp(async ({ kcp, ws, kubeconfig }) => {
    assertEquals(await ws("create-context"), ['Created context "root" and switched to it.']);
    await assertRejects(
      () => ws("create-context"),
      /^Error: context "root" already exists in kubeconfig, use --overwrite to update it$/,
    );
    assertEquals(await ws("create-context", "--overwrite"), ['Updated context "root".']);
    assertEquals(await ws("create-context", "test", "--overwrite"), [
      'Updated context "test" and switched to it.',
    ]);
    const kc = await loadKubeconfig({ kubeconfig });
    assertEquals(kc.currentContext, "test");
    assertEquals(kc.find("clusters", "root")?.value.server, `${kcp.url}/clusters/root`);
  });
});

Deno.test("real kubectl runs kubectl-ws as a plugin and then uses the rewritten kubeconfig", async () => {
  const { kubectl } = await kubeTools();
  await withKcp(async ({ kcp, kubeconfig, dir }) => {
    kcp.addWorkspace("root", "espw");
    const bin = join(dir, "bin");
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
          HOME: dir,
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
    };
    assertPrinted(
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
  const cli = (...args: string[]) =>
    runCli(args, {
      as: "kubectl-ws",
      env: { KUBECONFIG: kcp.adminKubeconfigPath, HOME: dir },
      cwd: dir,
    });
  try {
    assertPrinted(await cli("root:compute"), 'Current workspace is "root:compute".');
    assertPrinted(
      await cli("create", "imw1", "--type", "root:universal", "--enter"),
      'Workspace "imw1" (type root:universal) created. Waiting for it to be ready...',
      'Workspace "imw1" (type root:universal) is ready to use.',
      'Current workspace is "root:compute:imw1" (type root:universal).',
    );
  } finally {
    await kcp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
