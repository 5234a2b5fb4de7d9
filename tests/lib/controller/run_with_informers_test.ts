import { runWithInformers } from "../../../lib/controller/run_with_informers.ts";
import { assertEquals } from "../../support/assert.ts";

/** An informer stand-in that syncs when told and runs until the signal aborts. */
function fakeInformer(log: string[], name: string) {
  const synced = Promise.withResolvers<void>();
  return {
    sync: () => synced.resolve(),
    synced: synced.promise,
    run: (signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        log.push(`${name} runs`);
        signal.addEventListener("abort", () => {
          log.push(`${name} stops`);
          resolve();
        }, { once: true });
      }),
  };
}

Deno.test("runWithInformers: the work starts once every informer synced; informers are awaited", async () => {
  const log: string[] = [];
  const a = fakeInformer(log, "a");
  const b = fakeInformer(log, "b");
  const abort = new AbortController();
  const done = runWithInformers([a, b], abort.signal, async () => {
    log.push("work");
    await new Promise((r) => setTimeout(r, 1));
    abort.abort();
  });
  a.sync();
  await new Promise((r) => setTimeout(r, 5));
  assertEquals(log, ["a runs", "b runs"], "no work before b synced");
  b.sync();
  await done;
  assertEquals(log, ["a runs", "b runs", "work", "a stops", "b stops"]);
});

Deno.test("runWithInformers: an abort before the sync skips the work", async () => {
  const log: string[] = [];
  const a = fakeInformer(log, "a");
  const abort = new AbortController();
  const done = runWithInformers([a], abort.signal, () => {
    log.push("work");
    return Promise.resolve();
  });
  abort.abort();
  await done;
  assertEquals(log, ["a runs", "a stops"]);
});

Deno.test("runWithInformers: an informer's error goes to onInformerError", async () => {
  const errors: unknown[] = [];
  const abort = new AbortController();
  const failing = { synced: Promise.resolve(), run: () => Promise.reject(new Error("boom")) };
  await runWithInformers([failing], abort.signal, () => Promise.resolve(), {
    onInformerError: (e) => errors.push(e),
  });
  assertEquals(errors.map((e) => (e as Error).message), ["boom"]);
});
