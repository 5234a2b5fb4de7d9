import { assertEquals, assertTrue } from "../../../support/assert.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { decodeJwtUnverified } from "../../../../lib/kcplite/auth/jwt.ts";
import { apiCreate, apiDelete, k, startEnv, waitFor } from "./kcp_test_env.ts";

function phase(o: KubeObject | undefined): string | undefined {
  return (o?.status as { phase?: string } | undefined)?.phase;
}

function decode(b64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

Deno.test("service accounts: default SA, token Secret in sa.secrets, token authenticates and routes", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name: "mb" } });
    await waitFor(
      () => phase(store.get(k("root", "tenancy.kcp.io/workspaces", "mb"))) === "Ready",
      "Ready",
    );
    const id = backend.resolveCluster("root:mb")!;
    apiCreate(env, id, "", "namespaces", { metadata: { name: "kube-system" } });
    await waitFor(
      () => store.get(k(id, "/serviceaccounts", "default", "kube-system")),
      "default SA",
    );
    assertTrue(store.get(k(id, "/configmaps", "kube-root-ca.crt", "kube-system")));

    apiCreate(env, id, "", "serviceaccounts", {
      metadata: { name: "syncer", namespace: "kube-system" },
    });
    const sa = await waitFor(() => {
      const o = store.get(k(id, "/serviceaccounts", "syncer", "kube-system")) as
        | { secrets?: { name: string }[] } & KubeObject
        | undefined;
      return o?.secrets?.length ? o : undefined;
    }, "sa.secrets");
    const secretName = sa.secrets![0].name;
    assertTrue(/^syncer-token-[a-z0-9]{5}$/.test(secretName), secretName);
    const secret = store.get(k(id, "/secrets", secretName, "kube-system"))!;
    assertEquals((secret as { type?: string }).type, "kubernetes.io/service-account-token");
    assertEquals(secret.metadata?.annotations?.["kubernetes.io/service-account.name"], "syncer");
    assertEquals(
      secret.metadata?.annotations?.["kubernetes.io/service-account.uid"],
      sa.metadata?.uid,
    );
    const data = secret.data as Record<string, string>;
    assertEquals(decode(data.namespace), "kube-system");
    assertTrue(decode(data["ca.crt"]).includes("BEGIN CERTIFICATE"));
    const token = decode(data.token);
    assertEquals(decodeJwtUnverified(token)?.["kubernetes.io/serviceaccount/clusterName"], id);

    const who = await backend.authenticateServiceAccountToken(token);
    assertEquals(who?.user.name, "system:serviceaccount:kube-system:syncer");
    assertEquals(who?.cluster, id);

    // the SA is confined to its workspace and to its RBAC grants there
    const user = who!.user;
    const get = (cluster: string, resource: string, namespace?: string) =>
      backend.authorize(cluster, {
        user,
        verb: "get",
        resourceRequest: true,
        apiGroup: "",
        resource,
        namespace,
        name: "x",
      });
    assertEquals(get(id, "configmaps", "kube-system").allowed, false);
    apiCreate(env, id, "rbac.authorization.k8s.io", "roles", {
      metadata: { name: "cm-reader", namespace: "kube-system" },
      rules: [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }],
    });
    apiCreate(env, id, "rbac.authorization.k8s.io", "rolebindings", {
      metadata: { name: "cm-reader", namespace: "kube-system" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
      subjects: [{ kind: "ServiceAccount", name: "syncer", namespace: "kube-system" }],
    });
    assertEquals(get(id, "configmaps", "kube-system").allowed, true);
    assertEquals(get(id, "secrets", "kube-system").allowed, false);
    const foreign = get("root", "configmaps", "kube-system");
    assertEquals(foreign, { allowed: false, reason: "foreign service account" });

    // a user needs `access` to enter a workspace; kcp-admin has it everywhere
    const dave = { name: "dave", groups: ["system:authenticated"] };
    assertEquals(
      backend.authorize(id, {
        user: dave,
        verb: "list",
        resourceRequest: true,
        apiGroup: "",
        resource: "namespaces",
      }),
      { allowed: false, reason: "no verb=access permission on /" },
    );
    assertTrue(
      backend.authorize(id, {
        user: { name: "kcp-admin", groups: ["system:kcp:admin", "system:authenticated"] },
        verb: "list",
        resourceRequest: true,
        apiGroup: "",
        resource: "namespaces",
      }).allowed,
    );

    // a TokenRequest gives a bound token for the same account
    const tr = await backend.createTokenRequest(id, "kube-system", "syncer", {
      expirationSeconds: 3600,
    });
    const bound = (tr.status as { token: string }).token;
    assertEquals(decodeJwtUnverified(bound)?.["kubernetes.io"], {
      clusterName: id,
      namespace: "kube-system",
      serviceaccount: { name: "syncer", uid: sa.metadata?.uid },
    });
    assertEquals((await backend.authenticateServiceAccountToken(bound))?.user.name, user.name);
    let missing = "";
    try {
      await backend.createTokenRequest(id, "kube-system", "nobody");
    } catch (e) {
      missing = (e as Error).message;
    }
    assertEquals(missing, 'serviceaccounts "nobody" not found');

    // deleting the secret invalidates the token; deleting the SA removes its token secrets
    apiDelete(env, k(id, "/secrets", secretName, "kube-system"));
    assertEquals(await backend.authenticateServiceAccountToken(token), undefined);
    await waitFor(() => {
      const o = store.get(k(id, "/serviceaccounts", "syncer", "kube-system")) as
        | { secrets?: { name: string }[] } & KubeObject
        | undefined;
      const n = o?.secrets?.[0]?.name;
      return n && n !== secretName && store.get(k(id, "/secrets", n, "kube-system"));
    }, "a new token secret");
    apiDelete(env, k(id, "/serviceaccounts", "syncer", "kube-system"));
    await waitFor(
      () =>
        !store.list({ cluster: id, resource: "/secrets", namespace: "kube-system" }).items.some((
          s,
        ) => s.metadata?.annotations?.["kubernetes.io/service-account.name"] === "syncer"),
      "token secrets removed",
    );

    // a user-made token Secret naming an SA gets filled in
    apiCreate(env, id, "", "secrets", {
      metadata: {
        name: "manual",
        namespace: "kube-system",
        annotations: { "kubernetes.io/service-account.name": "default" },
      },
      type: "kubernetes.io/service-account-token",
    });
    const manual = await waitFor(() => {
      const s = store.get(k(id, "/secrets", "manual", "kube-system"));
      return (s?.data as Record<string, string> | undefined)?.token ? s : undefined;
    }, "manual token");
    const who2 = await backend.authenticateServiceAccountToken(
      decode((manual.data as Record<string, string>).token),
    );
    assertEquals(who2?.user.name, "system:serviceaccount:kube-system:default");
  } finally {
    await env.close();
  }
});

Deno.test("maximal permission policy: compute's stock policy keeps pods read-only", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name: "w" } });
    await waitFor(
      () => phase(store.get(k("root", "tenancy.kcp.io/workspaces", "w"))) === "Ready",
      "Ready",
    );
    const id = backend.resolveCluster("root:w")!;
    apiCreate(env, id, "apis.kcp.io", "apibindings", {
      metadata: { name: "kubernetes" },
      spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
    });
    await waitFor(
      () => phase(store.get(k(id, "apis.kcp.io/apibindings", "kubernetes"))) === "Bound",
      "Bound",
    );
    const admin = { name: "kcp-admin", groups: ["system:kcp:admin", "system:authenticated"] };
    const can = (verb: string, group: string, resource: string) =>
      backend.authorize(id, {
        user: admin,
        verb,
        resourceRequest: true,
        apiGroup: group,
        resource,
        namespace: "default",
      })
        .allowed;
    assertEquals(can("create", "apps", "deployments"), true);
    assertEquals(can("list", "", "pods"), true);
    assertEquals(can("create", "", "pods"), false);
    assertEquals(can("create", "", "configmaps"), true);
  } finally {
    await env.close();
  }
});
