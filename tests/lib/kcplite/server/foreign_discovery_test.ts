/**
 * kcp mode: a service-account token of one workspace cannot read another workspace's
 * discovery, `/version` or OpenAPI (403, as kcp's workspace content authorizer denies a
 * "foreign service account"); in its own workspace it reads them (kcp's `system:discovery`
 * binding); `/clusters/*` discovery is for `system:masters` only.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { eventually } from "../../../support/eventually.ts";
import { defaultServiceAccountToken, request } from "./server_test_client.ts";

Deno.test("kcp mode: a foreign service account gets 403 on another workspace's discovery", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  try {
    const ws = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";
    for (const name of ["team-a", "team-b"]) {
      const created = await request(cp, "POST", ws, {
        body: JSON.stringify({ metadata: { name }, spec: {} }),
        contentType: "application/json",
      });
      assertEquals(created.status, 201);
    }
    const token = await defaultServiceAccountToken(cp, "root:team-a");
    await eventually("team-b Ready", async () => {
      const w = await request(cp, "GET", `${ws}/team-b`);
      return (w.body.status as { phase?: string })?.phase === "Ready" ? true : undefined;
    });
    const creds = { kind: "token" as const, token };
    for (const path of ["/api", "/apis", "/version", "/openapi/v3"]) {
      const own = await request(cp, "GET", `/clusters/root:team-a${path}`, { creds });
      assertEquals(own.status, 200, `own ${path}`);
      const bare = await request(cp, "GET", path, { creds });
      assertEquals(bare.status, 200, `bare ${path}`);
      const foreign = await request(cp, "GET", `/clusters/root:team-b${path}`, { creds });
      assertEquals(foreign.status, 403, `foreign ${path}`);
      assertEquals(foreign.body.reason, "Forbidden");
      assertEquals(
        foreign.body.message,
        `forbidden: User "system:serviceaccount:default:default" cannot get path "${path}": ` +
          "foreign service account",
      );
      const wildcard = await request(cp, "GET", `/clusters/*${path}`, { creds });
      assertEquals(wildcard.status, 403, `wildcard ${path}`);
      const admin = await request(cp, "GET", `/clusters/root:team-b${path}`);
      assertEquals(admin.status, 200, `kcp-admin ${path}`);
    }
    const root = await request(cp, "GET", "/clusters/root/version", { creds });
    assertEquals(root.status, 403);
    assertStringIncludes(String(root.body.message), "foreign service account");
  } finally {
    await cp.stop();
  }
});
