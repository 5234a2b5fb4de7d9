/**
 * Resource requests on the bare server URL (no `/clusters/`, kcp-spec §1.3) in kcp mode:
 * 403 for everyone but `system:masters` (kcp-admin included), while the same request under
 * `/clusters/root` works and discovery on the bare URL still answers; kube mode serves
 * bare URLs as usual.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startControlPlane, startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

Deno.test("bare URLs in kcp mode are for system:masters only", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  try {
    const denied = await request(cp, "GET", "/api/v1/namespaces");
    assertEquals(denied.status, 403);
    assertEquals(denied.body.kind, "Status");
    assertStringIncludes(String(denied.body.message), "kcp-admin");
    const write = await request(cp, "POST", "/api/v1/namespaces", {
      body: JSON.stringify({ metadata: { name: "nope" } }),
      contentType: "application/json",
    });
    assertEquals(write.status, 403);
    const other = { kind: "cert" as const, user: "alice", groups: ["team"] };
    assertEquals((await request(cp, "GET", "/api/v1/namespaces", { creds: other })).status, 403);

    assertEquals((await request(cp, "GET", "/clusters/root/api/v1/namespaces")).status, 200);
    assertEquals((await request(cp, "GET", "/api")).status, 200);
    const masters = { kind: "cert" as const, user: "shard", groups: ["system:masters"] };
    const asMasters = await request(cp, "GET", "/api/v1/namespaces", { creds: masters });
    assertEquals(asMasters.status, 200);
  } finally {
    await cp.stop();
  }
});

Deno.test("bare URLs in kube mode are the cluster", async () => {
  const cp = await startKubeCluster();
  try {
    assertEquals((await request(cp, "GET", "/api/v1/namespaces")).status, 200);
  } finally {
    await cp.stop();
  }
});
