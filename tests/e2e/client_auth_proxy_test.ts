/**
 * A cluster `proxy-url` (issue 14): a local CONNECT proxy named in the kubeconfig
 * carries the connections of a CLI command (its own process), of the mailbox controller
 * and of the syncer; with a proxy that is down they fail, so nothing went around it.
 * `HTTPS_PROXY` pointing at a dead proxy changes nothing for a loopback server (Go's
 * rule), even though Deno's own fetch would use it.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startConnectProxy } from "../support/connect_proxy.ts";
import { syncerConnection } from "../lib/syncer/hub_fixture.ts";
import { withSetUp } from "../lib/syncer/e2e_objects.ts";
import { Logger } from "../../lib/log/logger.ts";
import {
  ensureLocationWith,
  mailboxControllerWith,
  mailboxKubeconfig,
  runPlugin,
  scratch,
  startCore,
  syncerWith,
  writeKubeconfig,
} from "./client_auth_fixture.ts";

Deno.test("proxy-url: a CLI command and the mailbox controller connect through the proxy", async () => {
  const core = await startCore();
  const proxy = await startConnectProxy();
  try {
    const token = (t: string) => ({ token: t });
    const users = {
      "kcp-admin": token(core.tokens["kcp-admin"]),
      "shard-admin": token(core.tokens["shard-admin"]),
    };
    const kubeconfig = await writeKubeconfig(core.adminKubeconfig, scratch(core, "kc"), users, {
      "proxy-url": proxy.url,
    });
    await ensureLocationWith(core, kubeconfig, "proxied-loc");
    const cli = proxy.connects.length;
    assertTrue(cli >= 1, "the CLI command tunnelled through the proxy");

    await mailboxControllerWith(core, kubeconfig, new Logger("mb", { write: () => {} }));
    assertTrue(proxy.connects.length > cli, "the controller tunnelled through the proxy");

    // tls-server-name needs node:https, whose proxy agent is client-node's: it loads, quietly.
    const named = await writeKubeconfig(core.adminKubeconfig, scratch(core, "named"), users, {
      "proxy-url": proxy.url,
      "tls-server-name": "localhost",
    });
    const viaAgent = proxy.connects.length;
    await ensureLocationWith(core, named, "agent-loc"); // runPlugin: no Node warnings
    assertTrue(proxy.connects.length > viaAgent, "client-node's agent tunnelled");

    const dead = await writeKubeconfig(core.adminKubeconfig, scratch(core, "dead"), users, {
      "proxy-url": "http://127.0.0.1:9",
    });
    const r = await runPlugin(["ensure", "location", "--imw", "imw1", "x", "a=b"], dead);
    assertEquals(r.code, 1);
    assertTrue(/cannot connect to the server/.test(r.stderr), r.stderr);

    const direct = await writeKubeconfig(core.adminKubeconfig, scratch(core, "direct"), users);
    const before = proxy.connects.length;
    const env = await runPlugin(
      ["ensure", "location", "--imw", "imw1", "direct-loc", "a=b"],
      direct,
      { HTTPS_PROXY: "http://127.0.0.1:9", ALL_PROXY: "http://127.0.0.1:9" },
    );
    assertEquals(env.code, 0, `loopback ignores HTTPS_PROXY: ${env.stderr}`);
    assertEquals(proxy.connects.length, before);
  } finally {
    await proxy.close();
    await core.stop();
  }
});

Deno.test("proxy-url: the syncer reaches its mailbox through the proxy", async () => {
  await withSetUp(false, async (setup) => {
    const dir = await Deno.makeTempDir({ prefix: "proxy-syncer-" });
    const proxy = await startConnectProxy();
    try {
      const token = (await syncerConnection(setup.hub, setup.mb)).token!;
      const kubeconfig = await mailboxKubeconfig(setup, `${dir}/kc`, { token }, {
        "proxy-url": proxy.url,
      });
      await syncerWith(setup, kubeconfig);
      assertTrue(proxy.connects.length >= 1, "the syncer tunnelled through the proxy");
    } finally {
      await proxy.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
});
