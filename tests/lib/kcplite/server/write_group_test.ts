/**
 * Group commit: the writes of one turn share one store batch, each reply waits for the
 * commit, one handler's error stays its own, and a failed commit fails the whole group.
 * Also through kcp-lite: 16 concurrent PATCHes take fewer commits than requests.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { openMemoryStore } from "../../../../lib/kcplite/store/memory_store.ts";
import type { ObjectKey, ObjectStore } from "../../../../lib/kcplite/store/object_store.ts";
import { WriteGroup } from "../../../../lib/kcplite/server/write_group.ts";
import { request } from "./server_test_client.ts";

const key = (name: string): ObjectKey => ({
  cluster: "c1",
  resource: "/configmaps",
  namespace: "ns",
  name,
});
const cm = (name: string) => ({ metadata: { name, namespace: "ns" }, data: { v: "1" } });

Deno.test("the writes of one turn take one commit and are answered after it", async () => {
  const store = openMemoryStore();
  const writes = new WriteGroup(store);
  const seenAtCommit: number[] = [];
  store.watch({ resource: "/configmaps" }, undefined, () => seenAtCommit.push(answered));
  let answered = 0;
  const replies = Array.from(
    { length: 5 },
    (_, i) =>
      writes.run(() => store.createJson(key(`cm-${i}`), cm(`cm-${i}`))).then((json) => {
        answered++;
        return json;
      }),
  );
  // A failing handler in the same turn: its own error, the others go on.
  const failing = writes.run(() => store.createJson(key("cm-0"), cm("cm-0")));
  const results = await Promise.allSettled([...replies, failing]);
  assertEquals(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "rejected",
  ]);
  assertEquals(store.stats().commits, 1);
  assertEquals(writes.stats(), { requests: 6, batches: 1 });
  // Watchers got every event at the commit, before any reply went out.
  assertEquals(seenAtCommit, [0, 0, 0, 0, 0]);

  // The next turn is the next batch.
  await writes.run(() => store.createJson(key("cm-9"), cm("cm-9")));
  assertEquals(store.stats().commits, 2);
  store.close();
});

Deno.test("a failed commit fails every request of its group", async () => {
  const store = openMemoryStore();
  const failingCommit: ObjectStore = new Proxy(store, {
    get(target, name) {
      if (name === "batch") {
        return (fn: () => unknown) => {
          fn();
          throw new Error("disk full");
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const writes = new WriteGroup(failingCommit);
  const results = await Promise.allSettled([
    writes.run(() => 1),
    writes.run(() => {
      throw new Error("its own error");
    }),
  ]);
  for (const r of results) {
    assertEquals(r.status, "rejected");
    assertEquals((r as PromiseRejectedResult).reason.message, "disk full");
  }
  store.close();
});

Deno.test("concurrent PATCHes share commits in kcp-lite", async () => {
  const cp = await startKubeCluster();
  try {
    const cms = "/api/v1/namespaces/default/configmaps";
    const n = 16;
    for (let i = 0; i < n; i++) {
      const r = await request(cp, "POST", cms, {
        body: JSON.stringify({ metadata: { name: `cm-${i}` }, data: { v: "0" } }),
        contentType: "application/json",
      });
      assertEquals(r.status, 201);
    }
    const before = cp.storeStats!();
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        request(cp, "PATCH", `${cms}/cm-${i}`, {
          body: JSON.stringify({ data: { v: "1" } }),
          contentType: "application/merge-patch+json",
        })),
    );
    for (const r of replies) assertEquals(r.status, 200);
    const after = cp.storeStats!();
    assertEquals(after.writes - before.writes, n);
    const commits = after.commits - before.commits;
    assertTrue(commits < n, `${n} concurrent PATCHes took ${commits} commits`);
    for (let i = 0; i < n; i++) {
      const r = await request(cp, "GET", `${cms}/cm-${i}`);
      assertEquals((r.body.data as Record<string, string>).v, "1");
    }
  } finally {
    await cp.stop();
  }
});
