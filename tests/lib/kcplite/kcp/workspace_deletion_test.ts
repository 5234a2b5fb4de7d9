/**
 * Workspace deletion follows kcp v0.11's lifecycle over the API: a deleted Workspace stays,
 * phase label `Deleting`, finalizer `core.kcp.io/logicalcluster`, while its logical
 * cluster is emptied; a create of the same name meanwhile is a 409 "object is being
 * deleted"; a second DELETE is accepted; content held by a finalizer keeps it (the
 * Workspace shows `WorkspaceContentDeleted` False, `SomeResourcesRemain`, with kcp's
 * message); once the content is gone the Workspace goes, and the name can be used again
 * for a new, empty workspace.
 *
 * @module
 */
import { assertEquals, assertNotEquals, assertTrue } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { eventually } from "../../../support/eventually.ts";
import { request } from "../server/server_test_client.ts";

const WS = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";
const JSON_TYPE = "application/json";

interface Workspace {
  metadata: {
    finalizers?: string[];
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: { cluster: string };
  status: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

Deno.test("workspace deletion goes through kcp's lifecycle", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  try {
    const post = (path: string, body: unknown) =>
      request(cp, "POST", path, { body: JSON.stringify(body), contentType: JSON_TYPE });
    const get = async (name: string) => {
      const r = await request(cp, "GET", `${WS}/${name}`);
      return r.status === 200 ? r.body as unknown as Workspace : undefined;
    };
    const ready = (name: string) =>
      eventually(`${name} Ready`, async () => {
        const w = await get(name);
        return w?.status.phase === "Ready" ? w : undefined;
      });
    assertEquals((await post(WS, { metadata: { name: "wmw" } })).status, 201);
    const first = await ready("wmw");
    const inside = "/clusters/root:wmw";
    assertEquals(
      (await post(`${inside}/api/v1/namespaces`, { metadata: { name: "ns1" } })).status,
      201,
    );
    const held = await post(`${inside}/api/v1/namespaces/ns1/configmaps`, {
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    assertEquals(held.status, 201);
    assertEquals(
      (await post(`${inside}/apis/tenancy.kcp.io/v1alpha1/workspaces`, {
        metadata: { name: "child" },
      }))
        .status,
      201,
    );
    await eventually("child Ready", async () => {
      const r = await request(cp, "GET", `${inside}/apis/tenancy.kcp.io/v1alpha1/workspaces/child`);
      return (r.body.status as { phase?: string })?.phase === "Ready" ? true : undefined;
    });

    assertEquals((await request(cp, "DELETE", `${WS}/wmw`)).status, 200);
    const deleting = (await get("wmw"))!;
    assertTrue(deleting.metadata.deletionTimestamp !== undefined);
    assertEquals(deleting.metadata.finalizers, ["core.kcp.io/logicalcluster"]);
    const again = await post(WS, { metadata: { name: "wmw" } });
    assertEquals(again.status, 409);
    assertEquals(again.body.reason, "AlreadyExists");
    assertEquals(
      again.body.message,
      'object is being deleted: workspaces.tenancy.kcp.io "wmw" already exists',
    );
    const second = await request(cp, "DELETE", `${WS}/wmw`);
    assertEquals(second.status, 200);

    const waiting = await eventually("content deletion waits for the finalizer", async () => {
      const w = await get("wmw");
      const c = w?.status.conditions?.find((c) => c.type === "WorkspaceContentDeleted");
      return c?.status === "False" ? { w: w!, c } : undefined;
    });
    assertEquals(waiting.w.metadata.labels?.["tenancy.kcp.io/phase"], "Deleting");
    assertEquals(waiting.c.reason, "SomeResourcesRemain");
    assertEquals(
      waiting.c.message,
      "Some resources are remaining: namespaces. has 1 resource instances",
    );
    const childGone = await request(
      cp,
      "GET",
      `${inside}/apis/tenancy.kcp.io/v1alpha1/workspaces/child`,
    );
    assertEquals(childGone.status, 404, "the child workspace went first");
    const cm = await request(cp, "GET", `${inside}/api/v1/namespaces/ns1/configmaps/held`);
    assertTrue(
      (cm.body.metadata as { deletionTimestamp?: string }).deletionTimestamp !== undefined,
    );

    const released = await request(cp, "PATCH", `${inside}/api/v1/namespaces/ns1/configmaps/held`, {
      body: JSON.stringify({ metadata: { finalizers: null } }),
      contentType: "application/merge-patch+json",
    });
    assertEquals(released.status, 200);
    await eventually("wmw gone", async () => (await get("wmw")) === undefined ? true : undefined);
    const gone = await request(cp, "GET", `/clusters/${first.spec.cluster}/api/v1/namespaces`);
    assertEquals(gone.status, 403, "the logical cluster is gone");

    assertEquals((await post(WS, { metadata: { name: "wmw" } })).status, 201);
    const reborn = await ready("wmw");
    assertNotEquals(reborn.spec.cluster, first.spec.cluster);
    const nss = await request(cp, "GET", `${inside}/api/v1/namespaces`);
    const names = (nss.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
    assertEquals(names.includes("ns1"), false);
    assertEquals((await request(cp, "DELETE", `${WS}/wmw`)).status, 200);
    await eventually(
      "an empty workspace goes",
      async () => (await get("wmw")) === undefined ? true : undefined,
    );
  } finally {
    await cp.stop();
  }
});
