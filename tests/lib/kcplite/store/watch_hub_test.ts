/**
 * Watch history, replay, 410 and listener isolation (through the memory store, which
 * shares the hub with the SQLite store).
 *
 * @module
 */
import assert from "node:assert/strict";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  type ObjectKey,
  ResourceVersionTooOldError,
  type StoreEvent,
} from "../../../../lib/kcplite/store/object_store.ts";
import { openMemoryStore } from "../../../../lib/kcplite/store/memory_store.ts";
import { WatchHub } from "../../../../lib/kcplite/store/watch_hub.ts";

function key(name: string, cluster = "c1", namespace = "ns"): ObjectKey {
  return { cluster, resource: "/configmaps", namespace, name };
}

function obj(name: string) {
  return { metadata: { name } };
}

function line(e: StoreEvent): string {
  return `${e.type} ${e.key.cluster}/${e.key.name} ${e.resourceVersion}`;
}

Deno.test("watch from a resourceVersion replays retained events of the scope, then live", () => {
  const store = openMemoryStore();
  store.create(key("a"), obj("a")); // 1
  store.create(key("b", "c2"), obj("b")); // 2
  store.create({ ...key("s"), resource: "/secrets" }, obj("s")); // 3
  store.update(key("a"), obj("a")); // 4
  store.delete(key("b", "c2")); // 5
  const all: string[] = [];
  const c1: string[] = [];
  store.watch({ resource: "/configmaps" }, 1, (e) => all.push(line(e)));
  store.watch({ cluster: "c1", resource: "/configmaps" }, 0, (e) => c1.push(line(e)));
  assertEquals(all, ["ADDED c2/b 2", "MODIFIED c1/a 4", "DELETED c2/b 5"]);
  assertEquals(c1, ["ADDED c1/a 1", "MODIFIED c1/a 4"]);
  store.create(key("c"), obj("c")); // 6
  assertEquals(all.at(-1), "ADDED c1/c 6");
  assertEquals(c1.at(-1), "ADDED c1/c 6");
  const none: string[] = [];
  store.watch({ resource: "/configmaps" }, 6, (e) => none.push(line(e)));
  store.watch({ resource: "/configmaps" }, 100, (e) => none.push(line(e)));
  assertEquals(none, []);
  store.create(key("d"), obj("d")); // 7
  assertEquals(none, ["ADDED c1/d 7"]);
  store.close();
});

Deno.test("a resourceVersion older than the history fails with ResourceVersionTooOldError", () => {
  const store = openMemoryStore({ historySize: 3 });
  for (const n of ["a", "b", "c", "d", "e"]) store.create(key(n), obj(n)); // 1..5; keeps 3..5
  const seen: number[] = [];
  store.watch({ resource: "/configmaps" }, 2, (e) => seen.push(e.resourceVersion));
  assertEquals(seen, [3, 4, 5]);
  const error = assert.throws(
    () => store.watch({ resource: "/configmaps" }, 1, () => {}),
    (e: unknown) =>
      e instanceof ResourceVersionTooOldError && e.requested === 1 && e.oldestAvailable === 3 &&
      e.message === "too old resource version: 1 (3)",
  );
  void error;
  assertEquals(store.stats().oldestResumableResourceVersion, 2);
  store.close();
});

Deno.test("a store started at a resourceVersion has no history before it", () => {
  const store = openMemoryStore({ startResourceVersion: 40 });
  assert.throws(() => store.watch({ resource: "/configmaps" }, 39, () => {}), /\(40\)/);
  store.watch({ resource: "/configmaps" }, 40, () => {});
  store.watch({ resource: "/configmaps" }, undefined, () => {});
  assertEquals(store.create(key("a"), obj("a")).metadata?.resourceVersion, "41");
  store.close();
});

Deno.test("a throwing listener neither breaks the write nor other listeners", () => {
  const reported: string[] = [];
  const store = openMemoryStore({
    onListenerError: (e, scope) => reported.push(`${scope.resource}: ${(e as Error).message}`),
  });
  const good: number[] = [];
  store.watch({ resource: "/configmaps" }, undefined, () => {
    throw new Error("boom");
  });
  store.watch({ resource: "/configmaps" }, undefined, (e) => good.push(e.resourceVersion));
  store.create(key("a"), obj("a"));
  store.create(key("b"), obj("b"));
  assertEquals(good, [1, 2]);
  assertEquals(reported, ["/configmaps: boom", "/configmaps: boom"]);
  assertTrue(store.get(key("b")) !== undefined);
  store.close();
});

Deno.test("writes made by a listener are delivered after the current event, in order", () => {
  const store = openMemoryStore();
  const first: string[] = [];
  const second: string[] = [];
  store.watch({ resource: "/configmaps" }, undefined, (e) => {
    first.push(line(e));
    if (e.key.name === "a") store.create(key("from-listener"), obj("x"));
  });
  store.watch({ resource: "/configmaps" }, undefined, (e) => second.push(line(e)));
  store.create(key("a"), obj("a"));
  assertEquals(first, ["ADDED c1/a 1", "ADDED c1/from-listener 2"]);
  assertEquals(second, ["ADDED c1/a 1", "ADDED c1/from-listener 2"]);
  store.close();
});

Deno.test("a watch started during replay-triggered writes misses nothing and repeats nothing", () => {
  const store = openMemoryStore();
  store.create(key("a"), obj("a"));
  const seen: string[] = [];
  store.watch({ resource: "/configmaps" }, 0, (e) => {
    seen.push(line(e));
    if (e.key.name === "a") store.create(key("b"), obj("b")); // written during replay
  });
  store.create(key("c"), obj("c"));
  assertEquals(seen, ["ADDED c1/a 1", "ADDED c1/b 2", "ADDED c1/c 3"]);
  store.close();
});

