/**
 * TokenRequests (`POST …/serviceaccounts/<name>/token`, kcp-spec §5.5) in kcp and kube
 * mode: the answer is a `TokenRequest` with a bound token in `status.token` that
 * authenticates as the ServiceAccount (RBAC still decides: 403, not 401); a missing
 * ServiceAccount is 404; the token stops working once its ServiceAccount is deleted.
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import {
  type ControlPlane,
  startControlPlane,
  startKubeCluster,
} from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const json = "application/json";

async function checkTokenRequests(cp: ControlPlane, prefix: string): Promise<void> {
  const ns = `${prefix}/api/v1/namespaces/default`;
  const sa = await request(cp, "POST", `${ns}/serviceaccounts`, {
    body: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "bot" } }),
    contentType: json,
  });
  assertEquals(sa.status, 201);
  const tr = await request(cp, "POST", `${ns}/serviceaccounts/bot/token`, {
    body: JSON.stringify({
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 3600 },
    }),
    contentType: json,
  });
  assertEquals(tr.status, 201, JSON.stringify(tr.body));
  assertEquals(tr.body.kind, "TokenRequest");
  const status = tr.body.status as { token?: string; expirationTimestamp?: string };
  assertTrue(typeof status.token === "string" && status.token.split(".").length === 3);
  assertTrue(Date.parse(status.expirationTimestamp ?? "") > Date.now());

  const creds = { kind: "token" as const, token: status.token! };
  const asBot = await request(cp, "GET", `${ns}/secrets`, { creds });
  assertEquals(asBot.status, 403, "authenticated, but RBAC grants nothing");
  assertStringIncludes(String(asBot.body.message), "system:serviceaccount:default:bot");

  const missing = await request(cp, "POST", `${ns}/serviceaccounts/nobody/token`, {
    body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest" }),
    contentType: json,
  });
  assertEquals(missing.status, 404);

  assertEquals((await request(cp, "DELETE", `${ns}/serviceaccounts/bot`)).status, 200);
  const gone = await request(cp, "GET", `${ns}/secrets`, { creds });
  assertEquals(gone.status, 401, "the token dies with its ServiceAccount");
}

Deno.test("TokenRequest in kcp mode", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  try {
    await checkTokenRequests(cp, "/clusters/root");
  } finally {
    await cp.stop();
  }
});

Deno.test("TokenRequest in kube mode", async () => {
  const cp = await startKubeCluster();
  try {
    await checkTokenRequests(cp, "");
  } finally {
    await cp.stop();
  }
});
