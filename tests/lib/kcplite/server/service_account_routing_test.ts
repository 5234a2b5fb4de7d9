/**
 * Service-account tokens on kcp-lite (kcp mode, kcp-spec §1.4, §5.5): the token Secret of
 * a workspace's `default` ServiceAccount authenticates; on the bare server URL the
 * token's cluster claim routes the request into that workspace; RBAC there decides (403
 * before a grant, 200 after); a forged token is 401.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { defaultServiceAccountToken, request } from "./server_test_client.ts";
import { eventually } from "../../../support/eventually.ts";

Deno.test("service-account tokens route bare URLs into their workspace", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  const json = "application/json";
  try {
    const ws = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";
    const created = await request(cp, "POST", ws, {
      body: JSON.stringify({ metadata: { name: "team" }, spec: {} }),
      contentType: json,
    });
    assertEquals(created.status, 201);
    await eventually("workspace team Ready", async () => {
      const w = await request(cp, "GET", `${ws}/team`);
      return (w.body.status as { phase?: string })?.phase === "Ready" ? true : undefined;
    });
    const base = "/clusters/root:team/api/v1/namespaces/default";
    const token = await defaultServiceAccountToken(cp, "root:team");
    const creds = { kind: "token" as const, token };
    const denied = await request(cp, "GET", "/api/v1/namespaces/default/configmaps", { creds });
    assertEquals(denied.status, 403);
    assertStringIncludes(String(denied.body.message), "system:serviceaccount:default:default");
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "sa-admin" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "cluster-admin",
      },
      subjects: [{ kind: "ServiceAccount", name: "default", namespace: "default" }],
    };
    const granted = await request(
      cp,
      "POST",
      "/clusters/root:team/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
      { body: JSON.stringify(binding), contentType: json },
    );
    assertEquals(granted.status, 201);
    await request(cp, "POST", `${base}/configmaps`, {
      body: JSON.stringify({ metadata: { name: "only-in-team" } }),
      contentType: json,
    });
    const allowed = await request(cp, "GET", "/api/v1/namespaces/default/configmaps", { creds });
    assertEquals(allowed.status, 200);
    const names = (allowed.body.items as { metadata: { name: string } }[]).map((i) =>
      i.metadata.name
    );
    assertEquals(names.includes("only-in-team"), true);
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    const bad = await request(cp, "GET", "/api/v1/namespaces", {
      creds: { kind: "token", token: forged },
    });
    assertEquals(bad.status, 401);
  } finally {
    await cp.stop();
  }
});