Deno.test("stop is idempotent and stops delivery, also from inside the listener", () => {
  const store = openMemoryStore();
  const seen: number[] = [];
  const w = store.watch({ resource: "/configmaps" }, undefined, (e) => {
    seen.push(e.resourceVersion);
    w.stop();
  });
  store.create(key("a"), obj("a"));
  store.create(key("b"), obj("b"));
  w.stop();
  assertEquals(seen, [1]);
  assertEquals(store.stats().watches, 0);
  store.close();
});

Deno.test("history size 0 keeps nothing; the hub rejects decreasing resourceVersions", () => {
  const hub = new WatchHub({ historySize: 0, startResourceVersion: 0 });
  const k = key("a");
  hub.publish({ type: "ADDED", key: k, json: "{}", resourceVersion: 1 });
  assert.throws(
    () => hub.watch({ resource: "/configmaps" }, 0, () => {}),
    ResourceVersionTooOldError,
  );
  hub.watch({ resource: "/configmaps" }, 1, () => {});
  assert.throws(() => hub.publish({ type: "ADDED", key: k, json: "{}", resourceVersion: 1 }));
  assert.throws(() => new WatchHub({ historySize: -1, startResourceVersion: 0 }), RangeError);
});

Deno.test("history ring wraps and keeps replaying the newest events in order", () => {
  const store = openMemoryStore({ historySize: 4 });
  for (let i = 0; i < 11; i++) store.create(key(`o${i}`), obj(`o${i}`)); // 1..11; keeps 8..11
  const seen: number[] = [];
  store.watch({ resource: "/configmaps" }, 7, (e) => seen.push(e.resourceVersion));
  assertEquals(seen, [8, 9, 10, 11]);
  const tail: number[] = [];
  store.watch({ resource: "/configmaps" }, 9, (e) => tail.push(e.resourceVersion));
  assertEquals(tail, [10, 11]);
  store.close();
});

Deno.test("the history also drops its oldest events beyond a total JSON size", () => {
  const store = openMemoryStore({ historyChars: 1000 });
  const big = (n: string) => ({ metadata: { name: n }, data: { pad: "p".repeat(300) } });
  for (const n of ["a", "b", "c", "d", "e"]) store.create(key(n), big(n)); // ~350 chars each
  const seen: number[] = [];
  store.watch({ resource: "/configmaps" }, 3, (e) => seen.push(e.resourceVersion));
  assertEquals(seen, [4, 5]);
  assert.throws(() => store.watch({ resource: "/configmaps" }, 2, () => {}), /\(4\)/);
  store.create(key("huge"), { metadata: { name: "huge" }, data: { pad: "p".repeat(5000) } });
  assertEquals(store.stats().historyLength, 1, "the newest event stays even when too large");
  store.close();
});

Deno.test("delivery visits only the watches of the event's cluster and the all-cluster ones", () => {
  const store = openMemoryStore();
  const seen = new Map<string, number>();
  const watches = [];
  for (let i = 0; i < 1000; i++) {
    const cluster = `mb-${i}`;
    watches.push(store.watch({ cluster, resource: "/configmaps" }, undefined, () => {
      seen.set(cluster, (seen.get(cluster) ?? 0) + 1);
    }));
  }
  let wildcard = 0;
  store.watch({ resource: "/configmaps" }, undefined, () => wildcard++);
  store.watch({ cluster: "mb-7", resource: "/secrets" }, undefined, () => {});
  const before = store.stats().watchDeliveryVisits;
  store.create(key("a", "mb-7"), obj("a"));
  store.create(key("b", "mb-999"), obj("b"));
  store.create({ ...key("c", "mb-3"), resource: "/secrets" }, obj("c"));
  assertEquals(store.stats().watchDeliveryVisits - before, 4);
  assertEquals([...seen], [["mb-7", 1], ["mb-999", 1]]);
  assertEquals(wildcard, 2);
  assertEquals(store.stats().watches, 1002);
  for (const w of watches) w.stop();
  assertEquals(store.stats().watches, 2);
  store.close();
});

Deno.test("events carry the written labels; odd labels leave the watch to parse the object", () => {
  const store = openMemoryStore();
  const seen: { labels?: Readonly<Record<string, string>>; parsed: unknown }[] = [];
  store.watch({ resource: "/configmaps" }, undefined, (e) => {
    seen.push({ labels: e.labels, parsed: e.object.metadata?.labels ?? {} });
  });
  const labelled = (labels: unknown) => ({ metadata: { name: "a", namespace: "ns", labels } });
  store.create(key("a"), labelled({ tier: "x" }) as ReturnType<typeof obj>);
  store.update(key("a"), labelled(undefined) as ReturnType<typeof obj>);
  const odd = JSON.parse('{"__proto__":"x","tier":"y"}');
  store.update(key("a"), labelled(odd) as ReturnType<typeof obj>);
  store.update(key("a"), labelled({ n: 1 }) as ReturnType<typeof obj>);
  // Each event's labels are exactly what a parse of its stored text gives.
  for (const { labels, parsed } of seen) assertEquals(labels, parsed);
  assertEquals(seen.map((s) => Object.keys(s.labels ?? {})), [
    ["tier"],
    [],
    ["__proto__", "tier"],
    ["n"],
  ]);
  store.close();
});
