import { assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../../lib/controller/clock.ts";
import { WorkQueue } from "../../../lib/controller/workqueue.ts";
import { ExponentialBackoff } from "../../../lib/controller/rate_limiter.ts";

Deno.test("a key added many times before it is taken is processed once", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  q.add("b");
  q.add("a");
  assertEquals(q.length, 2);
  assertEquals(await q.get(), "a");
  assertEquals(await q.get(), "b");
  assertEquals(q.length, 0);
});

Deno.test("a key added while processing is re-queued on done, never handed out twice", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  const k = await q.get();
  q.add("a");
  assertEquals(q.length, 0, "not queued while a worker holds it");
  q.done(k!);
  assertEquals(q.length, 1);
  assertEquals(await q.get(), "a");
  q.done("a");
  assertEquals(q.length, 0);
});

Deno.test("waiting getters are woken by add and by shutDown", async () => {
  const q = new WorkQueue<string>();
  const first = q.get();
  const second = q.get();
  q.add("x");
  assertEquals(await first, "x");
  q.shutDown();
  assertEquals(await second, undefined);
  q.add("y");
  assertEquals(await q.get(), undefined);
});

Deno.test("addAfter and addRateLimited wait on the clock with exponential back-off", () => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({
    clock,
    rateLimiter: new ExponentialBackoff({ baseMs: 10, maxMs: 100 }),
  });
  q.addRateLimited("a");
  assertEquals(q.length, 0);
  clock.advance(9);
  assertEquals(q.length, 0);
  clock.advance(1);
  assertEquals(q.length, 1);
  q.addRateLimited("b");
  q.addRateLimited("b");
  assertEquals(q.retries("b"), 2);
  clock.advance(10);
  assertEquals(q.length, 2, "the earlier delayed add of b wins");
  q.forget("b");
  assertEquals(q.retries("b"), 0);
  q.shutDown();
});

Deno.test("back-off doubles up to the maximum", () => {
  const b = new ExponentialBackoff<string>({ baseMs: 5, maxMs: 30 });
  assertEquals([b.when("k"), b.when("k"), b.when("k"), b.when("k"), b.when("k")], [
    5,
    10,
    20,
    30,
    30,
  ]);
  assertEquals(b.when("other"), 5);
});
