import { restListWatch } from "../../../../lib/controller/rest_list_watch.ts";
import { restClientFor } from "../../../../lib/kube/rest_client.ts";
import { loadKubeconfig } from "../../../../lib/kubeconfig/kubeconfig.ts";
import { assertEquals } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";

// Two servers in one process make the same object at the same resourceVersion: each
// server's watchers must see that server's object (the shared encoded-line cache once
// served one server's line to the other's watchers).
Deno.test("watch: two kcp-lite servers in one process never send each other's events", async () => {
  const servers = [await startKubeCluster(), await startKubeCluster()];
  const clients = await Promise.all(servers.map(async (s) => {
    const kc = await loadKubeconfig({ kubeconfig: s.kubeconfigPath });
    return restClientFor(await kc.restConfig());
  }));
  const ref = { version: "v1", resource: "configmaps", namespace: "default" };
  const abort = new AbortController();
  try {
    const watches = clients.map((c) =>
      restListWatch(c, { group: "", version: "v1", resource: "configmaps" })
        .watch("1", abort.signal)[Symbol.asyncIterator]()
    );
    const made = [];
    for (const c of clients) {
      made.push(
        await c.create(ref, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "same" } }),
      );
    }
    assertEquals(made[0].metadata?.resourceVersion, made[1].metadata?.resourceVersion);
    for (const [i, w] of watches.entries()) {
      let ev = await w.next();
      while (!ev.done && ev.value.object.metadata?.name !== "same") ev = await w.next();
      assertEquals(ev.value.object.metadata?.uid, made[i].metadata?.uid, `server ${i}`);
    }
  } finally {
    abort.abort();
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
  }
});
