/**
 * The `oidc` auth-provider (issue 14): each kubeconfig starts with an expired id-token,
 * so the first request refreshes it at a local token endpoint (HTTPS, its own CA), which
 * hands out a service-account token the server accepts. A CLI command
 * (`get-external-kubeconfig`, its own process, against a hosting cluster), the mailbox
 * controller (its root context) and the syncer (its mailbox) all work that way; the
 * refreshed tokens are written back to the kubeconfig, as kubectl does.
 *
 * @module
 */
import { parse, stringify } from "yaml";
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startKubeCluster } from "../support/control_plane.ts";
import { jwtWithExpiry, startOidcProvider } from "../support/fake_oidc_provider.ts";
import { syncerConnection } from "../lib/syncer/hub_fixture.ts";
import { withSetUp } from "../lib/syncer/e2e_objects.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { syncerId } from "../../lib/syncer_prep/syncer_identity.ts";
import { Logger } from "../../lib/log/logger.ts";
import {
  mailboxControllerWith,
  mailboxKubeconfig,
  runPlugin,
  scratch,
  startCore,
  syncerWith,
  writeKubeconfig,
} from "./client_auth_fixture.ts";

const expired = () => jwtWithExpiry(Math.floor(Date.now() / 1000) - 60);
const RBAC = { group: "rbac.authorization.k8s.io", version: "v1" };

/** A one-hour token of ServiceAccount `name` in `default`, allowed everything first if asked. */
async function boundToken(client: RestClient, name: string, admin = true): Promise<string> {
  const sa = { version: "v1", resource: "serviceaccounts", namespace: "default" };
  await client.create(sa, { metadata: { name } }).catch(() => {});
  if (admin) {
    await client.create({ ...RBAC, resource: "clusterroles" }, {
      metadata: { name: `${name}-all` },
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
      ],
    }).catch(() => {});
    await client.create({ ...RBAC, resource: "clusterrolebindings" }, {
      metadata: { name: `${name}-all` },
      roleRef: { apiGroup: RBAC.group, kind: "ClusterRole", name: `${name}-all` },
      subjects: [{ kind: "ServiceAccount", name, namespace: "default" }],
    }).catch(() => {});
  }
  const review = await client.requestJson<{ status: { token: string } }>(
    "POST",
    `/api/v1/namespaces/default/serviceaccounts/${name}/token`,
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  return review.status.token;
}

/** The oidc config of user `name` in a kubeconfig file. */
async function providerConfig(path: string, name: string): Promise<Record<string, string>> {
  const kc = parse(await Deno.readTextFile(path)) as {
    users: { name: string; user: Record<string, { config: Record<string, string> }> }[];
  };
  return kc.users.find((u) => u.name === name)!.user["auth-provider"].config;
}

Deno.test("oidc: get-external-kubeconfig refreshes the id-token and writes it back", async () => {
  const kube = await startKubeCluster();
  const admin = restClientFor(
    await (await loadKubeconfig({ kubeconfig: kube.kubeconfigPath })).restConfig(),
  );
  const dir = await Deno.makeTempDir({ prefix: "oidc-cli-" });
  try {
    await admin.create({ version: "v1", resource: "namespaces" }, {
      metadata: { name: "kubestellar" },
    });
    const published = "apiVersion: v1\nkind: Config\nclusters: []\n";
    await admin.create({ version: "v1", resource: "secrets", namespace: "kubestellar" }, {
      metadata: { name: "kubestellar" },
      data: { "external.kubeconfig": btoa(published) },
    });
    const token = await boundToken(admin, "oidc-cli");
    const idp = await startOidcProvider({
      clientId: "kubectl",
      clientSecret: "s",
      idToken: () => token,
    });
    try {
      const kc = parse(await Deno.readTextFile(kube.kubeconfigPath)) as {
        users: { name: string; user: unknown }[];
      };
      kc.users[0].user = idp.user(expired());
      const path = `${dir}/kc`;
      await Deno.writeTextFile(path, stringify(kc), { mode: 0o600 });
      const userName = kc.users[0].name;
      const r = await runPlugin(["get-external-kubeconfig", "-o", `${dir}/out`], path);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(await Deno.readTextFile(`${dir}/out`), published);
      assertEquals(idp.refreshes, 1);
      const persisted = await providerConfig(path, userName);
      assertEquals([persisted["id-token"], persisted["refresh-token"]], [token, idp.refreshToken]);
      assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
      const again = await runPlugin(["get-external-kubeconfig", "-o", `${dir}/out2`], path);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(idp.refreshes, 1, "the persisted id-token is valid: no second refresh");
    } finally {
      await idp.close();
    }
  } finally {
    admin.close();
    await kube.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("oidc: the mailbox controller's root context refreshes through the provider", async () => {
  const core = await startCore();
  try {
    const token = await boundToken(core.edge.workspace("root:espw"), "oidc-controller");
    const idp = await startOidcProvider({
      clientId: "kcp",
      clientSecret: "s",
      idToken: () => token,
    });
    try {
      const kubeconfig = await writeKubeconfig(core.adminKubeconfig, scratch(core, "kc"), {
        "kcp-admin": idp.user(expired()),
        "shard-admin": { token: core.tokens["shard-admin"] },
      });
      const lines: string[] = [];
      await mailboxControllerWith(
        core,
        kubeconfig,
        new Logger("mb", { write: (l) => lines.push(l) }),
      );
      assertEquals(idp.refreshes, 1);
      assertEquals((await providerConfig(kubeconfig, "kcp-admin"))["id-token"], token);
      assertEquals(lines.filter((l) => /refused|Unauthorized|failed/.test(l)), []);
    } finally {
      await idp.close();
    }
  } finally {
    await core.stop();
  }
});

Deno.test("oidc: the syncer's mailbox credentials are refreshed through the provider", async () => {
  await withSetUp(false, async (setup) => {
    const dir = await Deno.makeTempDir({ prefix: "oidc-syncer-" });
    try {
      await syncerConnection(setup.hub, setup.mb); // the syncer's ServiceAccount and RBAC
      const sa = syncerId(setup.mb.syncTargetName, setup.mb.syncTargetUid);
      const token = await boundToken(setup.mb.client, sa, false);
      const idp = await startOidcProvider({
        clientId: "syncer",
        clientSecret: "s",
        idToken: () => token,
      });
      try {
        const kubeconfig = await mailboxKubeconfig(setup, `${dir}/kc`, idp.user(expired()));
        await syncerWith(setup, kubeconfig);
        assertEquals(idp.refreshes, 1);
        assertTrue((await providerConfig(kubeconfig, "syncer"))["id-token"] === token);
      } finally {
        await idp.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
