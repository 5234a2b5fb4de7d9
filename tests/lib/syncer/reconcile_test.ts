import { assertEquals, assertTrue } from "../../support/assert.ts";
import { Logger } from "../../../lib/log/logger.ts";
import type { KubeObject } from "../../../lib/kube/rest_client.ts";
import {
  type DownsyncDeps,
  NotServedError,
  reconcileDownsync,
} from "../../../lib/syncer/downsync.ts";
import { reconcileStatusReturn } from "../../../lib/syncer/status_return.ts";
import { reconcileUpsync } from "../../../lib/syncer/upsync.ts";
import {
  NAMESPACES,
  planFromSyncerConfig,
  type ResourceId,
} from "../../../lib/syncer/sync_plan.ts";
import type { ResourceInfo } from "../../../lib/syncer/resource_discovery.ts";
import { FakeObjectApi } from "./fake_object_api.ts";

const CM: ResourceId = { group: "", version: "v1", resource: "configmaps" };
const DOWN = "edge.kubestellar.io/downsynced";
const UP = "edge.kubestellar.io/upsynced";
const INFO: Record<string, ResourceInfo> = {
  configmaps: { kind: "ConfigMap", namespaced: true, hasStatus: false },
  namespaces: { kind: "Namespace", namespaced: false, hasStatus: true },
  widgets: { kind: "Widget", namespaced: true, hasStatus: true },
};

function plan(names: string[], upsync: boolean = false) {
  return planFromSyncerConfig({
    metadata: { name: "the-one" },
    spec: {
      namespacedObjects: [{
        group: "",
        resource: "configmaps",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns", names }],
      }],
      upsync: upsync
        ? [{ apiGroup: "", resources: ["configmaps"], namespaces: ["ns"], names: ["*"] }]
        : [],
    },
  });
}

function setup(names: string[]) {
  const mailbox = new FakeObjectApi();
  const wec = new FakeObjectApi();
  const lines: string[] = [];
  const deps: DownsyncDeps & { p: ReturnType<typeof plan> } = {
    p: plan(names),
    plan: () => deps.p,
    mailboxCached: (id, ns, name) => ({ synced: true, obj: mailbox.peek(id, ns, name) }),
    wec,
    wecResource: (id) => Promise.resolve(INFO[id.resource]),
    log: new Logger("t", { write: (l) => lines.push(l) }),
    reportedForeign: new Set(),
  };
  return { mailbox, wec, deps, lines };
}

const cm = (
  name: string,
  data: Record<string, string>,
  annotations: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "ns", annotations },
  data,
});

Deno.test("downsync: creates namespace then object, updates on change only, deletes owned objects", async () => {
  const { mailbox, wec, deps } = setup(["a"]);
  mailbox.put(NAMESPACES, {
    metadata: { name: "ns", labels: { "edge.kubestellar.io/projected": "yes" } },
  });
  mailbox.put(CM, cm("a", { k: "1" }));
  await reconcileDownsync(deps, CM, "ns", "a");
  assertEquals(wec.writes, ["create namespaces /ns", "create configmaps ns/a"]);
  assertEquals(wec.peek(NAMESPACES, "", "ns")?.metadata?.labels, {
    "edge.kubestellar.io/projected": "yes",
  });
  assertEquals(wec.peek(CM, "ns", "a")?.metadata?.annotations?.[DOWN], "ConfigMap/ns/a");
  await reconcileDownsync(deps, CM, "ns", "a");
  assertEquals(wec.writes.length, 2, "no write when nothing changed");
  mailbox.put(CM, cm("a", { k: "2" }));
  await reconcileDownsync(deps, CM, "ns", "a");
  assertEquals(wec.peek(CM, "ns", "a")?.data, { k: "2" });
  mailbox.objects.clear();
  await reconcileDownsync(deps, CM, "ns", "a");
  assertTrue(!wec.peek(CM, "ns", "a"));
  await reconcileDownsync(deps, NAMESPACES, "", "ns");
  assertTrue(!!wec.peek(NAMESPACES, "", "ns"), "a namespace the SyncerConfig lists stays");
  deps.p = plan([], true);
  await reconcileDownsync(deps, NAMESPACES, "", "ns");
  assertTrue(!!wec.peek(NAMESPACES, "", "ns"), "a namespace an upsync clause names stays");
  deps.p = plan([]);
  await reconcileDownsync(deps, NAMESPACES, "", "ns");
  assertTrue(!wec.peek(NAMESPACES, "", "ns"), "an unlisted namespace the syncer made goes");
  wec.put(NAMESPACES, { metadata: { name: "theirs" } });
  await reconcileDownsync(deps, NAMESPACES, "", "theirs");
  assertTrue(!!wec.peek(NAMESPACES, "", "theirs"), "a namespace it did not make stays");
});

