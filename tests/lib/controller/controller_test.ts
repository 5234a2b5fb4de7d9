import { assertEquals, assertTrue } from "../../support/assert.ts";
import { Controller } from "../../../lib/controller/controller.ts";

Deno.test("controller never reconciles one key concurrently and retries failures", async () => {
  const active = new Set<string>();
  let overlap = false;
  const calls: string[] = [];
  let failOnce = true;
  const ctl = new AbortController();
  const c = new Controller("t", async (key) => {
    if (active.has(key)) overlap = true;
    active.add(key);
    calls.push(key);
    await new Promise((r) => setTimeout(r, 5));
    active.delete(key);
    if (key === "x" && failOnce) {
      failOnce = false;
      throw new Error("transient");
    }
    if (calls.length >= 6) ctl.abort();
  }, { workers: 4, retryBaseMs: 1 });
  c.enqueue("x");
  c.enqueue("y");
  const run = c.run(ctl.signal);
  c.enqueue("x");
  c.enqueue("x");
  c.enqueue("z");
  setTimeout(() => c.enqueue("y"), 20);
  setTimeout(() => ctl.abort(), 500);
  await run;
  assertEquals(overlap, false);
  assertTrue(c.failures === 1, `one failure, got ${c.failures}`);
  assertTrue(calls.filter((k) => k === "x").length >= 2, "x retried after its failure");
});

Deno.test("a storm of cheap reconciles in one controller does not starve another", async () => {
  const ctl = new AbortController();
  let stormDone = 0;
  let stormAtOther = -1;
  const storm = new Controller("storm", () => {
    stormDone++;
    return Promise.resolve();
  }, { workers: 4 });
  const other = new Controller("other", () => {
    stormAtOther = stormDone;
    ctl.abort();
    return Promise.resolve();
  }, { workers: 1 });
  const keys = 20_000;
  for (let i = 0; i < keys; i++) storm.enqueue(`k${i}`);
  const runs = [storm.run(ctl.signal), other.run(ctl.signal)];
  setTimeout(() => other.enqueue("x"), 0);
  await Promise.all(runs);
  assertTrue(stormAtOther >= 0, "the other controller ran");
  assertTrue(
    stormAtOther < keys,
    `it ran while the storm was going on (after ${stormAtOther} of ${keys} storm reconciles)`,
  );
});
