import { assertEquals, assertRejects, assertTrue } from "../../../support/assert.ts";
import { startController } from "../../../../lib/controllers/runtime/controller_host.ts";
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

Deno.test("controller host: a changed kubeconfig restarts the controller with new clients", async () => {
  await withKubeconfig(async (kubeconfig) => {
    const tokens: (string | undefined)[] = [];
    const runs = Promise.withResolvers<void>();
    const def: ControllerDefinition = {
      name: "reloading",
      async run(ctx, signal) {
        tokens.push(ctx.client.config.token);
        ctx.setReady();
        if (tokens.length === 2) runs.resolve();
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
      assertEquals(tokens.length, 1, "unchanged file: no restart");
      await Deno.writeTextFile(kubeconfig, KUBECONFIG.replace("token: t", "token: t2"));
      await runs.promise;
      assertEquals(tokens, ["t", "t2"]);
    } finally {
      await running.stop();
    }
    await running.done;
  });
});
