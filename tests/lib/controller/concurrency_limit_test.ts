import { ConcurrencyLimit } from "../../../lib/controller/concurrency_limit.ts";
import { assertEquals, assertRejects } from "../../support/assert.ts";

/** A task that ends when `release` is called. */
function gate(): { promise: Promise<void>; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

Deno.test("concurrency limit: at most `limit` tasks run at once; the rest start in arrival order", async () => {
  const slots = new ConcurrencyLimit(2);
  const gates = Array.from({ length: 5 }, gate);
  const started: number[] = [];
  const runs = gates.map((g, i) =>
    slots.run(async () => {
      started.push(i);
      await g.promise;
      return i;
    })
  );
  await Promise.resolve();
  assertEquals(started, [0, 1]);
  assertEquals(slots.running, 2);
  gates[1].release();
  await runs[1];
  await Promise.resolve();
  assertEquals(started, [0, 1, 2]);
  for (const g of gates) g.release();
  assertEquals(await Promise.all(runs), [0, 1, 2, 3, 4]);
  assertEquals(started, [0, 1, 2, 3, 4]);
  assertEquals({ running: slots.running, peak: slots.peak, waited: slots.waited }, {
    running: 0,
    peak: 2,
    waited: 3,
  });
});

Deno.test("concurrency limit: a task that fails gives its slot back", async () => {
  const slots = new ConcurrencyLimit(1);
  const failing = slots.run(() => Promise.reject(new Error("write refused")));
  const next = slots.run(() => Promise.resolve("next ran"));
  await assertRejects(() => failing, /write refused/);
  assertEquals(await next, "next ran");
  assertEquals(slots.running, 0);
});

Deno.test("concurrency limit: the limit is a positive integer", async () => {
  for (const bad of [0, -1, 1.5, NaN]) {
    await assertRejects(() => new ConcurrencyLimit(bad), /positive integer/);
  }
});
