import { assertEquals, assertMatch } from "../../../support/assert.ts";
import { instrumentedController } from "../../../../lib/controllers/runtime/instrumented_controller.ts";
import { MetricsRegistry } from "../../../../lib/controller/metrics.ts";
import { FakeClock } from "../../../../lib/controller/clock.ts";
import { Logger } from "../../../../lib/log/logger.ts";

Deno.test("instrumented controller: counts results, logs failures, drains on stop", async () => {
  const metrics = new MetricsRegistry();
  const lines: string[] = [];
  const clock = new FakeClock();
  const seen: string[] = [];
  const c = instrumentedController(
    {
      metrics,
      log: new Logger("t", { write: (l) => lines.push(l) }),
      workers: 2,
      clock,
    },
    "demo",
    (key) => {
      seen.push(key);
      if (key === "bad" && seen.filter((k) => k === "bad").length === 1) {
        return Promise.reject(new Error("boom"));
      }
      return Promise.resolve();
    },
  );
  const abort = new AbortController();
  c.enqueue("a");
  c.enqueue("bad");
  c.enqueue("a");
  const running = c.run(abort.signal);
  await new Promise((r) => setTimeout(r, 0));
  clock.advance(1_000); // the back-off of "bad"
  await new Promise((r) => setTimeout(r, 0));
  abort.abort();
  await running;
  assertEquals(seen.sort(), ["a", "bad", "bad"]);
  const text = metrics.render();
  assertMatch(text, /kubestellar_reconcile_total\{controller="demo",result="ok"\} 2/);
  assertMatch(text, /kubestellar_reconcile_total\{controller="demo",result="error"\} 1/);
  assertMatch(text, /kubestellar_reconcile_duration_seconds_count\{controller="demo"\} 3/);
  assertMatch(text, /kubestellar_workqueue_depth\{controller="demo"\} 0/);
  assertEquals(lines.filter((l) => l.includes("reconcile failed, will retry")).length, 1);
  assertMatch(lines.join("\n"), /key="bad" error="boom"/);
});
