/**
 * Garbage collection by ownerReferences on kcp-lite: deleting an owner deletes dependents
 * that have no other owner (transitively), only unlinks dependents with another owner,
 * and with `propagationPolicy=Orphan` keeps every dependent; cluster-scoped owners
 * collect namespaced dependents.
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const CMS = "/api/v1/namespaces/default/configmaps";
const json = "application/json";

Deno.test("kcp-lite collects dependents of deleted owners", async () => {
  const cp = await startKubeCluster();
  const create = async (path: string, body: Record<string, unknown>) => {
    const r = await request(cp, "POST", path, { body: JSON.stringify(body), contentType: json });
    assertEquals(r.status, 201, JSON.stringify(r.body));
    return (r.body.metadata as { uid: string }).uid;
  };
  const ref = (kind: string, name: string, uid: string, apiVersion = "v1") => ({
    apiVersion,
    kind,
    name,
    uid,
  });
  const cm = (name: string, owners: unknown[] = []) => ({
    metadata: { name, ownerReferences: owners },
  });
  const gone = async (name: string) => {
    for (let i = 0; i < 50; i++) {
      if ((await request(cp, "GET", `${CMS}/${name}`)).status === 404) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  try {
    const a = await create(CMS, cm("owner-a"));
    const b = await create(CMS, cm("owner-b"));
    const child = await create(CMS, cm("child", [ref("ConfigMap", "owner-a", a)]));
    await create(CMS, cm("grandchild", [ref("ConfigMap", "child", child)]));
    await create(
      CMS,
      cm("shared", [ref("ConfigMap", "owner-a", a), ref("ConfigMap", "owner-b", b)]),
    );
    await request(cp, "DELETE", `${CMS}/owner-a`);
    assertEquals(await gone("child"), true);
    assertEquals(await gone("grandchild"), true);
    const shared = await request(cp, "GET", `${CMS}/shared`);
    assertEquals(shared.status, 200);
    assertEquals(
      (shared.body.metadata as { ownerReferences: { name: string }[] }).ownerReferences
        .map((r) => r.name),
      ["owner-b"],
    );

    const c = await create(CMS, cm("owner-c"));
    await create(CMS, cm("orphan", [ref("ConfigMap", "owner-c", c)]));
    await request(cp, "DELETE", `${CMS}/owner-c?propagationPolicy=Orphan`);
    await new Promise((r) => setTimeout(r, 200));
    const orphan = await request(cp, "GET", `${CMS}/orphan`);
    assertEquals(orphan.status, 200);
    assertEquals((orphan.body.metadata as Record<string, unknown>).ownerReferences, undefined);

    const roles = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
    const role = await create(roles, { metadata: { name: "owner-role" }, rules: [] });
    await create(
      CMS,
      cm("role-child", [
        ref("ClusterRole", "owner-role", role, "rbac.authorization.k8s.io/v1"),
      ]),
    );
    await request(cp, "DELETE", `${roles}/owner-role`);
    assertEquals(await gone("role-child"), true);
  } finally {
    await cp.stop();
  }
});
