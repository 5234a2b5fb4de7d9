/**
 * kcp-lite keeps its data across a restart on the same root directory: objects, their
 * resourceVersions and uids survive, new writes continue the counter, the CA stays, and a
 * watch from a resourceVersion older than the new process's history gets a 410 (an ERROR
 * event; a plain list with `resourceVersionMatch=Exact` answers HTTP 410).
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

const CMS = "/api/v1/namespaces/default/configmaps";

Deno.test("kcp-lite restarts with its data intact", async () => {
  const root = await Deno.makeTempDir({ prefix: "kcp-lite-restart-" });
  try {
    const first = await startKubeCluster({ rootDirectory: root });
    let before: Record<string, unknown>;
    let oldRv: string;
    try {
      const created = await request(first, "POST", CMS, {
        body: JSON.stringify({ metadata: { name: "keep" }, data: { k: "v" } }),
        contentType: "application/json",
      });
      assertEquals(created.status, 201);
      before = created.body.metadata as Record<string, unknown>;
      oldRv = String(before.resourceVersion);
      await request(first, "POST", CMS, {
        body: JSON.stringify({ metadata: { name: "second" } }),
        contentType: "application/json",
      });
    } finally {
      await first.stop();
    }
    const caBefore = await Deno.readTextFile(`${root}/ca.crt`);

    const second = await startKubeCluster({ rootDirectory: root });
    try {
      assertEquals(await Deno.readTextFile(`${root}/ca.crt`), caBefore);
      const got = await request(second, "GET", `${CMS}/keep`);
      assertEquals(got.status, 200);
      const meta = got.body.metadata as Record<string, unknown>;
      assertEquals(meta.resourceVersion, before.resourceVersion);
      assertEquals(meta.uid, before.uid);
      assertEquals((got.body.data as Record<string, string>).k, "v");
      const ns = await request(second, "GET", "/api/v1/namespaces");
      assertEquals((ns.body.items as unknown[]).length, 4);
      const next = await request(second, "POST", CMS, {
        body: JSON.stringify({ metadata: { name: "after" } }),
        contentType: "application/json",
      });
      const nextRv = Number((next.body.metadata as Record<string, unknown>).resourceVersion);
      assertTrue(nextRv > Number(oldRv) + 1, `resourceVersion ${nextRv} did not continue`);

      const exact = await request(
        second,
        "GET",
        `${CMS}?resourceVersion=${oldRv}&resourceVersionMatch=Exact`,
      );
      assertEquals(exact.status, 410);
      assertEquals(exact.body.reason, "Expired");
      const watched = await request(
        second,
        "GET",
        `${CMS}?watch=true&resourceVersion=${oldRv}&timeoutSeconds=5`,
      );
      const event = JSON.parse(watched.text.split("\n")[0]);
      assertEquals(event.type, "ERROR");
      assertEquals(event.object.code, 410);
    } finally {
      await second.stop();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
