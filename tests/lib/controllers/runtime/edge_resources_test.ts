import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  edgeExportFrom,
  openEdgeView,
} from "../../../../lib/controllers/runtime/edge_resources.ts";
import { RestClient } from "../../../../lib/kube/rest_client.ts";

const config = {
  server: "https://127.0.0.1:1/clusters/root",
  namespace: "default",
  contextName: "root",
  clusterName: "root",
  userName: "u",
};

const exported = {
  metadata: { name: "edge.kubestellar.io", annotations: { "kcp.io/cluster": "espwid" } },
  status: {
    identityHash: "abc",
    virtualWorkspaces: [{
      url: "https://127.0.0.1:1/services/apiexport/espwid/edge.kubestellar.io",
    }],
  },
};

Deno.test("edge export: identity, ESPW id, wildcard and local addresses", () => {
  assertEquals(edgeExportFrom({ metadata: { name: "x" } }), undefined, "no identity yet");
  const e = edgeExportFrom(exported)!;
  assertEquals(e.identityHash, "abc");
  assertEquals(e.espwCluster, "espwid");
  assertEquals(e.wildcard("synctargets").resource, "synctargets:abc");
  assertEquals(e.local("synctargets"), {
    group: "edge.kubestellar.io",
    version: "v2alpha1",
    resource: "synctargets",
  });
});

Deno.test("edge view: the virtual workspace when published, else the wildcard", () => {
  const client = new RestClient(config);
  const allClusters = new RestClient({ ...config, server: "https://127.0.0.1:1" });
  try {
    const vw = openEdgeView(edgeExportFrom(exported)!, { client, allClusters });
    assertEquals(vw.via, "virtual workspace");
    assertEquals(
      vw.all.server,
      "https://127.0.0.1:1/services/apiexport/espwid/edge.kubestellar.io/clusters/*",
    );
    assertEquals(vw.ref("locations").resource, "locations");
    const one = vw.workspace("wmwid");
    assertTrue(one.server.endsWith("/edge.kubestellar.io/clusters/wmwid"));
    one.close();
    vw.close();
    const noVw = { ...exported, status: { identityHash: "abc" } };
    const wild = openEdgeView(edgeExportFrom(noVw)!, { client, allClusters });
    assertEquals(wild.via, "wildcard");
    assertEquals(wild.all.server, "https://127.0.0.1:1/clusters/*");
    assertEquals(wild.ref("locations").resource, "locations:abc");
    wild.close();
  } finally {
    client.close();
    allClusters.close();
  }
});
