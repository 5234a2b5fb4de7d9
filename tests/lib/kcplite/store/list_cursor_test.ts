/**
 * List cursors (`ObjectStore.openListCursor`) on both stores: the list order, pages that
 * add up to the list, keyset starts after a position (per namespace, per cluster and across
 * clusters), the count of what remains, and a snapshot that later writes — creates,
 * updates, deletes — do not change while the cursor is open; closing gives the reader back.
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import type { ObjectKey, ObjectStore } from "../../../../lib/kcplite/store/object_store.ts";
import { STORE_KINDS } from "./store_kinds.ts";

function key(cluster: string, namespace: string, name: string): ObjectKey {
  return { cluster, resource: "/configmaps", namespace, name };
}

function fill(store: ObjectStore): void {
  for (const c of ["c2", "c1"]) {
    for (const ns of ["b", "a"]) {
      for (const n of ["y", "x", "z"]) {
        store.create(key(c, ns, n), { metadata: { name: n, namespace: ns }, data: { v: "1" } });
      }
    }
  }
}

const names = (items: { cluster: string; namespace: string; name: string }[]) =>
  items.map((i) => `${i.cluster}/${i.namespace}/${i.name}`);

for (const [kind, open] of STORE_KINDS) {
  Deno.test(`${kind}: cursors read pages in list order, after a position`, () => {
    const { store, cleanup } = open();
    try {
      fill(store);
      const all = store.openListCursor({ resource: "/configmaps" });
      assertEquals(all.resourceVersion, store.currentResourceVersion());
      const first = all.next(5);
      assertEquals(names(first), ["c1/a/x", "c1/a/y", "c1/a/z", "c1/b/x", "c1/b/y"]);
      assertEquals(all.remaining(), 7);
      const rest = [...all.next(100)];
      assertEquals(rest.length, 7);
      assertEquals(all.next(10), []);
      all.close();
      const expected = store.list({ resource: "/configmaps" }).items.map((o) => JSON.stringify(o));
      assertEquals([...first, ...rest].map((i) => i.json), expected);

      const wild = store.openListCursor({ resource: "/configmaps" }, {
        cluster: "c1",
        namespace: "b",
        name: "z",
      });
      assertEquals(names(wild.next(2)), ["c2/a/x", "c2/a/y"]);
      wild.close();
      const cluster = store.openListCursor({ resource: "/configmaps", cluster: "c2" }, {
        cluster: "c2",
        namespace: "a",
        name: "y",
      });
      assertEquals(names(cluster.next(100)), ["c2/a/z", "c2/b/x", "c2/b/y", "c2/b/z"]);
      const ns = store.openListCursor({ resource: "/configmaps", cluster: "c1", namespace: "b" }, {
        cluster: "c1",
        namespace: "b",
        name: "x",
      });
      assertEquals(ns.remaining(), 2);
      assertEquals(names(ns.next(100)), ["c1/b/y", "c1/b/z"]);
      const across = store.openListCursor({ resource: "/configmaps", namespace: "a" });
      assertEquals(names(across.next(100)), [
        "c1/a/x",
        "c1/a/y",
        "c1/a/z",
        "c2/a/x",
        "c2/a/y",
        "c2/a/z",
      ]);
    } finally {
      cleanup();
    }
  });

  Deno.test(`${kind}: a cursor reads the snapshot of its opening`, () => {
    const { store, cleanup } = open();
    try {
      fill(store);
      const rv = store.currentResourceVersion();
      const cursor = store.openListCursor({ resource: "/configmaps", cluster: "c1" });
      assertEquals(names(cursor.next(1)), ["c1/a/x"]);
      store.create(key("c1", "a", "zz"), { metadata: { name: "zz", namespace: "a" } });
      store.update(key("c1", "b", "y"), { metadata: { name: "y", namespace: "b" }, data: {} });
      store.delete(key("c1", "b", "z"));
      store.create(key("c1", "a", "w"), { metadata: { name: "w", namespace: "a" } });
      assertEquals(cursor.remaining(), 5);
      const rest = cursor.next(100);
      assertEquals(names(rest), ["c1/a/y", "c1/a/z", "c1/b/x", "c1/b/y", "c1/b/z"]);
      for (const item of rest) {
        assertEquals(JSON.parse(item.json).data, { v: "1" });
        assertEquals(Number(JSON.parse(item.json).metadata.resourceVersion) <= rv, true);
      }
      assertEquals(cursor.resourceVersion, rv);
      const after = store.openListCursor({ resource: "/configmaps", cluster: "c1" });
      assertEquals(names(after.next(100)), [
        "c1/a/w",
        "c1/a/x",
        "c1/a/y",
        "c1/a/z",
        "c1/a/zz",
        "c1/b/x",
        "c1/b/y",
      ]);
      // Many cursors, opened and closed, and some left open when the store closes.
      for (let i = 0; i < 20; i++) store.openListCursor({ resource: "/configmaps" }).close();
      store.openListCursor({ resource: "/configmaps" });
    } finally {
      cleanup();
    }
  });
}
