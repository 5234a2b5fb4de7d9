import { assertEquals, assertRejects, assertTrue } from "../../../support/assert.ts";
import {
  runControllerProcess,
  startController,
  startControllers,
} from "../../../../lib/controllers/runtime/controller_host.ts";
import { parseControllerFlags } from "../../../../lib/controllers/runtime/controller_flags.ts";
import type { ControllerDefinition } from "../../../../lib/controllers/runtime/controller_context.ts";
import { Logger } from "../../../../lib/log/logger.ts";

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: base
  cluster: {server: "https://127.0.0.1:1"}
- name: root
  cluster: {server: "https://127.0.0.1:1/clusters/root"}
contexts:
- name: root
  context: {cluster: root, user: u}
- name: system:admin
  context: {cluster: base, user: u}
current-context: root
users:
- name: u
  user: {token: t}
`;

async function withKubeconfig(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/kc`, KUBECONFIG, { mode: 0o600 });
    await fn(`${dir}/kc`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const quiet = new Logger("t", { write: () => {} });

async function get(port: number, path: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  await res.body?.cancel();
  return res.status;
}

Deno.test("controller host: /readyz follows setReady, /metrics and /healthz served, stop waits", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const gate = Promise.withResolvers<void>();
    let stoppedCleanly = false;
    const def: ControllerDefinition = {
      name: "fake",
      async run(ctx, signal) {
        assertEquals(ctx.espwPath, "root:espw");
        assertTrue(ctx.client.server.endsWith("/clusters/root"));
        await gate.promise;
        ctx.setReady();
        await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
        stoppedCleanly = true;
      },
    };
    const running = await startController(def, {
      flags: parseControllerFlags(["--kubeconfig", kubeconfig]),
      log: quiet,
    });
    try {
      assertEquals(await get(running.port, "/healthz"), 200);
      assertEquals(await get(running.port, "/readyz"), 503);
      gate.resolve();
      await running.ready;
      assertEquals(await get(running.port, "/readyz"), 200);
      const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
      assertTrue(metrics.includes("kubestellar_controller_ready 1"), metrics);
    } finally {
      await running.stop();
    }
    assertTrue(stoppedCleanly);
    await running.done;
  });
});

Deno.test("controller host: a controller that ends by itself or throws is an error", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const flags = parseControllerFlags(["--kubeconfig", kubeconfig]);
    const early = await startController(
      { name: "early", run: () => Promise.resolve() },
      { flags, log: quiet },
    );
    await assertRejects(() => early.done, /ended by itself/);
    await assertRejects(() => early.ready, /ended before it was ready/);
    const boom = await startController(
      { name: "boom", run: () => Promise.reject(new Error("kaput")) },
      { flags, log: quiet },
    );
    await assertRejects(() => boom.done, /kaput/);
  });
});

Deno.test("controller host: a missing context is one clear error", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const flags = parseControllerFlags([
      "--kubeconfig",
      kubeconfig,
      "--allclusters-context",
      "nope",
    ]);
    await assertRejects(
      () => startController({ name: "x", run: () => Promise.resolve() }, { flags, log: quiet }),
      /context "nope" does not exist/,
    );
  });
});

Deno.test("controller host: a changed server restarts the controller with new clients; new credentials alone do not", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const servers: string[] = [];
    const runs = Promise.withResolvers<void>();
    const def: ControllerDefinition = {
      name: "reloading",
      async run(ctx, signal) {
        servers.push(ctx.client.server);
        ctx.setReady();
        if (servers.length === 2) runs.resolve();
        await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
      },
    };
    const running = await startController(def, {
      flags: parseControllerFlags(["--kubeconfig", kubeconfig]),
      log: quiet,
      reloadIntervalMs: 20,
    });
    try {
      await running.ready;
      await new Promise((r) => setTimeout(r, 60));
      assertEquals(servers.length, 1, "unchanged file: no restart");
      await Deno.writeTextFile(kubeconfig, KUBECONFIG.replace("token: t", "token: t2"));
      await new Promise((r) => setTimeout(r, 100));
      assertEquals(servers.length, 1, "a new token is taken on 401, without a restart");
      await Deno.writeTextFile(kubeconfig, KUBECONFIG.replaceAll("127.0.0.1:1", "127.0.0.1:2"));
      await runs.promise;
      assertEquals(servers, [
        "https://127.0.0.1:1/clusters/root",
        "https://127.0.0.1:2/clusters/root",
      ]);
    } finally {
      await running.stop();
    }
    await running.done;
  });
});

