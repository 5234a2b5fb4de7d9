import { assertEquals } from "../../../support/assert.ts";
import { RecordCache } from "../../../../lib/kcplite/store/record_cache.ts";

const rec = (json: string, resourceVersion = 1) => ({ json, resourceVersion });

Deno.test("record cache: a hit makes a key the most recently used; the least recently used goes first", () => {
  const cache = new RecordCache({ maxEntries: 3, maxChars: 1_000 });
  cache.remember("a", rec("{}"));
  cache.remember("b", null);
  cache.remember("c", rec("{}"));
  assertEquals(cache.lookup("a")?.json, "{}");
  assertEquals(cache.keysByUse(), ["b", "c", "a"]);
  cache.remember("d", rec("{}"));
  assertEquals(cache.keysByUse(), ["c", "a", "d"]);
  assertEquals(cache.lookup("b"), undefined, "evicted");
  assertEquals(cache.lookup("c")?.json, "{}");
  assertEquals(cache.stats().entries, 3);
});

Deno.test("record cache: the characters held stay within the bound and are counted exactly", () => {
  const cache = new RecordCache({ maxEntries: 100, maxChars: 10 });
  cache.remember("a", rec("1234"));
  cache.remember("b", rec("5678"));
  assertEquals(cache.stats().chars, 8);
  cache.remember("a", rec("12")); // replaces a, now the newest
  assertEquals(cache.keysByUse(), ["b", "a"]);
  assertEquals(cache.stats().chars, 6);
  cache.remember("c", rec("abcdef")); // 12 > 10: b goes
  assertEquals(cache.keysByUse(), ["a", "c"]);
  assertEquals(cache.stats().chars, 8);
  cache.remember("huge", rec("x".repeat(11))); // never held
  assertEquals(cache.lookup("huge"), undefined);
  cache.forget("a");
  assertEquals(cache.keysByUse(), ["c"]);
  assertEquals(cache.stats().chars, 6);
  cache.clear();
  assertEquals(cache.stats(), { entries: 0, chars: 0, hits: 0, misses: 1 });
  assertEquals(cache.keysByUse(), []);
});

Deno.test("record cache: after many hits, forgets and evictions the order is still exact", () => {
  const cache = new RecordCache({ maxEntries: 50, maxChars: 1_000_000 });
  const model: string[] = []; // least to most recently used
  const touch = (k: string) => {
    const i = model.indexOf(k);
    if (i >= 0) model.splice(i, 1);
    model.push(k);
  };
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 80;
  for (let step = 0; step < 5_000; step++) {
    const k = `k${next()}`;
    const op = step % 3;
    if (op === 0) {
      cache.remember(k, rec(k));
      touch(k);
      if (model.length > 50) model.shift();
    } else if (op === 1) {
      if (cache.lookup(k) !== undefined) touch(k);
    } else {
      cache.forget(k);
      const i = model.indexOf(k);
      if (i >= 0) model.splice(i, 1);
    }
  }
  assertEquals(cache.keysByUse(), model);
  assertEquals(cache.stats().chars, model.reduce((n, k) => n + k.length, 0));
});
