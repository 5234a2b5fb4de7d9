/**
 * Large lists are streamed from one store snapshot (issue 13): eight concurrent slow
 * readers of a 8 MiB collection each get the whole list while the server's live heap
 * grows by less than half a copy of it (a list built in memory takes several copies per
 * reader); writes made while a list streams do not show in it; a reader that stops
 * reading holds its read slot (others get 429) until the stall timeout cuts it off.
 *
 * @module
 */
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { type ControlPlane, startKubeCluster } from "../../../support/control_plane.ts";
import { adminCredentials, request } from "./server_test_client.ts";

const CMS = "/api/v1/namespaces/default/configmaps";
const ITEMS = 512;
const ITEM_BYTES = 16 * 1024;

async function fill(cp: ControlPlane): Promise<void> {
  const payload = "x".repeat(ITEM_BYTES);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < ITEMS) {
      const i = next++;
      const name = `big-${String(i).padStart(4, "0")}`;
      const r = await request(cp, "POST", CMS, {
        body: JSON.stringify({ metadata: { name }, data: { payload } }),
        contentType: "application/json",
      });
      assertEquals(r.status, 201);
    }
  }));
}

/** What a raw reader got: the whole response, or (`keep` false) its size and ends. */
interface Received {
  text: string;
  bytes: number;
  head: string;
  tail: string;
}

/**
 * A GET over a raw TLS connection (Deno's own, which reads from the socket only when
 * asked) that reads about `bytesPerTick` every `tickMs`, or nothing until `resume()`;
 * without `keep` only the size and the first and last bytes are kept.
 */
async function slowGet(
  cp: ControlPlane,
  path: string,
  bytesPerTick: number,
  options: { tickMs?: number; keep?: boolean } = {},
): Promise<{ done: Promise<Received>; resume: () => void }> {
  const { token } = await adminCredentials(cp);
  const ca = await Deno.readTextFile(join(cp.rootDirectory, "ca.crt"));
  const url = new URL(cp.url);
  const conn = await Deno.connectTls({
    hostname: url.hostname,
    port: Number(url.port),
    caCerts: [ca],
  });
  await conn.write(
    new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
        `Authorization: Bearer ${token}\r\n\r\n`,
    ),
  );
  const kept: Uint8Array[] = [];
  let bytes = 0;
  let head = "";
  let tail = "";
  let rate = bytesPerTick;
  const buffer = new Uint8Array(64 * 1024);
  const done = (async (): Promise<Received> => {
    try {
      for (;;) {
        if (rate === 0) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        let got = 0;
        while (got < rate) {
          const n = await conn.read(buffer);
          if (n === null) throw new Error("closed");
          const c = buffer.slice(0, n);
          bytes += n;
          got += n;
          if (head.length < 4096) head += new TextDecoder().decode(c.subarray(0, 4096));
          if (options.keep) kept.push(c);
          tail = (tail + new TextDecoder().decode(c.subarray(Math.max(0, n - 64)))).slice(-64);
          if (tail.endsWith("\r\n0\r\n\r\n")) throw new Error("complete");
        }
        await new Promise((r) => setTimeout(r, options.tickMs ?? 5));
      }
    } catch {
      // closed by the server, cut off, or complete
    } finally {
      conn.close();
    }
    const text = new TextDecoder().decode(Buffer.concat(kept));
    return { text, bytes, head, tail };
  })();
  return { done, resume: () => rate = 1 << 30 };
}

/** The JSON body of a chunked HTTP/1.1 response. */
function chunkedBody(raw: string): unknown {
  const start = raw.indexOf("\r\n\r\n") + 4;
  let at = start;
  let body = "";
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    const size = parseInt(raw.slice(at, eol), 16);
    if (!size) break;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
  return JSON.parse(body);
}

Deno.test("large lists stream from a snapshot with bounded memory", async (t) => {
  const cp = await startKubeCluster({
    limits: { maxRequestsInflight: 10, responseStallTimeoutMs: 4000 },
  });
  try {
    await fill(cp);
    const collection = ITEMS * ITEM_BYTES;

    await t.step("eight slow readers: whole lists, heap growth under one copy", async () => {
      // Live memory (after a full collection), sampled while the lists stream.
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as () => void;
      const live = () => {
        gc();
        return Deno.memoryUsage().heapUsed;
      };
      const before = live();
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, live());
      }, 200);
      const readers = await Promise.all(
        Array.from({ length: 8 }, () => slowGet(cp, CMS, 1024 * 1024)),
      );
      const got = await Promise.all(readers.map((r) => r.done));
      clearInterval(sampler);
      for (const r of got) {
        assertTrue(
          r.head.includes('{"apiVersion":"v1","kind":"ConfigMapList"'),
          `${r.bytes}: ${r.head.slice(0, 300)}`,
        );
        assertTrue(r.tail.endsWith("]}\r\n0\r\n\r\n"), JSON.stringify(r.tail));
        assertTrue(r.bytes > collection, `${r.bytes} bytes`);
      }
      const growth = peak - before;
      assertTrue(growth < collection / 2, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB`);
    });

    await t.step("writes made while a list streams do not show in it", async () => {
      const reader = await slowGet(cp, CMS, 64 * 1024, { tickMs: 20, keep: true });
      await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < 3; i++) {
        await request(cp, "POST", CMS, {
          body: JSON.stringify({ metadata: { name: `aa-late-${i}` } }),
          contentType: "application/json",
        });
      }
      const lastName = `big-${String(ITEMS - 1).padStart(4, "0")}`;
      assertEquals((await request(cp, "DELETE", `${CMS}/${lastName}`)).status, 200);
      const list = chunkedBody((await reader.done).text) as {
        metadata: { resourceVersion: string };
        items: { metadata: { name: string; resourceVersion: string } }[];
      };
      const names = list.items.map((i) => i.metadata.name);
      assertEquals(names.length, ITEMS);
      assertTrue(names.includes(lastName));
      assertTrue(!names.some((n) => n.startsWith("aa-late")));
      for (const i of list.items) {
        assertTrue(Number(i.metadata.resourceVersion) <= Number(list.metadata.resourceVersion));
      }
    });

    await t.step("a reader that stops reading is cut off after the stall timeout", async () => {
      const stalled = await slowGet(cp, CMS, 0, { keep: true });
      await new Promise((r) => setTimeout(r, 6000)); // past the stall timeout (4 s)
      stalled.resume(); // read what was sent before the cut, then the close
      const text = (await stalled.done).text;
      assertTrue(text.startsWith("HTTP/1.1 200"));
      let complete = true;
      try {
        chunkedBody(text);
      } catch {
        complete = false;
      }
      assertEquals(complete, false, "the stalled list was not completed");
      assertEquals((await request(cp, "GET", `${CMS}?limit=1`)).status, 200);
    });
  } finally {
    await cp.stop();
  }
});
