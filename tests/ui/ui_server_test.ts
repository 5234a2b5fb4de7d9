/**
 * The UI server's HTTP contract without a hub: every path needs the token (401
 * otherwise, before anything else), methods, media types, sizes and parameters are
 * checked (4xx, never 5xx), the page carries its security headers, and the event
 * stream starts with `hello`.
 *
 * @module
 */
import { ChangeFeed } from "../../lib/ui/change_feed.ts";
import { FleetModel } from "../../lib/ui/fleet_model.ts";
import { readOnly } from "../../lib/ui/read_only_client.ts";
import { handle } from "../../lib/ui/ui_server.ts";
import { restClientFor } from "../../lib/kube/rest_client.ts";
import { Logger } from "../../lib/log/logger.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";

const TOKEN = "t0ken-for-tests";

function setUp() {
  const client = readOnly(restClientFor({
    server: "https://127.0.0.1:9",
    namespace: "default",
    contextName: "",
    clusterName: "",
    userName: "",
  }));
  const feed = new ChangeFeed();
  const model = new FleetModel({
    client,
    allClusters: client,
    espwPath: "root:espw",
    feed,
    log: new Logger("test", { write: () => {} }),
  });
  const page = { html: "<!DOCTYPE html><p>page</p>", csp: "default-src 'none'" };
  const call = (path: string, init: RequestInit = {}) =>
    handle(new Request(`http://127.0.0.1:1${path}`, init), { token: TOKEN, model, feed, page });
  return {
    call,
    close() {
      feed.close();
      client.close();
    },
  };
}

const bearer = { authorization: `Bearer ${TOKEN}` };

Deno.test("every path needs the run's token, as ?token= or Bearer", async () => {
  const s = setUp();
  try {
    for (
      const [path, headers] of [
        ["/", {}],
        ["/?token=", {}],
        ["/?token=t0ken-for-test", {}],
        ["/api/fleet", { authorization: "Bearer nope" }],
        ["/api/fleet", { authorization: `Basic ${btoa("a:" + TOKEN)}` }],
        ["/nothing-here", {}],
      ] as const
    ) {
      const r = await s.call(path, { headers });
      assertEquals(r.status, 401, path);
      assertEquals(r.headers.get("www-authenticate"), 'Bearer realm="kubestellar-ui"');
      assertTrue(!(await r.text()).includes(TOKEN), "the token is never echoed");
    }
    const page = await s.call(`/?token=${TOKEN}`);
    assertEquals(page.status, 200);
    assertEquals(page.headers.get("content-security-policy"), "default-src 'none'");
    assertEquals(page.headers.get("referrer-policy"), "no-referrer");
    assertEquals(page.headers.get("cache-control"), "no-store");
    assertEquals(page.headers.get("x-frame-options"), "DENY");
    assertStringIncludes(await page.text(), "<p>page</p>");
    const fleet = await s.call("/api/fleet", { headers: bearer });
    assertEquals(fleet.status, 200);
    const body = await fleet.json();
    assertEquals([body.syncTargets, body.locations], [[], []]);
    assertEquals(body.hub.waiting, undefined);
  } finally {
    s.close();
  }
});

Deno.test("hostile requests get a 4xx", async () => {
  const s = setUp();
  try {
    const cases: [string, RequestInit, number][] = [
      ["/api/fleet", { method: "POST", headers: bearer }, 405],
      ["/api/fleet", { method: "DELETE", headers: bearer }, 405],
      ["/api/whatif", { headers: bearer }, 405],
      ["/api/whatif", {
        method: "POST",
        headers: { ...bearer, "content-type": "text/plain" },
        body: "{}",
      }, 415],
      ["/api/whatif", {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: "x".repeat(70_000),
      }, 413],
      ["/api/whatif", {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: "{not json",
      }, 400],
      ["/api/whatif", {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: '{"clusters": "all"}',
      }, 400],
      ["/api/whatif", {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: '{"placements": [{"wmw": "root:wmw1", "name": "nope", "locationSelectors": []}]}',
      }, 400],
      ["/api/placements/%E0%A4%A/x", { headers: bearer }, 400],
      ["/api/placements/a/b?limit=-1", { headers: bearer }, 400],
      ["/api/placements/a/b?offset=1e9", { headers: bearer }, 400],
      ["/api/placements/a/b?state=bogus", { headers: bearer }, 400],
      [`/api/placements/a/b?q=${"q".repeat(201)}`, { headers: bearer }, 400],
      ["/api/placements/a/b", { headers: bearer }, 404],
      ["/api/nope", { headers: bearer }, 404],
    ];
    for (const [path, init, status] of cases) {
      const r = await s.call(path, init);
      assertEquals(r.status, status, `${init.method ?? "GET"} ${path.slice(0, 60)}`);
      const body = await r.json();
      assertTrue(typeof body.error === "string" && body.error.length > 0);
    }
  } finally {
    s.close();
  }
});

Deno.test("the event stream starts with hello and a reconnect delay", async () => {
  const s = setUp();
  try {
    const r = await s.call(`/api/events?token=${TOKEN}`);
    assertEquals(r.status, 200);
    assertEquals(r.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    assertStringIncludes(value!, "retry: 1000\nevent: hello\ndata: {");
    await reader.cancel();
  } finally {
    s.close();
  }
});
