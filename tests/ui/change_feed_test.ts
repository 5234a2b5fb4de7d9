/**
 * The change feed: changes published within the batch window reach every stream as
 * one `change` event with the topics sorted and the generation grown; streams beyond
 * the limit are refused; closing ends them.
 *
 * @module
 */
import { ChangeFeed } from "../../lib/ui/change_feed.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";

async function next(reader: ReadableStreamDefaultReader<string>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? "" : value!;
}

Deno.test("a burst of changes is one event; streams over the limit are refused", async () => {
  const feed = new ChangeFeed({ batchMs: 5, maxStreams: 2 });
  const seen: unknown[] = [];
  feed.listen((e) => seen.push(e));
  const a = feed.open({ hub: { connected: true } })!.pipeThrough(new TextDecoderStream())
    .getReader();
  const b = feed.open()!;
  assertEquals(feed.open(), undefined, "a third stream is refused");
  assertEquals(feed.streams, 2);
  assertStringIncludes(await next(a), '"hub":{"connected":true}');
  const before = feed.generation;
  feed.publish("placements");
  feed.publish("fleet");
  feed.publish("placements");
  const event = await next(a);
  assertEquals(
    event,
    `event: change\ndata: {"generation":${before + 1},"topics":["fleet","placements"]}\n\n`,
  );
  assertEquals(seen, [{ generation: before + 1, topics: ["fleet", "placements"] }]);
  feed.close();
  assertEquals(await next(a), "", "closing ends the stream");
  await b.cancel();
  assertEquals(feed.open(), undefined, "a closed feed opens nothing");
});
