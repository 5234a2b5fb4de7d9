import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import { type FakeRequest, sendJson, sendStatus } from "../../support/fake_apiserver.ts";
import { withFakeServerClient } from "./fake_server_client.ts";
import { Informer } from "../../../lib/controller/informer.ts";
import { isGone, type KubeObject } from "../../../lib/controller/list_watch.ts";
import { restListWatch } from "../../../lib/controller/rest_list_watch.ts";

const CM = { version: "v1", resource: "configmaps" };

const query = (req: FakeRequest) => new URL(req.url, "https://x").searchParams;
const cm = (name: string, rv = "1") => ({
  metadata: { name, namespace: "n", resourceVersion: rv },
});

function event(type: string, object: unknown): string {
  return JSON.stringify({ type, object }) + "\n";
}

Deno.test("list: pages through the collection with the selectors, filling in kind and apiVersion", async () => {
  await withFakeServerClient(async (server, client) => {
    server.handler = (req, res) => {
      const cont = query(req).get("continue");
      sendJson(res, 200, {
        kind: "ConfigMapList",
        apiVersion: "v1",
        metadata: cont ? { resourceVersion: "9" } : { resourceVersion: "8", continue: "p2" },
        items: cont ? [cm("c")] : [cm("a"), { ...cm("b"), kind: "Other", apiVersion: "x/v1" }],
      });
    };
    const lw = restListWatch(client, { ...CM, name: "ignored" }, {
      labelSelector: "app=web",
      fieldSelector: "metadata.namespace=n",
      pageSize: 2,
    });
    const { items, resourceVersion } = await lw.list(new AbortController().signal);
    assertEquals(items.map((o) => `${o.kind}/${o.apiVersion}/${o.metadata?.name}`), [
      "ConfigMap/v1/a",
      "Other/x/v1/b",
      "ConfigMap/v1/c",
    ]);
    assertEquals(resourceVersion, "9");
    assertEquals(server.requests.length, 2);
    const [first, second] = server.requests.map(query);
    assertEquals(server.requests[0].url.split("?")[0], "/api/v1/configmaps");
    assertEquals(
      [first.get("labelSelector"), first.get("fieldSelector"), first.get("limit")],
      ["app=web", "metadata.namespace=n", "2"],
    );
    assertEquals([second.get("continue"), second.get("labelSelector")], ["p2", "app=web"]);
  });
});

Deno.test("list: an expired continue token falls back to one unpaged list", async () => {
  await withFakeServerClient(async (server, client) => {
    server.handler = (req, res) => {
      const q = query(req);
      if (q.get("continue")) return sendStatus(res, 410, "Expired", "continue token expired");
      if (!q.get("limit")) {
        return sendJson(res, 200, {
          kind: "ConfigMapList",
          apiVersion: "v1",
          metadata: { resourceVersion: "20" },
          items: [cm("a"), cm("b")],
        });
      }
      sendJson(res, 200, {
        kind: "ConfigMapList",
        apiVersion: "v1",
        metadata: { resourceVersion: "10", continue: "old" },
        items: [cm("a")],
      });
    };
    const { items, resourceVersion } = await restListWatch(client, CM, { pageSize: 1 })
      .list(new AbortController().signal);
    assertEquals(items.map((o) => o.metadata?.name), ["a", "b"]);
    assertEquals(resourceVersion, "20");
    assertEquals(server.requests.length, 3);
  });
});

Deno.test("watch: selectors, bookmarks, a bounded jittered timeout; 410 surfaces as Gone", async () => {
  await withFakeServerClient(async (server, client) => {
    server.handler = (req, res) => {
      if (query(req).get("resourceVersion") === "1") {
        return sendStatus(res, 410, "Expired", "too old resource version");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.write(event("ADDED", cm("a", "5")));
      res.end(event("BOOKMARK", { metadata: { resourceVersion: "6" } }));
    };
    const signal = new AbortController().signal;
    const lw = restListWatch(client, CM, { labelSelector: "app=web" });
    const seen: string[] = [];
    for await (const ev of lw.watch("4", signal)) {
      seen.push(`${ev.type}@${ev.object.metadata?.resourceVersion}`);
    }
    assertEquals(seen, ["ADDED@5", "BOOKMARK@6"]);
    const q = query(server.requests[0]);
    assertEquals(
      [
        q.get("watch"),
        q.get("resourceVersion"),
        q.get("allowWatchBookmarks"),
        q.get("labelSelector"),
      ],
      ["true", "4", "true", "app=web"],
    );
    const timeout = Number(q.get("timeoutSeconds"));
    assertTrue(timeout >= 240 && timeout < 300, `timeout ${timeout}`);
    const fixed = restListWatch(client, CM, { watchTimeoutSeconds: 7 });
    for await (const _ of fixed.watch("4", signal)) { /* drain */ }
    assertEquals(query(server.requests[1]).get("timeoutSeconds"), "7");
    const gone = await assertRejects(async () => {
      for await (const _ of lw.watch("1", signal)) { /* nothing */ }
    });
    assertTrue(isGone(gone));
  });
});

Deno.test("an informer on it relists after 410 and stops at once while its watch waits", async () => {
  await withFakeServerClient(async (server, client) => {
    let lists = 0;
    let open = 0;
    server.handler = (req, res) => {
      const q = query(req);
      if (q.get("watch") !== "true") {
        lists++;
        return sendJson(res, 200, {
          kind: "ConfigMapList",
          apiVersion: "v1",
          metadata: { resourceVersion: lists === 1 ? "10" : "30" },
          items: lists === 1 ? [cm("a", "10")] : [cm("b", "30")],
        });
      }
      if (q.get("resourceVersion") === "10") {
        return sendStatus(res, 410, "Expired", "too old resource version");
      }
      open++;
      res.on("close", () => open--);
      res.writeHead(200, { "content-type": "application/json" });
      res.write(event("ADDED", cm("c", "31")));
      // then silence: the stream stays open
    };
    const names = new Set<string>();
    const informer = new Informer<KubeObject>(restListWatch(client, CM), {
      onAdd: (o) => names.add(o.metadata!.name!),
      onDelete: (o) => names.delete(o.metadata!.name!),
    });
    const abort = new AbortController();
    const running = informer.run(abort.signal);
    for (let i = 0; i < 200 && !names.has("c"); i++) await new Promise((r) => setTimeout(r, 10));
    assertEquals([...names].sort(), ["b", "c"]);
    assertEquals(informer.listCount, 2);
    abort.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise((r) => timer = setTimeout(() => r("still running"), 2000));
    assertEquals(await Promise.race([running.then(() => "stopped"), bound]), "stopped");
    clearTimeout(timer);
    for (let i = 0; i < 100 && open > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assertEquals(open, 0);
  });
});
