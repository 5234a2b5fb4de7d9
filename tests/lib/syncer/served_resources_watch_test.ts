import { assertEquals } from "../../support/assert.ts";
import { sendJson } from "../../support/fake_apiserver.ts";
import { withFakeServerClient } from "../controller/fake_server_client.ts";
import {
  apiBindingWatch,
  crdServes,
  crdWatch,
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
