import { assertEquals, assertRejects } from "../../support/assert.ts";
import { makeExecPlugin } from "../../support/fake_exec_plugin.ts";
import {
  type ExecConfig,
  execCredentials,
  type ExecRuntime,
  parseExecCredential,
} from "../../../lib/kube/exec_credentials.ts";

const V1 = "client.authentication.k8s.io/v1";
const V1BETA1 = "client.authentication.k8s.io/v1beta1";

async function withPlugin(
  fn: (plugin: Awaited<ReturnType<typeof makeExecPlugin>>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "exec-plugin-" });
  try {
    const plugin = await makeExecPlugin(dir);
    await Deno.writeTextFile(plugin.tokenFile("a"), "token-1\n");
    await fn(plugin, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejectsWith(fn: () => Promise<unknown>, message: string): Promise<void> {
  assertEquals((await assertRejects(fn)).message, message);
}

function configOf(user: Record<string, unknown>): ExecConfig {
  const exec = user.exec as ExecConfig;
  return { ...exec, interactiveMode: exec.interactiveMode };
}

/** A clock the test moves, and a terminal that is not there. */
function fakeRuntime(terminal = false): ExecRuntime & { advance(ms: number): void } {
  let t = Date.now();
  return {
    stdinIsTerminal: () => terminal,
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

Deno.test("exec plugin: env, args and KUBERNETES_EXEC_INFO; cached until expiry; re-run on 401", async () => {
  await withPlugin(async (plugin) => {
    const runtime = fakeRuntime();
    const source = execCredentials(
      configOf(plugin.user("a", { expirySeconds: 60 })),
      { server: "https://kcp.example:6443/clusters/root" },
      runtime,
    );
    const [first, again] = await Promise.all([source.current(), source.current()]);
    assertEquals(first, { token: "token-1" });
    assertEquals(again, first);
    assertEquals(await source.current(), first);
    let calls = await plugin.calls();
    assertEquals(calls.length, 1, "concurrent and repeated requests share one run");
    assertEquals(calls[0], {
      kind: "ExecCredential",
      apiVersion: V1,
      spec: { interactive: false },
    });

    runtime.advance(61_000);
    await Deno.writeTextFile(plugin.tokenFile("a"), "token-2");
    assertEquals(await source.current(), { token: "token-2" });
    assertEquals((await plugin.calls()).length, 2, "expired: run again");

    await Deno.writeTextFile(plugin.tokenFile("a"), "token-3");
    assertEquals(await source.refresh({ token: "token-2" }), { token: "token-3" });
    assertEquals((await plugin.calls()).length, 3, "401: run again");
    // A 401 for credentials rotated meanwhile gives the new ones without a run.
    assertEquals(await source.refresh({ token: "token-2" }), { token: "token-3" });
    calls = await plugin.calls();
    assertEquals(calls.length, 3);
  });
});

Deno.test("exec plugin: provideClusterInfo passes the cluster and its exec extension", async () => {
  await withPlugin(async (plugin) => {
    const cluster = {
      server: "https://kcp.example:6443",
      "certificate-authority-data": btoa("PEM"),
      "proxy-url": "http://proxy:3128",
      config: { audience: "kcp" },
    };
    const source = execCredentials(
      configOf(plugin.user("a", { apiVersion: V1BETA1, provideClusterInfo: true })),
      cluster,
      fakeRuntime(),
    );
    await source.current();
    assertEquals((await plugin.calls())[0], {
      kind: "ExecCredential",
      apiVersion: V1BETA1,
      spec: { cluster, interactive: false },
    });
  });
});

Deno.test("exec plugin: without an expiry the credential is kept until a 401", async () => {
  await withPlugin(async (plugin, dir) => {
    const command = `${dir}/no-expiry`;
    await Deno.writeTextFile(
      command,
      `#!/bin/sh\necho x >> "${dir}/runs"\necho '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"t"}}'\n`,
      { mode: 0o755 },
    );
    const runtime = fakeRuntime();
    const source = execCredentials({ command, apiVersion: V1, interactiveMode: "Never" }, {
      server: "https://x",
    }, runtime);
    await source.current();
    runtime.advance(365 * 24 * 3600_000);
    await source.current();
    assertEquals((await Deno.readTextFile(`${dir}/runs`)).trim().split("\n").length, 1);
    await source.refresh({ token: "t" });
    assertEquals((await Deno.readTextFile(`${dir}/runs`)).trim().split("\n").length, 2);
    void plugin;
  });
});

Deno.test("exec plugin: failures are one clear line each", async () => {
  await withPlugin(async (plugin, dir) => {
    const base = configOf(plugin.user("a"));
    const run = (exec: ExecConfig, runtime = fakeRuntime()) =>
      execCredentials(exec, { server: "https://x" }, runtime).current();
    await rejectsWith(
      () => run({ ...base, env: [...base.env!, { name: "PLUGIN_FAIL", value: "1" }] }),
      `getting credentials: exec: executable ${plugin.command} failed with exit code 3`,
    );
    await rejectsWith(
      () => run({ ...base, command: `${dir}/missing-plugin`, installHint: "install it with x" }),
      `getting credentials: exec: executable ${dir}/missing-plugin not found (install it with x)`,
    );
    await rejectsWith(
      () => run({ ...base, interactiveMode: "Always" }),
      "getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal",
    );
    await rejectsWith(
      () => run({ ...base, env: [{ name: "API_VERSION", value: V1BETA1 }] }),
      `getting credentials: exec plugin is configured to use API version ${V1}, plugin returned version ${V1BETA1}`,
    );
  });
});

Deno.test("ExecCredential answers are checked as client-go checks them", () => {
  const cred = (status: unknown, apiVersion = V1) =>
    JSON.stringify({ apiVersion, kind: "ExecCredential", status });
  assertEquals(parseExecCredential(cred({ token: "t" }), V1), { credentials: { token: "t" } });
  assertEquals(
    parseExecCredential(
      cred({
        clientCertificateData: "C",
        clientKeyData: "K",
        expirationTimestamp: "2030-01-02T03:04:05Z",
      }),
      V1,
    ),
    {
      credentials: { certData: "C", keyData: "K" },
      expiresAt: Date.parse("2030-01-02T03:04:05Z"),
    },
  );
  const bad: [string, string][] = [
    ["not json", "getting credentials: decoding stdout: "],
    [JSON.stringify({ kind: "Other", apiVersion: V1 }), "did not print an ExecCredential"],
    [cred(undefined), "exec plugin didn't return a status field"],
    [cred({}), "exec plugin didn't return a token or cert/key pair"],
    [
      cred({ clientCertificateData: "C" }),
      "exec plugin returned only certificate or key, not both",
    ],
    [cred({ token: "t", expirationTimestamp: "soon" }), 'invalid expirationTimestamp "soon"'],
  ];
  for (const [stdout, message] of bad) {
    let got = "";
    try {
      parseExecCredential(stdout, V1);
    } catch (e) {
      got = (e as Error).message;
    }
    assertEquals(got.includes(message), true, `${stdout}: ${got}`);
  }
});
