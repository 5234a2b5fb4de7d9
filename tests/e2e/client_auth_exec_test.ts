/**
 * Exec credential plugins (issue 14): a fake plugin that counts its calls and hands out
 * credentials expiring after two seconds, used by a CLI command (its own process), by
 * the mailbox controller and by the syncer. Each works; the plugin runs once per
 * process until its credential expires, and again after.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { makeExecPlugin } from "../support/fake_exec_plugin.ts";
import { syncerConnection } from "../lib/syncer/hub_fixture.ts";
import { withSetUp } from "../lib/syncer/e2e_objects.ts";
import { Logger } from "../../lib/log/logger.ts";
import {
  ensureLocationWith,
  mailboxControllerWith,
  mailboxKubeconfig,
  scratch,
  startCore,
  syncerWith,
  writeKubeconfig,
} from "./client_auth_fixture.ts";

const V1 = "client.authentication.k8s.io/v1";

Deno.test("exec plugin: a CLI command and the mailbox controller authenticate through it", async () => {
  const core = await startCore();
  try {
    const plugin = await makeExecPlugin(scratch(core, "plugin"));
    await Deno.writeTextFile(plugin.tokenFile("root"), core.tokens["kcp-admin"]);
    await Deno.writeTextFile(plugin.tokenFile("admin"), core.tokens["shard-admin"]);
    const kubeconfig = await writeKubeconfig(core.adminKubeconfig, scratch(core, "kc"), {
      "kcp-admin": plugin.user("root", { expirySeconds: 2, provideClusterInfo: true }),
      "shard-admin": plugin.user("admin", { expirySeconds: 2, apiVersion: V1 }),
    });

    await ensureLocationWith(core, kubeconfig, "exec-loc");
    const cliCalls = await plugin.calls();
    assertEquals(cliCalls.length, 1, "one run for the whole command");
    const spec = cliCalls[0].spec as { interactive: boolean; cluster?: { server: string } };
    assertEquals(spec.interactive, false, "stdin is not a terminal");
    assertTrue(spec.cluster?.server.endsWith("/clusters/root"), "provideClusterInfo");

    const lines: string[] = [];
    const t0 = Date.now();
    await mailboxControllerWith(
      core,
      kubeconfig,
      new Logger("mb", { write: (l) => lines.push(l) }),
      3_000,
    );
    const seconds = (Date.now() - t0) / 1000;
    const controllerCalls = (await plugin.calls()).length - cliCalls.length;
    // Both users ran at start; the 2 s credentials expired during the pause and ran again.
    assertTrue(controllerCalls >= 3, `re-run after expiry (${controllerCalls} runs)`);
    assertTrue(
      controllerCalls <= 2 * (seconds / 2 + 2),
      `cached until expiry, not run per request (${controllerCalls} runs in ${seconds}s)`,
    );
    assertEquals(lines.filter((l) => /refused|Unauthorized/.test(l)), []);
  } finally {
    await core.stop();
  }
});

Deno.test("exec plugin: the syncer's mailbox credentials come from it", async () => {
  await withSetUp(false, async (setup) => {
    const dir = await Deno.makeTempDir({ prefix: "exec-syncer-" });
    try {
      const plugin = await makeExecPlugin(dir);
      const token = (await syncerConnection(setup.hub, setup.mb)).token!;
      await Deno.writeTextFile(plugin.tokenFile("syncer"), token);
      const kubeconfig = await mailboxKubeconfig(
        setup,
        `${dir}/kc`,
        plugin.user("syncer", {
          expirySeconds: 2,
          apiVersion: "client.authentication.k8s.io/v1beta1",
        }),
      );
      await syncerWith(setup, kubeconfig, undefined, 3_000);
      const calls = (await plugin.calls()).length;
      assertTrue(calls >= 2, `re-run after expiry (${calls} runs)`);
      assertTrue(calls <= 10, `cached until expiry (${calls} runs)`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
