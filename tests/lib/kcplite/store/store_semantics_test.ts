/**
 * The ObjectStore contract, checked on both implementations (memory and SQLite).
 *
 * @module
 */
import assert from "node:assert/strict";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  type ObjectKey,
  type ObjectStore,
  StoreError,
} from "../../../../lib/kcplite/store/object_store.ts";
import { STORE_KINDS } from "./store_kinds.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";

function cmKey(name: string, namespace = "ns", cluster = "c1"): ObjectKey {
  return { cluster, resource: "/configmaps", namespace, name };
}

function cm(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}

function names(items: KubeObject[]): string[] {
  return items.map((o) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name}`);
}

for (const [kind, make] of STORE_KINDS) {
  const test = (name: string, fn: (store: ObjectStore) => void) =>
    Deno.test(`${kind}: ${name}`, () => {
      const { store, cleanup } = make();
      try {
        fn(store);
      } finally {
        cleanup();
      }
    });

  test("create sets resourceVersion, get returns a copy, counter is global", (store) => {
    assertEquals(store.currentResourceVersion(), 0);
    const input = cm("a", { k: "v" });
    const created = store.create(cmKey("a"), input);
    assertEquals(created.metadata?.resourceVersion, "1");
    assertEquals(input.metadata?.resourceVersion, undefined, "input is not modified");
    store.create({ cluster: "c2", resource: "apps/deployments", namespace: "x", name: "d" }, {
      metadata: { name: "d" },
    });
    assertEquals(store.currentResourceVersion(), 2);
    const got = store.get(cmKey("a"))!;
    assertEquals(got, created);
    got.data = { changed: "yes" };
    created.metadata!.labels = { mutated: "true" };
    assertEquals(store.get(cmKey("a")), {
      ...cm("a", { k: "v" }),
      metadata: { name: "a", resourceVersion: "1" },
    });
    assertEquals(store.get(cmKey("missing")), undefined);
  });

  test("create of an existing key fails and changes nothing", (store) => {
    store.create(cmKey("a"), cm("a"));
    assert.throws(() => store.create(cmKey("a"), cm("a")), AlreadyExistsError);
    assertEquals(store.currentResourceVersion(), 1);
    // the same name elsewhere is another object
    store.create(cmKey("a", "other"), cm("a"));
    store.create(cmKey("a", "ns", "c2"), cm("a"));
    assertEquals(store.currentResourceVersion(), 3);
  });

  test("update replaces, honours expectedResourceVersion, 404 when missing", (store) => {
    store.create(cmKey("a"), cm("a", { v: "1" }));
    const updated = store.update(cmKey("a"), cm("a", { v: "2" }), {
      expectedResourceVersion: "1",
    });
    assertEquals(updated.metadata?.resourceVersion, "2");
    assertEquals(store.get(cmKey("a"))?.data, { v: "2" });
    assert.throws(
      () => store.update(cmKey("a"), cm("a", { v: "3" }), { expectedResourceVersion: "1" }),
      (e: unknown) =>
        e instanceof ConflictError &&
        /Operation cannot be fulfilled on configmaps "a": the object has been modified/.test(
          e.message,
        ),
    );
    assertEquals(store.get(cmKey("a"))?.data, { v: "2" });
    store.update(cmKey("a"), cm("a", { v: "4" })); // unconditional
    assertEquals(store.get(cmKey("a"))?.metadata?.resourceVersion, "3");
    assert.throws(() => store.update(cmKey("nope"), cm("nope")), NotFoundError);
    assertEquals(store.currentResourceVersion(), 3);
  });

  test("delete returns the last state with the deletion's resourceVersion", (store) => {
    store.create(cmKey("a"), cm("a", { v: "1" }));
    assert.throws(() => store.delete(cmKey("a"), { expectedResourceVersion: "9" }), ConflictError);
    const gone = store.delete(cmKey("a"), { expectedResourceVersion: "1" });
    assertEquals(gone.data, { v: "1" });
    assertEquals(gone.metadata?.resourceVersion, "2");
    assertEquals(store.currentResourceVersion(), 2);
    assertEquals(store.get(cmKey("a")), undefined);
    assert.throws(() => store.delete(cmKey("a")), NotFoundError);
    store.create(cmKey("a"), cm("a"));
    assertEquals(store.get(cmKey("a"))?.metadata?.resourceVersion, "3");
  });

  test("list is sorted by cluster, namespace, name and honours the scope", (store) => {
    for (
      const [c, ns, n] of [["c2", "b", "x"], ["c1", "b", "y"], ["c1", "a", "z"], ["c1", "b", "a"], [
        "c2",
        "a",
        "m",
      ]]
    ) {
      store.create(cmKey(n, ns, c), { metadata: { name: n, namespace: ns, annotations: { c } } });
    }
    store.create({ cluster: "c1", resource: "/namespaces", namespace: "", name: "b" }, {
      metadata: { name: "b" },
    });
    const all = store.list({ resource: "/configmaps" });
    assertEquals(all.resourceVersion, 6);
    assertEquals(
      all.items.map((o) =>
        `${o.metadata?.annotations?.c}/${o.metadata?.namespace}/${o.metadata?.name}`
      ),
      ["c1/a/z", "c1/b/a", "c1/b/y", "c2/a/m", "c2/b/x"],
    );
    assertEquals(names(store.list({ cluster: "c1", resource: "/configmaps" }).items), [
      "a/z",
      "b/a",
      "b/y",
    ]);
    assertEquals(
      names(store.list({ cluster: "c1", resource: "/configmaps", namespace: "b" }).items),
      ["b/a", "b/y"],
    );
    assertEquals(names(store.list({ resource: "/configmaps", namespace: "a" }).items), [
      "a/z",
      "a/m",
    ]);
    assertEquals(store.list({ cluster: "c3", resource: "/configmaps" }).items, []);
    assertEquals(store.list({ resource: "/secrets" }), { items: [], resourceVersion: 6 });
    assertEquals(names(store.list({ cluster: "c1", resource: "/namespaces" }).items), ["/b"]);
    assertEquals(
      names(store.list({ cluster: "c1", resource: "/namespaces", namespace: "" }).items),
      ["/b"],
    );
  });

  test("a precondition no object can have is a conflict; empty means none", (store) => {
    store.create(cmKey("a"), cm("a"));
    for (const bad of ["abc", "01", "-1", "1.0", "0"]) {
      assert.throws(
        () => store.update(cmKey("a"), cm("a"), { expectedResourceVersion: bad }),
        ConflictError,
        bad,
      );
    }
    assert.throws(() => store.delete(cmKey("a"), { expectedResourceVersion: "x" }), ConflictError);
    assert.throws(
      () => store.update(cmKey("nope"), cm("nope"), { expectedResourceVersion: "1" }),
      NotFoundError,
    );
    assert.throws(
      () => store.delete(cmKey("nope"), { expectedResourceVersion: "1" }),
      NotFoundError,
    );
    assertEquals(store.currentResourceVersion(), 1);
    store.update(cmKey("a"), cm("a"), { expectedResourceVersion: "" });
    assertEquals(store.currentResourceVersion(), 2);
  });

  test("has and getJson answer without parsing what they do not need", (store) => {
    assertEquals(store.has(cmKey("a")), false);
    assertEquals(store.getJson(cmKey("a")), undefined);
    store.create(cmKey("a"), cm("a", { k: "v" }));
    assertEquals(store.has(cmKey("a")), true);
    assertEquals(store.has(cmKey("a", "other")), false);
    assertEquals(JSON.parse(store.getJson(cmKey("a"))!), store.get(cmKey("a")));
    store.delete(cmKey("a"));
    assertEquals(store.has(cmKey("a")), false);
  });

  test("stats count objects and watches", (store) => {
    const stats = (store as unknown as { stats(): Record<string, number> }).stats;
    store.create(cmKey("a"), cm("a"));
    store.create(cmKey("b"), cm("b"));
    store.delete(cmKey("a"));
    const w = store.watch({ resource: "/configmaps" }, 0, () => {});
    // A backend with a record cache adds its hits and misses.
    const { cacheHits: _hits, cacheMisses: _misses, ...counts } = stats.call(store);
    assertEquals(counts, {
      objects: 1,
      resourceVersion: 3,
      historyLength: 3,
      oldestResumableResourceVersion: 0,
      watches: 1,
      watchDeliveryVisits: 0,
      watchObjectParses: 0,
      writes: 3,
      commits: 3,
    });
    store.create(cmKey("c"), cm("c"));
    assertEquals(stats.call(store).watchDeliveryVisits, 1);
    w.stop();
  });

  test("keys need a name and a cluster", (store) => {
    assert.throws(() => store.create(cmKey(""), cm("")), StoreError);
    assert.throws(() => store.create(cmKey("a", "ns", ""), cm("a")), StoreError);
    assertEquals(store.currentResourceVersion(), 0);
  });

  test("close stops watches; later calls throw; close again is harmless", (store) => {
    let events = 0;
    store.watch({ resource: "/configmaps" }, undefined, () => events++);
    store.create(cmKey("a"), cm("a"));
    store.close();
    store.close();
    assertEquals(events, 1);
    assert.throws(() => store.get(cmKey("a")), /closed/);
    assert.throws(() => store.create(cmKey("b"), cm("b")), StoreError);
    assert.throws(() => store.list({ resource: "/configmaps" }), StoreError);
    assert.throws(() => store.watch({ resource: "/configmaps" }, undefined, () => {}), StoreError);
    assert.throws(() => store.currentResourceVersion(), StoreError);
  });

  test("watch delivers writes in order with a copy per listener", (store) => {
    const a: string[] = [];
    const b: string[] = [];
    store.watch({ cluster: "c1", resource: "/configmaps" }, undefined, (e) => {
      a.push(`${e.type} ${e.key.namespace}/${e.key.name} ${e.resourceVersion}`);
      e.object.metadata!.name = "mutated";
    });
    store.watch({ resource: "/configmaps", namespace: "ns" }, undefined, (e) => {
      b.push(
        `${e.type} ${e.key.cluster}/${e.object.metadata?.name} ${e.object.metadata?.resourceVersion}`,
      );
    });
    store.create(cmKey("a"), cm("a"));
    store.create(cmKey("b", "other"), cm("b"));
    store.create(cmKey("c", "ns", "c2"), cm("c"));
    store.update(cmKey("a"), cm("a", { x: "y" }));
    store.delete(cmKey("a"));
    store.create({ cluster: "c1", resource: "/secrets", namespace: "ns", name: "s" }, cm("s"));
    assertEquals(a, ["ADDED ns/a 1", "ADDED other/b 2", "MODIFIED ns/a 4", "DELETED ns/a 5"]);
    assertEquals(b, ["ADDED c1/a 1", "ADDED c2/c 3", "MODIFIED c1/a 4", "DELETED c1/a 5"]);
    assertTrue(store.get(cmKey("b", "other"))?.metadata?.name === "b");
  });

  test("a batch commits once; its events reach watchers after it, in order", (store) => {
    const stats = () => (store as unknown as { stats(): Record<string, number> }).stats();
    store.create(cmKey("a"), cm("a"));
    const seen: string[] = [];
    store.watch({ resource: "/configmaps" }, undefined, (e) => {
      seen.push(
        `${e.type} ${e.key.name} ${e.resourceVersion} ${e.object.metadata?.resourceVersion}`,
      );
    });
    const before = stats();
    const result = store.batch(() => {
      store.create(cmKey("b"), cm("b"));
      store.update(cmKey("a"), cm("a", { k: "v" }));
      // Reads in the batch see its writes; watchers do not yet.
      assertEquals(store.get(cmKey("b"))?.metadata?.resourceVersion, "2");
      assertEquals(store.has(cmKey("b")), true);
      assertEquals(store.list({ resource: "/configmaps" }).items.length, 2);
      assertEquals(store.batch(() => store.delete(cmKey("b"))).metadata?.resourceVersion, "4");
      assertEquals(store.currentResourceVersion(), 4);
      assertEquals(seen, []);
      return "done";
    });
    assertEquals(result, "done");
    assertEquals(seen, ["ADDED b 2 2", "MODIFIED a 3 3", "DELETED b 4 4"]);
    assertEquals(stats().writes - before.writes, 3);
    assertEquals(stats().commits - before.commits, 1, "one commit for the batch");
    store.batch(() => store.get(cmKey("a")));
    assertEquals(
      stats().commits - before.commits,
      1,
      "a batch that writes nothing commits nothing",
    );
    assertEquals(store.get(cmKey("a"))?.data, { k: "v" });
    assertEquals(store.get(cmKey("b")), undefined);
  });

  test("a batch whose function throws keeps what it wrote before, as single writes would", (store) => {
    const seen: string[] = [];
    store.watch({ resource: "/configmaps" }, undefined, (e) => seen.push(e.key.name));
    assert.throws(
      () =>
        store.batch(() => {
          store.create(cmKey("a"), cm("a"));
          store.create(cmKey("a"), cm("a")); // AlreadyExists
          store.create(cmKey("never"), cm("never"));
        }),
      AlreadyExistsError,
    );
    assertEquals(seen, ["a"]);
    assertEquals(store.get(cmKey("a"))?.metadata?.resourceVersion, "1");
    assertEquals(store.has(cmKey("never")), false);
    assertEquals(store.create(cmKey("b"), cm("b")).metadata?.resourceVersion, "2");
  });
}