/** A controller that becomes ready when told, and counts how it ended. */
function gated(name: string, ended: string[]) {
  const gate = Promise.withResolvers<void>();
  const def: ControllerDefinition = {
    name,
    async run(ctx, signal) {
      ctx.metrics.counter("kubestellar_reconcile_total", "Reconciles run.", ["controller"])
        .inc({ controller: name });
      await gate.promise;
      if (signal.aborted) return void ended.push(name);
      ctx.setReady();
      await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
      ended.push(name);
    },
  };
  return { def, open: () => gate.resolve() };
}

Deno.test("controller host: several controllers share one process, readiness and metrics", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const ended: string[] = [];
    const a = gated("a", ended);
    const b = gated("b", ended);
    const lines: string[] = [];
    const log = (name: string) => new Logger(name, { write: (l) => lines.push(l) });
    const running = await startControllers(
      [{ def: a.def, log: log("a") }, { def: b.def, log: log("b") }],
      { flags: parseControllerFlags(["--kubeconfig", kubeconfig]) },
    );
    try {
      a.open();
      await new Promise((r) => setTimeout(r, 20));
      assertEquals(await get(running.port, "/readyz"), 503, "one of two ready is not ready");
      b.open();
      await running.ready;
      assertEquals(await get(running.port, "/readyz"), 200);
      const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
      assertEquals(metrics.split("# TYPE kubestellar_reconcile_total").length, 2);
      assertTrue(metrics.includes('kubestellar_reconcile_total{controller="b"} 1'));
    } finally {
      await running.stop();
    }
    assertEquals(ended.sort(), ["a", "b"]);
    assertTrue(lines.some((l) => l.includes(" a] starting") && l.includes('process="a, b"')));
    assertTrue(lines.some((l) => l.includes(" b] stopped")));
  });
});

Deno.test("controller host: one failing controller stops the others and ends the host", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const ended: string[] = [];
    const healthy = gated("healthy", ended);
    healthy.open();
    const lines: string[] = [];
    const failing: ControllerDefinition = {
      name: "failing",
      async run() {
        await new Promise((r) => setTimeout(r, 20));
        throw new Error("no ESPW");
      },
    };
    const running = await startControllers([
      { def: healthy.def, log: new Logger("healthy", { write: (l) => lines.push(l) }) },
      { def: failing, log: new Logger("failing", { write: (l) => lines.push(l) }) },
    ], { flags: parseControllerFlags(["--kubeconfig", kubeconfig]) });
    await assertRejects(() => running.done, /no ESPW/);
    assertEquals(ended, ["healthy"]);
    assertTrue(lines.some((l) => /^E.* failing\] controller failed error="no ESPW"/.test(l)));
  });
});

Deno.test("controller process: with --log-folder each controller logs to its own file", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const folder = await Deno.makeTempDir();
    try {
      const failing = (name: string): ControllerDefinition => ({
        name,
        run: () => Promise.reject(new Error(`${name} broke`)),
      });
      const code = await runControllerProcess([
        { def: failing("one"), executable: "one-exe" },
        { def: failing("two"), executable: "two-exe" },
      ], parseControllerFlags(["--kubeconfig", kubeconfig, "--log-folder", folder]));
      assertEquals(code, 1);
      const one = await Deno.readTextFile(`${folder}/one-exe-log.txt`);
      assertTrue(one.includes(" one] starting") && !one.includes(" two]"), one);
      assertTrue((await Deno.readTextFile(`${folder}/two-exe-log.txt`)).includes(" two] "));
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  });
});
