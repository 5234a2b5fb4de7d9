/**
 * Watches with field selectors on the name and namespace (decided from the store key, the
 * object unparsed) and with label selectors send the same events as kube-apiserver: only
 * objects that match, in order, across namespaces.
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const JSON_BODY = "application/json";

Deno.test("watches filtered by name, namespace and labels get exactly their events", async () => {
  const cp = await startKubeCluster();
  try {
    const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
    const create = async (ns: string, name: string, labels: Record<string, string> = {}) => {
      const r = await request(cp, "POST", cms(ns), {
        body: JSON.stringify({ metadata: { name, labels }, data: { v: "1" } }),
        contentType: JSON_BODY,
      });
      assertEquals(r.status, 201);
    };
    const start = await request(cp, "GET", "/api/v1/configmaps?limit=1");
    const rv = (start.body.metadata as { resourceVersion: string }).resourceVersion;
    await create("default", "a", { tier: "x" });
    await create("kube-system", "a");
    await create("default", "b", { tier: "x" });
    const patch = (ns: string, name: string) =>
      request(cp, "PATCH", `${cms(ns)}/${name}`, {
        body: JSON.stringify({ data: { v: "2" } }),
        contentType: "application/merge-patch+json",
      });
    assertEquals((await patch("default", "a")).status, 200);
    assertEquals((await patch("default", "b")).status, 200);
    assertEquals((await request(cp, "DELETE", `${cms("default")}/b`)).status, 200);

    const events = async (path: string, query: string) => {
      const r = await request(
        cp,
        "GET",
        `${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=1&${query}`,
      );
      return r.text.trim().split("\n").filter((l) => l).map((l) => {
        const e = JSON.parse(l);
        return `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`;
      });
    };
    const name = encodeURIComponent("metadata.name=a");
    assertEquals(await events("/api/v1/configmaps", `fieldSelector=${name}`), [
      "ADDED default/a",
      "ADDED kube-system/a",
      "MODIFIED default/a",
    ]);
    const both = encodeURIComponent("metadata.name=a,metadata.namespace=default");
    assertEquals(await events("/api/v1/configmaps", `fieldSelector=${both}`), [
      "ADDED default/a",
      "MODIFIED default/a",
    ]);
    const notA = encodeURIComponent("metadata.name!=a");
    assertEquals(await events(cms("default"), `fieldSelector=${notA}`), [
      "ADDED default/b",
      "MODIFIED default/b",
      "DELETED default/b",
    ]);
    const tier = encodeURIComponent("tier=x");
    assertEquals(
      await events("/api/v1/configmaps", `labelSelector=${tier}&fieldSelector=${name}`),
      [
        "ADDED default/a",
        "MODIFIED default/a",
      ],
    );
  } finally {
    await cp.stop();
  }
});

Deno.test("a label-selected watch sends changes without parsing or re-serializing them", async () => {
  const cp = await startKubeCluster();
  try {
    const cms = "/api/v1/namespaces/default/configmaps";
    const start = await request(cp, "GET", `/api/v1/configmaps?limit=1`);
    const rv = (start.body.metadata as { resourceVersion: string }).resourceVersion;
    // One body without apiVersion and kind: kcp-lite stores them first all the same.
    const bodies = [
      { metadata: { name: "bare", labels: { tier: "x" } }, data: { v: "1" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "typed", labels: { tier: "x" } } },
      { kind: "ConfigMap", metadata: { name: "other", labels: { tier: "y" } } },
    ];
    for (const body of bodies) {
      const r = await request(cp, "POST", cms, {
        body: JSON.stringify(body),
        contentType: JSON_BODY,
      });
      assertEquals(r.status, 201);
    }
    for (const name of ["bare", "typed", "other"]) {
      const r = await request(cp, "PATCH", `${cms}/${name}`, {
        body: JSON.stringify({ metadata: { labels: { patched: "yes" } } }),
        contentType: "application/merge-patch+json",
      });
      assertEquals(r.status, 200);
      assertEquals(Object.keys(r.body).slice(0, 2), ["apiVersion", "kind"]);
    }
    assertEquals((await request(cp, "DELETE", `${cms}/typed`)).status, 200);

    const parsedBefore = cp.storeStats!().watchObjectParses;
    const tier = encodeURIComponent("tier=x");
    const r = await request(
      cp,
      "GET",
      `/api/v1/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1&labelSelector=${tier}`,
    );
    const events = r.text.trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(events.map((e) => `${e.type} ${e.object.metadata.name}`), [
      "ADDED bare",
      "ADDED typed",
      "MODIFIED bare",
      "MODIFIED typed",
      "DELETED typed",
    ]);
    for (const e of events) {
      assertEquals([e.object.apiVersion, e.object.kind], ["v1", "ConfigMap"]);
      assertEquals(e.object.metadata.labels.tier, "x");
    }
    assertEquals(events[2].object.metadata.labels.patched, "yes");
    // Seven changes were looked at and five sent: none of them was parsed to do so.
    assertEquals(cp.storeStats!().watchObjectParses - parsedBefore, 0);
  } finally {
    await cp.stop();
  }
});
