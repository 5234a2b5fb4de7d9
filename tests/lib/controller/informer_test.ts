import { assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../../lib/controller/clock.ts";
import { Informer } from "../../../lib/controller/informer.ts";
import type { KubeObject, ListWatch, WatchEvent } from "../../../lib/controller/list_watch.ts";
import { objectKey, splitObjectKey } from "../../../lib/controller/list_watch.ts";

function obj(name: string, rv: string, ns?: string): KubeObject {
  return { metadata: { name, namespace: ns, resourceVersion: rv } };
}

/** Handlers that record each notification as `add|update|delete <name>` in `seen`. */
function recordingHandlers(seen: string[]) {
  return {
    onAdd: (o: KubeObject) => seen.push(`add ${o.metadata!.name}`),
    onUpdate: (_o: KubeObject, n: KubeObject) => seen.push(`update ${n.metadata!.name}`),
    onDelete: (o: KubeObject) => seen.push(`delete ${o.metadata!.name}`),
  };
}

/** A scripted list-watch: each watch call plays the next script entry. */
class ScriptedListWatch implements ListWatch {
  lists: KubeObject[][] = [];
  watches: (WatchEvent[] | Error)[] = [];
  watchFrom: string[] = [];
  listCalls = 0;
  #rv = 0;
  constructor(readonly done: AbortController) {}

  list(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const items = this.lists[Math.min(this.listCalls, this.lists.length - 1)];
    this.listCalls++;
    this.#rv += 10;
    return Promise.resolve({ items, resourceVersion: String(this.#rv) });
  }

  async *watch(rv: string): AsyncIterable<WatchEvent> {
    this.watchFrom.push(rv);
    const next = this.watches.shift();
    if (next === undefined) {
      this.done.abort();
      return;
    }
    if (next instanceof Error) throw next;
    for (const e of next) yield await Promise.resolve(e);
  }
}

Deno.test("informer lists, watches, and reports adds, updates and deletes", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  lw.lists = [[obj("a", "1"), obj("b", "2")]];
  lw.watches = [[
    { type: "MODIFIED", object: obj("a", "11") },
    { type: "ADDED", object: obj("c", "12") },
    { type: "BOOKMARK", object: obj("", "13") },
    { type: "DELETED", object: obj("b", "14") },
  ]];
  const seen: string[] = [];
  const inf = new Informer(lw, recordingHandlers(seen), { backoffBaseMs: 1 });
  await inf.run(ctl.signal);
  assertEquals(seen, ["add a", "add b", "update a", "add c", "delete b"]);
  assertEquals(inf.list().map((o) => o.metadata!.name).sort(), ["a", "c"]);
  assertEquals(lw.watchFrom, ["10", "14"], "re-watches from the last version seen");
});

Deno.test("informer relists on 410 and reports what changed meanwhile, once", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  lw.lists = [[obj("a", "1"), obj("b", "2")], [obj("a", "1"), obj("c", "30")]];
  lw.watches = [Object.assign(new Error("Gone"), { code: 410 }), [], []];
  const seen: string[] = [];
  const inf = new Informer(lw, recordingHandlers(seen), { backoffBaseMs: 1 });
  await inf.run(ctl.signal);
  assertEquals(seen, ["add a", "add b", "add c", "delete b"]);
  assertEquals(lw.listCalls, 2);
  assertEquals(inf.listCount, 2);
});

Deno.test("cachedForm: handlers get whole objects, the cache keeps the form (relists too)", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  const big = (name: string, rv: string) => ({ ...obj(name, rv), data: { blob: "x".repeat(99) } });
  lw.lists = [[big("a", "1"), big("b", "2")], [big("a", "3")]];
  lw.watches = [
    [{ type: "MODIFIED", object: big("a", "2") }],
    Object.assign(new Error("Gone"), {
      code: 410,
    }),
    [],
  ];
  const got: string[] = [];
  const inf = new Informer(lw, {
    onAdd: (o) => got.push(`add ${o.metadata!.name} ${o.data ? "whole" : "form"}`),
    onUpdate: (old, o) =>
      got.push(
        `update ${o.metadata!.name} ${old.data ? "whole" : "form"}→${o.data ? "whole" : "form"}`,
      ),
    onDelete: (o) => got.push(`delete ${o.metadata!.name} ${o.data ? "whole" : "form"}`),
  }, {
    backoffBaseMs: 1,
    cachedForm: (o) => ({ metadata: { ...o.metadata } }),
  });
  await inf.run(ctl.signal);
  assertEquals(got, [
    "add a whole",
    "add b whole",
    "update a form→whole",
    "update a form→whole",
    "delete b form",
  ]);
  assertEquals(inf.list(), [{
    metadata: { name: "a", namespace: undefined, resourceVersion: "3" },
  }]);
});

Deno.test("informer retries other errors with back-off, without relisting", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  lw.lists = [[obj("a", "1")]];
  lw.watches = [new Error("connection refused"), [{ type: "ADDED", object: obj("b", "11") }]];
  const errors: unknown[] = [];
  const inf = new Informer(lw, {}, { backoffBaseMs: 1, onError: (e) => errors.push(e) });
  await inf.run(ctl.signal);
  assertEquals(errors.length, 1);
  assertEquals(lw.listCalls, 1);
  assertEquals(inf.list().length, 2);
});

