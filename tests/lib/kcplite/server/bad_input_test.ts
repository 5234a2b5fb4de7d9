/**
 * kcp-lite refuses bad requests with the Kubernetes `Status` a real API server sends, and
 * keeps serving afterwards: malformed bodies, unknown resources, wrong kinds, invalid
 * names, oversized bodies, missing or wrong credentials, RBAC denials, conflicts,
 * finalizers and preconditions.
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const CMS = "/api/v1/namespaces/default/configmaps";

function configMap(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, ...extra },
    data: { a: "1" },
  });
}

Deno.test("kcp-lite answers bad input with Kubernetes Status errors", async (t) => {
  const cp = await startKubeCluster();
  const json = "application/json";
  try {
    await t.step("malformed JSON and YAML bodies → 400", async () => {
      const r = await request(cp, "POST", CMS, { body: "{not json", contentType: json });
      assertEquals(r.status, 400);
      assertEquals(r.body.kind, "Status");
      assertEquals(r.body.reason, "BadRequest");
      const y = await request(cp, "POST", CMS, {
        body: "a: [unclosed",
        contentType: "application/yaml",
      });
      assertEquals(y.status, 400);
    });

    await t.step("YAML bodies are accepted", async () => {
      const r = await request(cp, "POST", CMS, {
        body: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\n",
        contentType: "application/yaml",
      });
      assertEquals(r.status, 201);
    });

    await t.step("unknown resource → 404", async () => {
      const r = await request(cp, "GET", "/api/v1/namespaces/default/gizmos");
      assertEquals(r.status, 404);
      assertEquals(r.body.reason, "NotFound");
      assertEquals((await request(cp, "GET", "/apis/nope.io/v1/things")).status, 404);
    });

    await t.step("kind that does not fit the URL → 400", async () => {
      const body = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } });
      const r = await request(cp, "POST", CMS, { body, contentType: json });
      assertEquals(r.status, 400);
      const ns = await request(cp, "POST", CMS, {
        body: configMap("x", { namespace: "kube-system" }),
        contentType: json,
      });
      assertEquals(ns.status, 400);
      assertStringIncludes(String(ns.body.message), "does not match the namespace");
    });

    await t.step("invalid names → 422", async () => {
      const r = await request(cp, "POST", CMS, { body: configMap("Bad_Name"), contentType: json });
      assertEquals(r.status, 422);
      assertEquals(r.body.reason, "Invalid");
      assertStringIncludes(String(r.body.message), "RFC 1123");
      const none = await request(cp, "POST", CMS, { body: configMap(""), contentType: json });
      assertEquals(none.status, 422);
    });

    await t.step("generateName", async () => {
      const body = JSON.stringify({ kind: "ConfigMap", metadata: { generateName: "gen-" } });
      const r = await request(cp, "POST", CMS, { body, contentType: json });
      assertEquals(r.status, 201);
      const name = String((r.body.metadata as { name: string }).name);
      assertTrue(/^gen-[a-z0-9]{5}$/.test(name), name);
    });

    await t.step("missing namespace → 404", async () => {
      const r = await request(cp, "POST", "/api/v1/namespaces/nowhere/configmaps", {
        body: configMap("x"),
        contentType: json,
      });
      assertEquals(r.status, 404);
      assertEquals(r.body.message, 'namespaces "nowhere" not found');
    });

    await t.step("oversized body → 413", async () => {
      const big = configMap("big").replace('"1"', JSON.stringify("x".repeat(4 * 1024 * 1024)));
      const r = await request(cp, "POST", CMS, { body: big, contentType: json });
      assertEquals(r.status, 413);
    });

    await t.step("no or wrong credentials → 401", async () => {
      const r = await request(cp, "GET", CMS, { creds: { kind: "none" } });
      assertEquals(r.status, 401);
      assertEquals(r.body.reason, "Unauthorized");
      const w = await request(cp, "GET", CMS, { creds: { kind: "token", token: "wrong" } });
      assertEquals(w.status, 401);
      assertEquals((await request(cp, "GET", "/readyz", { creds: { kind: "none" } })).text, "ok");
    });

    await t.step("RBAC: a certificate user gets only what a Role grants", async () => {
      const alice = { kind: "cert" as const, user: "alice", groups: ["devs"] };
      const denied = await request(cp, "GET", CMS, { creds: alice });
      assertEquals(denied.status, 403);
      assertEquals(
        denied.body.message,
        'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group ' +
          '"" in the namespace "default"',
      );
      const role = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "cm-reader", namespace: "default" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
      };
      const binding = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "devs-read", namespace: "default" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "devs" }],
      };
      const rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/default";
      for (const [path, obj] of [[`${rbac}/roles`, role], [`${rbac}/rolebindings`, binding]]) {
        const r = await request(cp, "POST", path as string, {
          body: JSON.stringify(obj),
          contentType: json,
        });
        assertEquals(r.status, 201);
      }
      assertEquals((await request(cp, "GET", CMS, { creds: alice })).status, 200);
      const other = await request(cp, "GET", "/api/v1/namespaces/kube-system/configmaps", {
        creds: alice,
      });
      assertEquals(other.status, 403);
      const write = await request(cp, "POST", CMS, {
        body: configMap("by-alice"),
        contentType: json,
        creds: alice,
      });
      assertEquals(write.status, 403);
    });

    await t.step("stale resourceVersion → 409 Conflict; finalizers; preconditions", async () => {
      const created = await request(cp, "POST", CMS, {
        body: configMap("fin", { finalizers: ["example.com/hold"] }),
        contentType: json,
      });
      const meta = created.body.metadata as { resourceVersion: string; uid: string };
      await request(cp, "PATCH", `${CMS}/fin`, {
        body: '{"data":{"a":"2"}}',
        contentType: "application/merge-patch+json",
      });
      const stale = await request(cp, "PUT", `${CMS}/fin`, {
        body: configMap("fin", { resourceVersion: meta.resourceVersion }),
        contentType: json,
      });
      assertEquals(stale.status, 409);
      assertEquals(stale.body.reason, "Conflict");
      const pre = await request(cp, "DELETE", `${CMS}/fin`, {
        body: JSON.stringify({ preconditions: { uid: "other" } }),
        contentType: json,
      });
      assertEquals(pre.status, 409);
      const del = await request(cp, "DELETE", `${CMS}/fin`);
      assertEquals(del.status, 200);
      assertTrue((del.body.metadata as Record<string, unknown>).deletionTimestamp);
      assertEquals((await request(cp, "GET", `${CMS}/fin`)).status, 200);
      const release = await request(cp, "PATCH", `${CMS}/fin`, {
        body: '{"metadata":{"finalizers":null}}',
        contentType: "application/merge-patch+json",
      });
      assertEquals(release.status, 200);
      assertEquals((await request(cp, "GET", `${CMS}/fin`)).status, 404);
    });

    await t.step("server-side apply without a fieldManager → 400 naming it", async () => {
      const r = await request(cp, "PATCH", `${CMS}/from-yaml`, {
        body: "{}",
        contentType: "application/apply-patch+yaml",
      });
      assertEquals(r.status, 400);
      assertStringIncludes(String(r.body.message), "fieldManager");
    });

    await t.step("list pagination and field selectors", async () => {
      const page = await request(cp, "GET", `${CMS}?limit=1`);
      const meta = page.body.metadata as { continue?: string; resourceVersion: string };
      assertEquals((page.body.items as unknown[]).length, 1);
      assertTrue(meta.continue);
      const rest = await request(
        cp,
        "GET",
        `${CMS}?limit=100&continue=${encodeURIComponent(meta.continue!)}`,
      );
      assertTrue((rest.body.items as unknown[]).length >= 1);
      const byName = await request(cp, "GET", `${CMS}?fieldSelector=metadata.name%3Dfrom-yaml`);
      assertEquals((byName.body.items as unknown[]).length, 1);
      const bad = await request(cp, "GET", `${CMS}?fieldSelector=spec.nope%3Dx`);
      assertEquals(bad.status, 400);
    });

    await t.step("dryRun=All stores nothing", async () => {
      const r = await request(cp, "POST", `${CMS}?dryRun=All`, {
        body: configMap("dry"),
        contentType: json,
      });
      assertEquals(r.status, 201);
      assertEquals((await request(cp, "GET", `${CMS}/dry`)).status, 404);
    });

    await t.step("a terminating namespace refuses new content, then goes away", async () => {
      const nsPath = "/api/v1/namespaces";
      await request(cp, "POST", nsPath, {
        body: JSON.stringify({ metadata: { name: "doomed" } }),
        contentType: json,
      });
      const inDoomed = `${nsPath}/doomed/configmaps`;
      await request(cp, "POST", inDoomed, {
        body: configMap("held", { finalizers: ["example.com/hold"] }),
        contentType: json,
      });
      const del = await request(cp, "DELETE", `${nsPath}/doomed`);
      assertEquals((del.body.status as { phase: string }).phase, "Terminating");
      const refused = await request(cp, "POST", inDoomed, {
        body: configMap("late"),
        contentType: json,
      });
      assertEquals(refused.status, 403);
      await request(cp, "PATCH", `${inDoomed}/held`, {
        body: '{"metadata":{"finalizers":null}}',
        contentType: "application/merge-patch+json",
      });
      let status = 200;
      for (let i = 0; i < 50 && status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await request(cp, "GET", `${nsPath}/doomed`)).status;
      }
      assertEquals(status, 404);
    });

    await t.step("the server still serves", async () => {
      const r = await request(cp, "GET", "/api/v1/namespaces");
      assertEquals(r.status, 200);
      assertEquals((r.body.items as unknown[]).length, 4);
    });
  } finally {
    await cp.stop();
  }
});
