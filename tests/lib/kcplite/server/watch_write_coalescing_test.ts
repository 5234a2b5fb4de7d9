/**
 * A watch's event lines that arise in one turn of the event loop go out as one chunk:
 * the five events a watch replays from the history, and the ADDED events of its first
 * list, each arrive as a single chunk of the chunked response (read off a raw TLS
 * connection, where the chunk boundaries are visible), in order.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { adminCredentials, request } from "./server_test_client.ts";

/** The data chunks of a chunked response that ends within `timeoutSeconds`. */
async function watchChunks(url: URL, path: string, token: string, ca: string): Promise<string[]> {
  const conn = await Deno.connectTls({
    hostname: url.hostname,
    port: Number(url.port),
    caCerts: [ca],
  });
  try {
    const head = `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
      "Accept: application/json\r\nConnection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(head));
    const bytes: Uint8Array[] = [];
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      bytes.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(
      bytes.reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array()),
    );
    let rest = text.slice(text.indexOf("\r\n\r\n") + 4);
    const chunks: string[] = [];
    for (;;) {
      const eol = rest.indexOf("\r\n");
      const size = parseInt(rest.slice(0, eol), 16);
      if (!(size > 0)) break;
      const start = eol + 2;
      // Sizes count bytes; these events are ASCII.
      chunks.push(rest.slice(start, start + size));
      rest = rest.slice(start + size + 2);
    }
    return chunks;
  } finally {
    conn.close();
  }
}

Deno.test("a watch writes the events of one turn as one chunk", async () => {
  const cp = await startKubeCluster();
  try {
    const { token, ca } = await adminCredentials(cp);
    const cms = "/api/v1/namespaces/default/configmaps";
    const start = await request(cp, "GET", `${cms}?limit=1`);
    const rv = (start.body.metadata as { resourceVersion: string }).resourceVersion;
    for (let i = 0; i < 5; i++) {
      const r = await request(cp, "POST", cms, {
        body: JSON.stringify({ metadata: { name: `cm-${i}` }, data: { v: `${i}` } }),
        contentType: "application/json",
      });
      assertEquals(r.status, 201);
    }
    const url = new URL(cp.url);
    const names = (chunk: string) =>
      chunk.trim().split("\n").map((l) => JSON.parse(l).object.metadata.name as string);

    // Replayed from the history after `rv`.
    const replayed = await watchChunks(
      url,
      `${cms}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
      token,
      ca,
    );
    assertEquals(replayed.length, 1, `one chunk, not ${replayed.length}`);
    assertEquals(names(replayed[0]), ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"]);

    // Listed first (no resourceVersion): the ADDED events, kube-root-ca.crt among them.
    const listed = await watchChunks(url, `${cms}?watch=true&timeoutSeconds=1`, token, ca);
    assertEquals(listed.length, 1, `one chunk, not ${listed.length}`);
    const added = names(listed[0]);
    for (let i = 0; i < 5; i++) assertTrue(added.includes(`cm-${i}`), added.join(" "));
  } finally {
    await cp.stop();
  }
});
