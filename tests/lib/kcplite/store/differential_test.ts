/**
 * The memory and SQLite stores behave identically: a seeded random sequence of creates,
 * updates, deletes (with right, wrong and no preconditions) and reads, some of them in
 * batches, gives the same results, errors, lists and watch streams on both, and the SQLite
 * store reopened gives the same state again. The SQLite store's record cache is small here,
 * so that answers from the cache, from SQLite and after evictions are all compared.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals } from "../../../support/assert.ts";
import type {
  ObjectKey,
  ObjectStore,
  StoreEvent,
} from "../../../../lib/kcplite/store/object_store.ts";
import { openMemoryStore } from "../../../../lib/kcplite/store/memory_store.ts";
import { openSqliteStore } from "../../../../lib/kcplite/store/sqlite_store.ts";

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLUSTERS = ["root", "2abc", "zz"];
const NAMESPACES = ["", "default", "kube-system"];
const RESOURCES = ["/configmaps", "apps/deployments"];

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

function snapshot(store: ObjectStore): unknown {
  const out: unknown[] = [];
  for (const resource of RESOURCES) {
    out.push(store.list({ resource }));
    for (const cluster of CLUSTERS) {
      out.push(store.list({ cluster, resource }));
      for (const namespace of NAMESPACES) out.push(store.list({ cluster, resource, namespace }));
    }
    out.push(store.list({ resource, namespace: "default" }));
  }
  return out;
}

Deno.test("memory and SQLite stores agree on a random history", () => {
  const dir = Deno.makeTempDirSync({ prefix: "kcplite-diff-" });
  const path = join(dir, "objects.db");
  const memory = openMemoryStore();
  // A small record cache (a third of the keys), so that evictions happen all the time.
  let sqlite = openSqliteStore(path, { cache: { maxEntries: 64, maxChars: 6_000 } });
  const events: Record<string, StoreEvent[]> = { memory: [], sqlite: [] };
  memory.watch({ resource: "/configmaps" }, undefined, (e) => events.memory.push(e));
  sqlite.watch({ resource: "/configmaps" }, undefined, (e) => events.sqlite.push(e));
  try {
    const rand = random(20261125);
    const seen = new Map<string, number>();
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const step1 = (step: number) => {
      const key: ObjectKey = {
        cluster: pick(CLUSTERS),
        resource: pick(RESOURCES),
        namespace: pick(NAMESPACES),
        name: `o${Math.floor(rand() * 12)}`,
      };
      const object = { metadata: { name: key.name, labels: { step: String(step) } } };
      const current = memory.get(key)?.metadata?.resourceVersion;
      const conditions = rand() < 0.5 ? undefined : {
        expectedResourceVersion: rand() < 0.7 && current ? current : String(step % 50 + 1),
      };
      const op = rand();
      const run = (store: ObjectStore) =>
        outcome(() =>
          op < 0.4
            ? store.create(key, object)
            : op < 0.7
            ? store.update(key, object, conditions)
            : op < 0.85
            ? store.delete(key, conditions)
            : [store.get(key), store.has(key), store.getJson(key)]
        );
      const result = run(memory);
      assertEquals(run(sqlite), result, `step ${step}`);
      const kind = (result as { error?: string }).error ?? "ok";
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    };
    for (let step = 0; step < 1500; step++) {
      if (rand() >= 0.1) {
        step1(step);
        continue;
      }
      // A batch of up to 4 operations on each store; watchers hear of them afterwards.
      const size = 1 + Math.floor(rand() * 4);
      const heard = [events.memory.length, events.sqlite.length];
      memory.batch(() =>
        sqlite.batch(() => {
          for (let i = 0; i < size; i++) step1(step + i);
          assertEquals([events.memory.length, events.sqlite.length], heard);
        })
      );
      step += size - 1;
    }
    for (const kind of ["ok", "AlreadyExistsError", "NotFoundError", "ConflictError"]) {
      assertEquals((seen.get(kind) ?? 0) > 50, true, `enough ${kind}: ${[...seen]}`);
    }
    assertEquals(sqlite.currentResourceVersion(), memory.currentResourceVersion());
    assertEquals(events.sqlite, events.memory);
    const expected = snapshot(memory);
    assertEquals(snapshot(sqlite), expected);
    sqlite.close();
    sqlite = openSqliteStore(path);
    assertEquals(snapshot(sqlite), expected, "after reopen");
  } finally {
    memory.close();
    sqlite.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
