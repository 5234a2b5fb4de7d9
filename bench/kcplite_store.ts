/**
 * kcp-lite's object store: sequential creates per second (SQLite and memory), get and
 * list latency among 100,000 objects, reopen time with 100,000 objects, file bytes and
 * process memory per object.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { mib } from "./process_usage.ts";
import type { Benchmark } from "./registry.ts";
import { median, percentile } from "./stats.ts";
import type { ObjectKey, ObjectStore } from "../lib/kcplite/store/object_store.ts";
import { openMemoryStore } from "../lib/kcplite/store/memory_store.ts";
import { openSqliteStore } from "../lib/kcplite/store/sqlite_store.ts";
import type { KubeObject } from "../lib/kube/rest_client.ts";

const OBJECTS = 100_000;
const CLUSTERS = 10;
const NAMESPACES_PER_CLUSTER = 100; // 100 objects per namespace

function keyOf(i: number): ObjectKey {
  return {
    cluster: `cluster-${i % CLUSTERS}`,
    resource: "/configmaps",
    namespace: `ns-${Math.floor(i / CLUSTERS) % NAMESPACES_PER_CLUSTER}`,
    name: `cm-${i}`,
  };
}

function objectOf(key: ObjectKey, i: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: key.name,
      namespace: key.namespace,
      uid: crypto.randomUUID(),
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: { app: "bench", shard: String(i % 7) },
      annotations: { "kcp.io/cluster": key.cluster },
    },
    data: { index: String(i), payload: "x".repeat(64) },
  };
}

/** Creates `count` objects; returns creates per wall second and CPU µs per create. */
function fill(store: ObjectStore, count: number): { rate: number; cpuMicros: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const key = keyOf(i);
    store.create(key, objectOf(key, i));
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: count / ((performance.now() - t0) / 1000),
    cpuMicros: (cpu.user + cpu.system) / count,
  };
}

function describeFill(r: { rate: number; cpuMicros: number }): string {
  return `${fmt(r.rate)}/s wall, ${fmt(r.cpuMicros, 1)} µs CPU per create ` +
    `(= ${fmt(1e6 / r.cpuMicros)}/s on an idle core)`;
}

function timeEach(runs: number, fn: (i: number) => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  return times;
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      total += Deno.statSync(path + suffix).size;
    } catch {
      // absent
    }
  }
  return total;
}

/** Collects garbage when the runtime allows it (`--v8-flags=--expose-gc`). */
function settledHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Deno.memoryUsage().heapUsed;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

export const kcpliteStore: Benchmark = {
  name: "kcplite-store",
  description: "kcp-lite object store: creates/s, list latency, reopen time, memory " +
    "(targets: >= 5,000 creates/s; reopen as fast as possible)",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "kcplite-store-bench-" });
    const path = join(dir, "objects.db");
    try {
      const rss0 = Deno.memoryUsage().rss;
      const heap0 = settledHeap();
      let store = openSqliteStore(path);
      let watched = 0;
      store.watch({ resource: "/configmaps" }, undefined, () => watched++);
      console.log(
        `sqlite sequential creates (${OBJECTS}, 1 watcher): ${describeFill(fill(store, OBJECTS))}`,
      );
      const rss1 = Deno.memoryUsage().rss;
      const heap1 = settledHeap();

      const updates = timeEach(10_000, (i) => {
        const key = keyOf(i * 7 % OBJECTS);
        store.update(key, objectOf(key, i));
      });
      console.log(`sqlite sequential updates: ${fmt(1000 / median(updates))}/s (median)`);

      const gets = timeEach(10_000, (i) => store.get(keyOf(i * 13 % OBJECTS)));
      console.log(`get: median ${fmt(median(gets) * 1000, 1)} µs`);
      const lists = timeEach(500, (i) => {
        const k = keyOf(i * 31 % OBJECTS);
        store.list({ cluster: k.cluster, resource: k.resource, namespace: k.namespace });
      });
      console.log(
        `list one namespace (100 of ${OBJECTS}): median ${fmt(median(lists), 2)} ms, ` +
          `p99 ${fmt(percentile(lists, 99), 2)} ms`,
      );
      const clusterList = timeEach(
        20,
        (i) => store.list({ cluster: `cluster-${i % CLUSTERS}`, resource: "/configmaps" }),
      );
      console.log(
        `list one cluster (${OBJECTS / CLUSTERS} objects): median ${
          fmt(median(clusterList), 1)
        } ms`,
      );
      const wildcard = timeEach(3, () => store.list({ resource: "/configmaps" }));
      console.log(`list all clusters (${OBJECTS} objects): median ${fmt(median(wildcard))} ms`);
      store.close();

      const bytes = fileBytes(path);
      console.log(
        `file: ${mib(bytes)}, ${fmt(bytes / OBJECTS)} bytes/object ` +
          `(object JSON ~${JSON.stringify(objectOf(keyOf(1), 1)).length} bytes)`,
      );
      const gcNote = "gc" in globalThis ? "after GC" : "without forced GC: run with " +
        "--v8-flags=--expose-gc for the retained figure";
      console.log(
        `memory after writing ${OBJECTS} objects (a record cache of at most 16,384 objects and the ` +
          `20,000-event watch history are included): heap +${mib(heap1 - heap0)} ` +
          `(${gcNote}), RSS +${mib(rss1 - rss0)}`,
      );
      const heapClosed = settledHeap();
      store = openSqliteStore(path);
      console.log(
        `JS heap of an open store with an empty history: ${
          fmt((settledHeap() - heapClosed) / 1024)
        } KiB (plus SQLite's native page cache, at most 2 MiB)`,
      );
      store.close();

      const reopen = timeEach(5, () => openSqliteStore(path).close());
      store = openSqliteStore(path);
      const t0 = performance.now();
      store.list({ cluster: "cluster-3", resource: "/configmaps", namespace: "ns-42" });
      const firstList = performance.now() - t0;
      console.log(
        `reopen with ${OBJECTS} objects: median ${fmt(median(reopen), 1)} ms; ` +
          `first namespace list after reopen ${
            fmt(firstList, 2)
          } ms; rv ${store.currentResourceVersion()}`,
      );
      store.close();

      const full = openSqliteStore(join(dir, "full.db"), { synchronous: "full" });
      console.log(
        `sqlite sequential creates, synchronous=full (fsync per commit): ${
          describeFill(fill(full, 2_000))
        }`,
      );
      full.close();

      const memory = openMemoryStore();
      console.log(`memory store sequential creates: ${describeFill(fill(memory, OBJECTS))}`);
      memory.close();
      if (watched < OBJECTS) console.log(`watch delivered only ${watched} events`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};