Deno.test("retryNow ends a back-off wait at once", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  lw.lists = [[obj("a", "1")]];
  lw.watches = [new Error("not served"), [{ type: "ADDED", object: obj("b", "11") }]];
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const inf = new Informer(lw, {}, {
    clock,
    backoffBaseMs: 60_000,
    onError: (e) => errors.push(e),
  });
  const running = inf.run(ctl.signal);
  for (let i = 0; i < 20 && clock.pendingTimers === 0; i++) await Promise.resolve();
  assertEquals([errors.length, clock.pendingTimers], [1, 1], "waiting a minute before retrying");
  inf.retryNow();
  await running; // the clock never moved
  assertEquals(inf.list().length, 2);
  assertEquals(clock.pendingTimers, 0);
});

Deno.test("object keys carry the kcp logical cluster", () => {
  const key = objectKey({
    metadata: { name: "n", namespace: "ns", annotations: { "kcp.io/cluster": "abc" } },
  });
  assertEquals(key, "abc|ns/n");
  assertEquals(splitObjectKey(key), { cluster: "abc", namespace: "ns", name: "n" });
  assertEquals(splitObjectKey("|x"), { cluster: "", namespace: "", name: "x" });
});

Deno.test("informer indexes keep keys by derived values through adds, updates, deletes, relists", async () => {
  const ctl = new AbortController();
  const lw = new ScriptedListWatch(ctl);
  lw.lists = [[obj("a", "1", "ns1"), obj("b", "2", "ns1")], [obj("a", "20", "ns2")]];
  lw.watches = [
    [{ type: "MODIFIED", object: obj("b", "11", "ns1") }, {
      type: "ADDED",
      object: obj("c", "12", "ns2"),
    }, { type: "DELETED", object: obj("a", "13", "ns1") }],
    Object.assign(new Error("Gone"), { code: 410 }),
    [],
  ];
  const byNs = (inf: Informer) => (ns: string) =>
    inf.byIndex("ns", ns).map((o) => o.metadata!.name).sort();
  const seen: string[] = [];
  const inf: Informer = new Informer(lw, {
    onDelete: () => seen.push(byNs(inf)("ns1").join(",")),
  }, {
    backoffBaseMs: 1,
    keyOf: (o) => `${o.metadata?.namespace}/${o.metadata?.name}`,
    indexers: { ns: (o) => [o.metadata?.namespace ?? ""] },
  });
  await inf.run(ctl.signal);
  assertEquals(seen[0], "b", "a deleted object leaves its index before handlers run");
  assertEquals(byNs(inf)("ns1"), [], "relist dropped b");
  assertEquals(byNs(inf)("ns2"), ["a"], "c was dropped by the relist too, a came back");
  assertEquals(inf.size, 1);
});
