import { assertEquals } from "../../support/assert.ts";
import { WatchStream } from "../../../lib/kube/rest_watch.ts";

/** A body that hands out `bytes` in chunks of `size`. */
function body(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function events(bytes: Uint8Array, size: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of new WatchStream(body(bytes, size))) out.push(e);
  return out;
}

Deno.test("watch stream: events split anywhere, across UTF-8 characters too, come out whole", async () => {
  const sent = [
    { type: "ADDED", object: { metadata: { name: "a" }, data: { v: "ünïcødé ✓ 🚀" } } },
    { type: "MODIFIED", object: { metadata: { name: "b" }, data: { v: "x".repeat(3000) } } },
    { type: "DELETED", object: { metadata: { name: "c" } } },
  ];
  // Blank lines between events, and the last event without its newline.
  const text = sent.map((e) => JSON.stringify(e)).join("\n\n");
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
    assertEquals(await events(bytes, size), sent, `chunks of ${size}`);
  }
});

Deno.test("watch stream: a 2 MB event in 1 KiB chunks, between small ones", async () => {
  const big = {
    type: "MODIFIED",
    object: {
      metadata: { name: "sps" },
      destinations: Array.from({ length: 10_000 }, (_, i) => ({
        cluster: `c${i}`,
        syncTargetName: `st-${i}`,
        syncTargetUID: crypto.randomUUID(),
        locationName: `loc-${i}`,
        syncTargetWorkspace: `root:imw${i % 7}`,
        extra: "y".repeat(60),
      })),
    },
  };
  const small = { type: "ADDED", object: { metadata: { name: "s" } } };
  const text = [small, big, small].map((e) => JSON.stringify(e) + "\n").join("");
  const bytes = new TextEncoder().encode(text);
  const got = await events(bytes, 1024);
  assertEquals(got.length, 3);
  assertEquals(got[1], big);
  assertEquals(got[2], small);
});
