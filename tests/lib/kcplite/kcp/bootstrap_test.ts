import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { k, SERVER, settle, startEnv } from "./kcp_test_env.ts";
import { startKcpBackend } from "../../../../lib/kcplite/kcp/kcp_backend.ts";

Deno.test("bootstrap: root, system:admin roles and root:compute with the kubernetes export", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    assertTrue(backend.ready());
    assertEquals(backend.defaultCluster(), "root");
    assertEquals(backend.resolveCluster("root"), "root");
    const lc = store.get(k("root", "core.kcp.io/logicalclusters", "cluster"))!;
    assertEquals((lc.status as { phase: string }).phase, "Ready");
    assertEquals(lc.metadata?.annotations?.["internal.tenancy.kcp.io/type"], "root:root");
    for (const ns of ["default", "kcp-system"]) {
      assertTrue(store.get(k("root", "/namespaces", ns)), ns);
    }
    const types = store.list({ cluster: "root", resource: "tenancy.kcp.io/workspacetypes" })
      .items.map((t) => t.metadata!.name);
    assertEquals(types, ["home", "organization", "root", "team", "universal"]);
    assertTrue(
      store.get(k("system:admin", "rbac.authorization.k8s.io/clusterroles", "cluster-admin")),
    );
    assertTrue(
      store.get(
        k(
          "root",
          "rbac.authorization.k8s.io/clusterrolebindings",
          "system:kcp:apiexport:tenancy.kcp.io:bind",
        ),
      ),
    );

    const compute = backend.resolveCluster("root:compute")!;
    assertTrue(/^[a-z0-9]{16}$/.test(compute), compute);
    assertEquals(backend.clusterPath(compute), "root:compute");
    const ws = store.get(k("root", "tenancy.kcp.io/workspaces", "compute"))!;
    assertEquals((ws.spec as { type: unknown }).type, { name: "universal", path: "root" });
    assertEquals((ws.spec as { URL: string }).URL, `${SERVER}/clusters/${compute}`);
    const schemas = store.list({ cluster: compute, resource: "apis.kcp.io/apiresourceschemas" })
      .items.map((s) => s.metadata!.name).sort();
    assertEquals(schemas, [
      "v124.deployments.apps",
      "v124.ingresses.networking.k8s.io",
      "v124.pods.core",
      "v124.services.core",
    ]);
    const exp = store.get(k(compute, "apis.kcp.io/apiexports", "kubernetes"))!;
    const status = exp.status as { identityHash: string; virtualWorkspaces: { url: string }[] };
    assertTrue(/^[0-9a-f]{64}$/.test(status.identityHash));
    assertEquals(status.virtualWorkspaces, [{
      url: `${SERVER}/services/apiexport/${compute}/kubernetes`,
    }]);
    assertEquals(exp.metadata?.annotations?.["kcp.io/path"], "root:compute");
    const vw = backend.virtualWorkspace("root:compute", "kubernetes")!;
    assertTrue(vw.resources.lookup("apps", "v1", "deployments"));
    assertEquals(vw.boundClusters(), []);
    // kcp mode serves no pods without a binding
    assertEquals(backend.resources("root").lookup("", "v1", "pods"), undefined);
    assertTrue(backend.resources("root").lookup("tenancy.kcp.io", "v1alpha1", "workspaces"));
  } finally {
    await env.close();
  }
});

Deno.test("bootstrap is idempotent: a second backend on the same store changes nothing", async () => {
  const env = await startEnv();
  try {
    const compute = env.backend.resolveCluster("root:compute");
    await settle(env.store);
    env.backend.stop();
    const before = env.store.currentResourceVersion();
    const again = await startKcpBackend(env.store, {
      serverUrl: () => SERVER,
      serviceAccountKey: env.keys,
      caCertPem: () => "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n",
    });
    try {
      assertTrue(again.ready());
      assertEquals(again.resolveCluster("root:compute"), compute);
      await new Promise((r) => setTimeout(r, 50));
      assertEquals(env.store.currentResourceVersion(), before);
    } finally {
      again.stop();
    }
  } finally {
    await env.close();
  }
});

Deno.test("a restart on another URL moves workspace, LogicalCluster and export URLs", async () => {
  const env = await startEnv();
  try {
    const compute = env.backend.resolveCluster("root:compute")!;
    env.backend.stop();
    await new Promise((r) => setTimeout(r, 10));
    const moved = "https://127.0.0.1:7443";
    const again = await startKcpBackend(env.store, {
      serverUrl: () => moved,
      serviceAccountKey: env.keys,
    });
    try {
      const { store } = env;
      const wsUrl = () =>
        (store.get(k("root", "tenancy.kcp.io/workspaces", "compute"))?.spec as { URL?: string })
          .URL;
      const vwUrl = () =>
        (store.get(k(compute, "apis.kcp.io/apiexports", "kubernetes"))?.status as {
          virtualWorkspaces?: { url: string }[];
        }).virtualWorkspaces?.[0]?.url;
      for (let i = 0; i < 200 && wsUrl() !== `${moved}/clusters/${compute}`; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assertEquals(wsUrl(), `${moved}/clusters/${compute}`);
      for (let i = 0; i < 200 && !vwUrl()?.startsWith(moved); i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assertEquals(vwUrl(), `${moved}/services/apiexport/${compute}/kubernetes`);
      const lcUrl = (id: string) =>
        (store.get(k(id, "core.kcp.io/logicalclusters", "cluster"))?.status as { URL?: string })
          .URL;
      assertEquals(lcUrl("root"), `${moved}/clusters/root`);
      assertEquals(lcUrl(compute), `${moved}/clusters/${compute}`);
    } finally {
      again.stop();
    }
  } finally {
    await env.close();
  }
});