Deno.test("downsync: never touches foreign objects; create-only; dropped from the plan; not served", async () => {
  const { mailbox, wec, deps, lines } = setup(["foreign", "once", "dropped"]);
  wec.put(NAMESPACES, { metadata: { name: "ns" } });
  wec.put(CM, cm("foreign", { from: "wec" }));
  mailbox.put(CM, cm("foreign", { from: "mailbox" }));
  await reconcileDownsync(deps, CM, "ns", "foreign");
  await reconcileDownsync(deps, CM, "ns", "foreign");
  assertEquals(wec.peek(CM, "ns", "foreign")?.data, { from: "wec" });
  assertEquals(lines.filter((l) => l.includes("did not create")).length, 1, "reported once");
  mailbox.objects.clear();
  await reconcileDownsync(deps, CM, "ns", "foreign");
  assertTrue(!!wec.peek(CM, "ns", "foreign"), "a foreign object is never deleted");

  mailbox.put(CM, cm("once", { v: "1" }, { "edge.kubestellar.io/downsync-overwrite": "false" }));
  await reconcileDownsync(deps, CM, "ns", "once");
  mailbox.put(CM, cm("once", { v: "2" }, { "edge.kubestellar.io/downsync-overwrite": "false" }));
  await reconcileDownsync(deps, CM, "ns", "once");
  assertEquals(wec.peek(CM, "ns", "once")?.data, { v: "1" });
  mailbox.objects.clear();
  await reconcileDownsync(deps, CM, "ns", "once");
  assertTrue(!!wec.peek(CM, "ns", "once"), "create-only objects are not deleted");

  mailbox.put(CM, cm("dropped", { v: "1" }));
  await reconcileDownsync(deps, CM, "ns", "dropped");
  assertTrue(!!wec.peek(CM, "ns", "dropped"));
  deps.p = plan(["foreign", "once"]);
  await reconcileDownsync(deps, CM, "ns", "dropped");
  assertTrue(!wec.peek(CM, "ns", "dropped"), "an object dropped from the SyncerConfig is deleted");

  deps.p = plan(["x"]);
  mailbox.put(CM, cm("x", {}));
  const notServed = { ...deps, wecResource: () => Promise.resolve(undefined) };
  let thrown: unknown;
  await reconcileDownsync(notServed, CM, "ns", "x").catch((e) => (thrown = e));
  assertTrue(thrown instanceof NotServedError);
  const unsynced = { ...deps, mailboxCached: () => ({ synced: false }) };
  assertEquals(await reconcileDownsync(unsynced, CM, "ns", "x"), { requeueAfterMs: 500 });
});

Deno.test("downsync: an object the WEC rejects fails alone", async () => {
  const { mailbox, wec, deps } = setup(["bad", "good"]);
  wec.put(NAMESPACES, { metadata: { name: "ns" } });
  mailbox.put(CM, cm("bad", {}));
  mailbox.put(CM, cm("good", {}));
  wec.rejected.add("ns/bad");
  let failed = false;
  await reconcileDownsync(deps, CM, "ns", "bad").catch(() => (failed = true));
  await reconcileDownsync(deps, CM, "ns", "good");
  assertTrue(failed);
  assertTrue(!!wec.peek(CM, "ns", "good"));
});

