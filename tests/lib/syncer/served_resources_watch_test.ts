import type { ServerResponse } from "node:http";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { sendJson, sendStatus } from "../../support/fake_apiserver.ts";
import { Informer } from "../../../lib/controller/informer.ts";
import type { KubeObject } from "../../../lib/controller/list_watch.ts";
import { restListWatch } from "../../../lib/controller/rest_list_watch.ts";
import { ResourceDiscovery } from "../../../lib/syncer/resource_discovery.ts";
import { withFakeServerClient } from "../controller/fake_server_client.ts";
import {
  apiBindingWatch,
  crdServes,
  crdWatch,
  ServedResourcesWatch,
} from "../../../lib/syncer/served_resources_watch.ts";

function crd(group: string, established: boolean, versions = ["v1"], rv = "1") {
  return {
    metadata: { name: `things.${group}`, resourceVersion: rv },
    spec: {
      group,
      names: { plural: "things" },
      versions: versions.map((name) => ({ name, served: true })),
    },
    status: { conditions: [{ type: "Established", status: established ? "True" : "False" }] },
  };
}

function binding(name: string, bound: string[], rv: string) {
  return {
    metadata: { name, resourceVersion: rv },
    status: bound.length === 0
      ? { phase: "Binding" }
      : { phase: "Bound", boundResources: bound.map((group) => ({ group, resource: "things" })) },
  };
}

Deno.test("crdServes: nothing until Established, then the plural and served versions", () => {
  assertEquals(crdServes(crd("a.example", false)), "");
  assertEquals(crdServes(crd("a.example", true, ["v1", "v2"])), "things|v1,v2");
});

/** Runs `watch` against a server that lists `items` then streams `events`; returns the groups reported. */
async function reported(
  items: unknown[],
  events: Array<{ type: string; object: unknown }>,
  start: typeof crdWatch,
): Promise<string[]> {
  const groups: string[] = [];
  const want = events.length;
  await withFakeServerClient(async (_server, client) => {
    const abort = new AbortController();
    const informer = start(client, { onGroupChanged: (g) => groups.push(g) });
    const running = informer.run(abort.signal);
    try {
      await informer.synced;
      for (let i = 0; i < 200 && informer.resourceVersion !== String(want + 1); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      abort.abort();
      await running;
    }
  }, (req, res) => {
    if (!req.url.includes("watch=true")) {
      return sendJson(res, 200, { kind: "List", metadata: { resourceVersion: "1" }, items });
    }
    res.writeHead(200, { "content-type": "application/json" });
    // Send the events once; later watches stay silent.
    res.write(events.splice(0).map((e) => JSON.stringify(e) + "\n").join(""));
  });
  return groups;
}

Deno.test("crdWatch reports a group when a CRD is established, changes what it serves, or goes", async () => {
  const groups = await reported(
    [crd("a.example", true), crd("b.example", false)],
    [
      { type: "MODIFIED", object: crd("b.example", true, ["v1"], "2") },
      // Only its status changed: what it serves did not.
      { type: "MODIFIED", object: { ...crd("a.example", true, ["v1"], "3"), extra: 1 } },
      { type: "MODIFIED", object: crd("a.example", true, ["v1", "v2"], "4") },
      { type: "DELETED", object: crd("b.example", true, ["v1"], "5") },
    ],
    crdWatch,
  );
  assertEquals(groups, ["a.example", "b.example", "a.example", "b.example"]);
});

Deno.test("apiBindingWatch reports the groups of a binding once Bound and when it goes", async () => {
  const groups = await reported(
    [binding("ready", ["edge.example"], "1"), binding("pending", [], "1")],
    [
      { type: "MODIFIED", object: binding("pending", ["x.example", "y.example"], "2") },
      { type: "DELETED", object: binding("ready", ["edge.example"], "3") },
    ],
    apiBindingWatch,
  );
  assertEquals(groups, ["edge.example", "x.example", "y.example", "edge.example"]);
});

Deno.test("ServedResourcesWatch: a binding of a group forgets its discovery, wakes its informers, re-plans", async () => {
  let bound = false;
  const bindingWatches: ServerResponse[] = [];
  const hits = (server: { requests: { url: string }[] }, prefix: string) =>
    server.requests.filter((r) => r.url.startsWith(prefix)).length;
  await withFakeServerClient(async (server, client) => {
    const discovery = new ResourceDiscovery(client);
    assertEquals(await discovery.preferredVersion("x.example"), undefined);
    const things = new Informer<KubeObject>(
      restListWatch(client, { group: "x.example", version: "v1", resource: "things" }),
      {},
      { backoffBaseMs: 600_000 },
    );
    const informers = new Map([["x.example/v1/things", things]]);
    let changes = 0;
    const watch = new ServedResourcesWatch({ client, discovery, informers }, {
      onChanged: () => changes++,
      apiBindings: true,
    });
    const abort = new AbortController();
    const running = [things.run(abort.signal), watch.run(abort.signal)];
    try {
      for (
        let i = 0;
        i < 200 && (hits(server, "/apis/x.example/v1/things") < 1 || bindingWatches.length < 1);
        i++
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      bound = true; // things become served, and the binding watch says so
      const event = { type: "ADDED", object: binding("b", ["x.example"], "2") };
      for (const w of bindingWatches) w.write(JSON.stringify(event) + "\n");
      for (let i = 0; i < 300 && things.listCount === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assertEquals(things.listCount, 1, "the informer retried at once, not after 10 minutes");
      assertEquals(await discovery.preferredVersion("x.example"), "v1");
      assertTrue(changes >= 1);
    } finally {
      abort.abort();
      await Promise.all(running);
    }
  }, (req, res) => {
    const path = req.url.split("?")[0];
    const watching = req.url.includes("watch=true");
    if (path === "/apis/apis.kcp.io") {
      return sendJson(res, 200, { name: "apis.kcp.io", versions: [{ version: "v1alpha1" }] });
    }
    if (path === "/apis/x.example" && bound) {
      return sendJson(res, 200, { name: "x.example", versions: [{ version: "v1" }] });
    }
    if (path === "/apis/x.example/v1/things" && bound && !watching) {
      return sendJson(res, 200, {
        kind: "ThingList",
        metadata: { resourceVersion: "1" },
        items: [],
      });
    }
    const known = path.endsWith("/customresourcedefinitions") || path.endsWith("/apibindings");
    if (!known) return sendStatus(res, 404, "NotFound", "not served");
    if (!watching) {
      return sendJson(res, 200, { kind: "List", metadata: { resourceVersion: "1" }, items: [] });
    }
    res.writeHead(200, { "content-type": "application/json" });
    if (path.endsWith("/apibindings")) bindingWatches.push(res);
  });
});
