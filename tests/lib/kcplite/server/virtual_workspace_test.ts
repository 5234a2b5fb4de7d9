/**
 * The APIExport virtual workspace on kcp-lite (kcp mode): after a workspace binds
 * `root:compute`'s `kubernetes` export, its Deployments are listed through
 * `/services/apiexport/<compute id>/kubernetes/clusters/*` and read and written through
 * `/clusters/<consumer id>`; a cluster that does not bind the export is 404 there, and
 * writes under `*` are 405.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";
import { eventually } from "../../../support/eventually.ts";

const json = "application/json";

Deno.test("APIExport virtual workspace serves bound resources", async () => {
  if (Deno.env.get("KUBESTELLAR_TEST_KCP")) return;
  const cp = await startControlPlane();
  try {
    const ws = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";
    await request(cp, "POST", ws, {
      body: JSON.stringify({ metadata: { name: "wmw" }, spec: {} }),
      contentType: json,
    });
    const consumer = await eventually("workspace wmw Ready", async () => {
      const w = await request(cp, "GET", `${ws}/wmw`);
      const ready = (w.body.status as { phase?: string })?.phase === "Ready";
      return ready ? (w.body.spec as { cluster: string }).cluster : undefined;
    });
    const compute = (await request(cp, "GET", `${ws}/compute`)).body.spec as { cluster: string };
    const binding = {
      apiVersion: "apis.kcp.io/v1alpha1",
      kind: "APIBinding",
      metadata: { name: "kubernetes" },
      spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
    };
    const bindings = "/clusters/root:wmw/apis/apis.kcp.io/v1alpha1/apibindings";
    assertEquals(
      (await request(cp, "POST", bindings, { body: JSON.stringify(binding), contentType: json }))
        .status,
      201,
    );
    const deployments = "/clusters/root:wmw/apis/apps/v1/namespaces/default/deployments";
    await eventually("deployments served in root:wmw", async () => {
      const r = await request(cp, "GET", deployments);
      return r.status === 200 ? true : undefined;
    });
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      },
    };
    assertEquals(
      (await request(cp, "POST", deployments, {
        body: JSON.stringify(deployment),
        contentType: json,
      })).status,
      201,
    );
    const vw = `/services/apiexport/${compute.cluster}/kubernetes`;
    const all = await request(cp, "GET", `${vw}/clusters/*/apis/apps/v1/deployments`);
    assertEquals(all.status, 200);
    const items = all.body.items as {
      metadata: { name: string; annotations: Record<string, string> };
    }[];
    assertTrue(
      items.some((i) =>
        i.metadata.name === "web" && i.metadata.annotations["kcp.io/cluster"] === consumer
      ),
    );
    const one = await request(
      cp,
      "GET",
      `${vw}/clusters/${consumer}/apis/apps/v1/namespaces/default/deployments/web`,
    );
    assertEquals(one.status, 200);
    const status = await request(
      cp,
      "PATCH",
      `${vw}/clusters/${consumer}/apis/apps/v1/namespaces/default/deployments/web/status`,
      { body: '{"status":{"replicas":1}}', contentType: "application/merge-patch+json" },
    );
    assertEquals(status.status, 200);
    const write = await request(
      cp,
      "POST",
      `${vw}/clusters/*/apis/apps/v1/namespaces/default/deployments`,
      {
        body: JSON.stringify(deployment),
        contentType: json,
      },
    );
    assertEquals(write.status, 405);
    const stranger = await request(
      cp,
      "GET",
      `${vw}/clusters/nosuchcluster/apis/apps/v1/deployments`,
    );
    assertEquals(stranger.status, 404);
  } finally {
    await cp.stop();
  }
});
