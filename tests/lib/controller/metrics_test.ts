import { assertEquals, assertRejects, assertStringIncludes } from "../../support/assert.ts";
import { MetricsRegistry } from "../../../lib/controller/metrics.ts";
import { serveHealth } from "../../../lib/controller/health_server.ts";

Deno.test("metrics render in Prometheus text format", () => {
  const m = new MetricsRegistry();
  const c = m.counter("reconcile_total", "Reconciles run", ["controller", "result"]);
  c.inc({ controller: "mb", result: "ok" });
  c.inc({ controller: "mb", result: "ok" });
  m.gauge("queue_depth", "Keys waiting", [], () => 3);
  const h = m.histogram("reconcile_seconds", "Reconcile time", [], [0.1, 1]);
  h.observe(0.05);
  h.observe(0.5);
  assertEquals(
    m.render(),
    [
      "# HELP reconcile_total Reconciles run",
      "# TYPE reconcile_total counter",
      'reconcile_total{controller="mb",result="ok"} 2',
      "# HELP queue_depth Keys waiting",
      "# TYPE queue_depth gauge",
      "queue_depth 3",
      "# HELP reconcile_seconds Reconcile time",
      "# TYPE reconcile_seconds histogram",
      'reconcile_seconds_bucket{le="0.1"} 1',
      'reconcile_seconds_bucket{le="1"} 2',
      'reconcile_seconds_bucket{le="+Inf"} 2',
      "reconcile_seconds_sum 0.55",
      "reconcile_seconds_count 2",
      "",
    ].join("\n"),
  );
});

Deno.test("health server answers healthz, readyz and metrics", async () => {
  const m = new MetricsRegistry();
  m.counter("x_total", "x").inc();
  let ready = false;
  const s = serveHealth({ port: 0, metrics: m, ready: () => ready });
  try {
    const base = `http://127.0.0.1:${s.port}`;
    assertEquals(await (await fetch(`${base}/healthz`)).text(), "ok");
    const notReady = await fetch(`${base}/readyz`);
    await notReady.body?.cancel();
    assertEquals(notReady.status, 503);
    ready = true;
    assertEquals(await (await fetch(`${base}/readyz`)).text(), "ok");
    assertStringIncludes(await (await fetch(`${base}/metrics`)).text(), "x_total 1");
  } finally {
    await s.shutdown();
  }
});

Deno.test("a metric asked for twice is one family; gauges track one series per label set", async () => {
  const m = new MetricsRegistry();
  const a = m.counter("reconcile_total", "Reconciles run", ["controller"]);
  const b = m.counter("reconcile_total", "Reconciles run", ["controller"]);
  assertEquals(a, b);
  a.inc({ controller: "mailbox" });
  b.inc({ controller: "where" });
  let depth = 1;
  m.gauge("depth", "Queue depth", ["controller"]).track({ controller: "mailbox" }, () => depth);
  m.gauge("depth", "Queue depth", ["controller"]).track({ controller: "where" }, () => 7);
  depth = 4;
  const text = m.render();
  assertEquals(text.split("# TYPE reconcile_total").length, 2);
  assertStringIncludes(text, 'reconcile_total{controller="where"} 1');
  assertStringIncludes(text, 'depth{controller="mailbox"} 4\ndepth{controller="where"} 7\n');
  await assertRejects(() => m.gauge("reconcile_total", "clash"), /another type/);
});
