/**
 * `@kubernetes/client-node` against kcp-lite (kube mode): typed list, and watches — initial
 * ADDED events, resume from a resourceVersion, selectors (an object that stops matching is
 * DELETED), bookmarks, and `timeoutSeconds`.
 *
 * @module
 */
import * as k8s from "@kubernetes/client-node";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";

interface Seen {
  type: string;
  name: string;
  rv: string;
}

function collector() {
  const events: Seen[] = [];
  const waiters: { pred: (e: Seen[]) => boolean; resolve: () => void }[] = [];
  return {
    events,
    push(type: string, obj: k8s.KubernetesObject) {
      events.push({
        type,
        name: obj.metadata?.name ?? "",
        rv: obj.metadata?.resourceVersion ?? "",
      });
      for (const w of [...waiters]) {
        if (w.pred(events)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    until(pred: (e: Seen[]) => boolean): Promise<void> {
      if (pred(events)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

Deno.test("client-node lists and watches kcp-lite", async (t) => {
  const cp = await startKubeCluster({ bookmarkIntervalMs: 100 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cp.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const watch = new k8s.Watch(kc);
  const aborts: AbortController[] = [];
  try {
    await t.step("typed list", async () => {
      const list = await core.listNamespace();
      assertEquals(list.items.map((n) => n.metadata?.name).sort(), [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
      ]);
      assertTrue(Number(list.metadata?.resourceVersion) > 0);
    });

    await t.step("watch: initial ADDED, then changes, selectors, bookmarks", async () => {
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "one", labels: { app: "x" } } },
      });
      const all = collector();
      const selected = collector();
      aborts.push(
        await watch.watch(
          "/api/v1/namespaces/default/configmaps",
          { allowWatchBookmarks: true },
          (type, obj) => all.push(type, obj),
          () => {},
        ),
      );
      aborts.push(
        await watch.watch(
          "/api/v1/namespaces/default/configmaps",
          { labelSelector: "app=x" },
          (type, obj) => selected.push(type, obj),
          () => {},
        ),
      );
      await all.until((e) => e.some((x) => x.type === "ADDED" && x.name === "one"));
      await selected.until((e) => e.some((x) => x.name === "one"));
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "two" } },
      });
      await core.patchNamespacedConfigMap({
        namespace: "default",
        name: "one",
        body: { metadata: { labels: { app: "y" } } },
      }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
      await all.until((e) => e.some((x) => x.type === "MODIFIED" && x.name === "one"));
      await selected.until((e) => e.some((x) => x.type === "DELETED" && x.name === "one"));
      assertTrue(!selected.events.some((x) => x.name === "two"));
      assertTrue(all.events.some((x) => x.type === "ADDED" && x.name === "two"));
      await all.until((e) => e.some((x) => x.type === "BOOKMARK"));
    });

    await t.step("watch resumes from a resourceVersion", async () => {
      const list = await core.listNamespacedConfigMap({ namespace: "default" });
      const rv = list.metadata!.resourceVersion!;
      await core.deleteNamespacedConfigMap({ namespace: "default", name: "two" });
      const resumed = collector();
      aborts.push(
        await watch.watch(
          "/api/v1/namespaces/default/configmaps",
          { resourceVersion: rv },
          (type, obj) => resumed.push(type, obj),
          () => {},
        ),
      );
      await resumed.until((e) => e.some((x) => x.type === "DELETED" && x.name === "two"));
      assertEquals(resumed.events.filter((x) => x.type === "ADDED").length, 0);
      assertTrue(Number(resumed.events[0].rv) > Number(rv));
    });

    await t.step("timeoutSeconds ends the stream", async () => {
      const ended = Promise.withResolvers<void>();
      await watch.watch(
        "/api/v1/namespaces",
        { timeoutSeconds: 1 },
        () => {},
        () => ended.resolve(),
      );
      await ended.promise;
    });
  } finally {
    for (const a of aborts) a.abort();
    await cp.stop();
  }
});
