import { join } from "node:path";
import { stringify } from "yaml";
import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import { connectionFlags, type KubectlConnectionFlags } from "../../../lib/cli/kubectl_flags.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";

const V1 = "client.authentication.k8s.io/v1";
const V1BETA1 = "client.authentication.k8s.io/v1beta1";

/** A kubeconfig whose context `c` uses `user` on a cluster with `cluster` fields. */
async function resolveUser(
  user: Record<string, unknown>,
  flags: KubectlConnectionFlags = {},
  cluster: Record<string, unknown> = {},
): Promise<{ config: RestConfig; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "user-auth-" });
  const path = join(dir, "config");
  await Deno.writeTextFile(
    path,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "k", cluster: { server: "https://k.example:6443", ...cluster } }],
      users: [{ name: "alice", user }],
      contexts: [{ name: "c", context: { cluster: "k", user: "alice" } }],
      "current-context": "c",
    }),
  );
  try {
    const kc = await loadKubeconfig({ kubeconfig: path, ...flags }, { sources: {} });
    return { config: await kc.restConfig(), dir };
  } catch (e) {
    await Deno.remove(dir, { recursive: true });
    throw e;
  }
}

async function resolved(
  user: Record<string, unknown>,
  flags: KubectlConnectionFlags = {},
  cluster: Record<string, unknown> = {},
): Promise<RestConfig> {
  const { config, dir } = await resolveUser(user, flags, cluster);
  await Deno.remove(dir, { recursive: true });
  return config;
}

async function refusal(
  user: Record<string, unknown>,
  flags: KubectlConnectionFlags = {},
  cluster: Record<string, unknown> = {},
): Promise<string> {
  return (await assertRejects(() => resolved(user, flags, cluster))).message;
}

Deno.test("exec users are validated and defaulted as kubectl does", async () => {
  const exec = (fields: Record<string, unknown>) => ({ exec: { command: "plugin", ...fields } });
  assertTrue(
    (await refusal(exec({ apiVersion: V1 }))).startsWith(
      "invalid configuration: interactiveMode must be specified for alice to use exec authentication plugin (in kubeconfig ",
    ),
  );
  assertTrue((await resolved(exec({ apiVersion: V1BETA1 }))).credentials !== undefined);
  assertTrue(
    (await refusal(exec({ apiVersion: "client.authentication.k8s.io/v1alpha1" }))).startsWith(
      'invalid configuration: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"',
    ),
  );
  assertTrue(
    (await refusal(exec({ apiVersion: V1, interactiveMode: "Sometimes" }))).startsWith(
      'invalid configuration: invalid interactiveMode for alice: "Sometimes"',
    ),
  );
  assertTrue(
    (await refusal({ exec: { apiVersion: V1, interactiveMode: "Never" } })).startsWith(
      "invalid configuration: command must be specified for alice",
    ),
  );
  assertTrue(
    (await refusal({
      ...exec({ apiVersion: V1, interactiveMode: "Never" }),
      "auth-provider": { name: "oidc" },
    })).startsWith(
      "invalid configuration: authProvider cannot be provided in combination with an exec plugin for alice",
    ),
  );
});

Deno.test("an exec plugin is not used when a token, certificate or basic auth is set", async () => {
  const exec = { apiVersion: V1, command: "plugin", interactiveMode: "Never" };
  assertEquals((await resolved({ exec, token: "t" })).credentials, undefined);
  const flagged = await resolved({ exec }, { token: "from-flag" });
  assertEquals([flagged.token, flagged.credentials], ["from-flag", undefined]);
  assertEquals((await resolved({ exec }, { username: "u", password: "p" })).credentials, undefined);
  assertTrue((await resolved({ exec })).credentials !== undefined);
});

Deno.test("a token file is read now, trimmed, and kept as a source that re-reads it", async () => {
  // The file must exist when the config is resolved, as for kubectl.
  assertTrue((await refusal({ tokenFile: "/nonexistent/token" })).startsWith(
    'cannot read token file "/nonexistent/token"',
  ));
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(tmp, "t"), "secret-1\n");
    const c = await resolved({ tokenFile: join(tmp, "t") });
    assertEquals(c.token, "secret-1");
    assertEquals(await c.credentials!.current(), { token: "secret-1" });
    await Deno.writeTextFile(join(tmp, "t"), "secret-2");
    assertEquals(await c.credentials!.refresh({ token: "secret-1" }), { token: "secret-2" });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("impersonation from --as/--as-group/--as-uid or the user's as fields", async () => {
  const flags = connectionFlags(["--as", "bob", "--as-group", "g1", "--as-group=g2", "--as-uid=7"]);
  assertEquals(flags.asGroups, ["g1", "g2"]);
  assertEquals((await resolved({ token: "t" }, flags)).impersonate, {
    user: "bob",
    uid: "7",
    groups: ["g1", "g2"],
  });
  assertEquals(
    (await resolved({
      token: "t",
      as: "carol",
      "as-groups": ["ops"],
      "as-user-extra": { scopes: ["view"] },
    })).impersonate,
    { user: "carol", groups: ["ops"], extra: { scopes: ["view"] } },
  );
  assertEquals(
    (await resolved({ token: "t", as: "carol" }, { as: "dave" })).impersonate,
    { user: "dave" },
  );
  assertTrue(
    (await refusal({ token: "t" }, { asGroups: ["g"] })).startsWith(
      "invalid configuration: requesting uid, groups or user-extra for alice without impersonating a user",
    ),
  );
});

Deno.test("proxy-url is checked as kubectl checks it; auth-providers as kubectl 1.32 has them", async () => {
  assertEquals(
    (await resolved({ token: "t" }, {}, { "proxy-url": "socks5://p:1080" })).proxyUrl,
    "socks5://p:1080",
  );
  assertEquals(
    await refusal({ token: "t" }, {}, { "proxy-url": "ftp://p" }),
    `invalid 'proxy-url' "ftp://p" for cluster "k": unsupported scheme "ftp", must be http, https, or socks5`,
  );
  assertTrue(
    (await refusal({ "auth-provider": { name: "gcp" } })).startsWith(
      'the gcp auth plugin has been removed (kubectl 1.26): use the "gke-gcloud-auth-plugin"',
    ),
  );
  assertTrue(
    (await refusal({ "auth-provider": { name: "oidc", config: { "client-id": "x" } } }))
      .startsWith("invalid configuration: Must provide idp-issuer-url"),
  );
  assertEquals(
    await refusal({ "auth-provider": { name: "vault" } }),
    'no Auth Provider found for name "vault" (user "alice")',
  );
});