Deno.test("status return: copies a changed status of an owned copy, through /status when served", async () => {
  const W: ResourceId = { group: "example.com", version: "v1", resource: "widgets" };
  const mailbox = new FakeObjectApi();
  const wec = new FakeObjectApi();
  const p = planFromSyncerConfig({
    metadata: { name: "the-one" },
    spec: {
      namespacedObjects: [{
        group: "example.com",
        resource: "widgets",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns", names: ["w"] }],
      }],
    },
  });
  mailbox.put(W, { kind: "Widget", metadata: { name: "w", namespace: "ns" }, spec: {} });
  wec.put(W, {
    kind: "Widget",
    metadata: { name: "w", namespace: "ns", annotations: { [DOWN]: "Widget/ns/w" } },
    status: { ok: true },
  });
  const deps = {
    plan: () => p,
    mailboxCached: (id: ResourceId, ns: string, name: string) => ({
      synced: true,
      obj: mailbox.peek(id, ns, name),
    }),
    wecCached: (id: ResourceId, ns: string, name: string) => ({
      synced: true,
      obj: wec.peek(id, ns, name),
    }),
    mailbox,
    mailboxResource: (id: ResourceId) => Promise.resolve(INFO[id.resource]),
    log: new Logger("t", { write: () => {} }),
  };
  await reconcileStatusReturn(deps, W, "ns", "w");
  assertEquals(mailbox.writes, ["status widgets ns/w"]);
  assertEquals(mailbox.peek(W, "ns", "w")?.status, { ok: true });
  await reconcileStatusReturn(deps, W, "ns", "w");
  assertEquals(mailbox.writes.length, 1, "unchanged status is not written again");
  wec.put(W, { kind: "Widget", metadata: { name: "w", namespace: "ns" }, status: { ok: false } });
  await reconcileStatusReturn(deps, W, "ns", "w");
  assertEquals(mailbox.writes.length, 1, "not from an object the syncer does not own");
});

Deno.test("upsync: create with namespace, update owned only, delete when gone from the WEC", async () => {
  const mailbox = new FakeObjectApi();
  const wec = new FakeObjectApi();
  const p = plan([], true);
  const deps = {
    plan: () => p,
    wecCached: (id: ResourceId, ns: string, name: string) => ({
      synced: true,
      obj: wec.peek(id, ns, name),
    }),
    mailbox,
    mailboxResource: (id: ResourceId) => Promise.resolve(INFO[id.resource]),
    log: new Logger("t", { write: () => {} }),
  };
  wec.put(CM, cm("r", { n: "1" }));
  await reconcileUpsync(deps, CM, "ns", "r");
  assertEquals(mailbox.writes, ["create namespaces /ns", "create configmaps ns/r"]);
  assertEquals(mailbox.peek(CM, "ns", "r")?.metadata?.annotations?.[UP], "ConfigMap/ns/r");
  wec.put(CM, cm("r", { n: "2" }));
  await reconcileUpsync(deps, CM, "ns", "r");
  assertEquals(mailbox.peek(CM, "ns", "r")?.data, { n: "2" });
  mailbox.put(CM, cm("mine", { owner: "mailbox" }));
  wec.put(CM, cm("mine", { owner: "wec" }));
  await reconcileUpsync(deps, CM, "ns", "mine");
  assertEquals(mailbox.peek(CM, "ns", "mine")?.data, { owner: "mailbox" }, "not owned: untouched");
  wec.objects.clear();
  await reconcileUpsync(deps, CM, "ns", "r");
  await reconcileUpsync(deps, CM, "ns", "mine");
  assertTrue(!mailbox.peek(CM, "ns", "r"));
  assertTrue(!!mailbox.peek(CM, "ns", "mine"));
});

Deno.test("downsync: a WEC cache that is behind falls back to the live object", async () => {
  const { mailbox, wec, deps } = setup(["a"]);
  wec.put(NAMESPACES, { metadata: { name: "ns" } });
  mailbox.put(CM, cm("a", { k: "new" }));
  wec.put(CM, cm("a", { k: "old" }, { [DOWN]: "ConfigMap/ns/a" }));
  const behind = { ...deps, wecCached: () => ({ synced: true }) };
  await reconcileDownsync(behind, CM, "ns", "a");
  assertEquals(wec.peek(CM, "ns", "a")?.data, { k: "new" });
  assertEquals(wec.writes, ["update configmaps ns/a"]);
});

Deno.test("downsync: a conflict from a stale cached copy is retried from the live object", async () => {
  const { mailbox, wec, deps } = setup(["a"]);
  wec.put(NAMESPACES, { metadata: { name: "ns" } });
  mailbox.put(CM, cm("a", { k: "new" }));
  const stale = wec.put(CM, cm("a", { k: "old" }, { [DOWN]: "ConfigMap/ns/a" }));
  wec.put(CM, { ...stale, data: { k: "older" } }); // the server moved on
  const behind = { ...deps, wecCached: () => ({ synced: true, obj: stale }) };
  await reconcileDownsync(behind, CM, "ns", "a");
  assertEquals(wec.peek(CM, "ns", "a")?.data, { k: "new" });
});
