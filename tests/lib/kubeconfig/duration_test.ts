import { assertEquals } from "../../support/assert.ts";
import { parseDuration } from "../../../lib/kubeconfig/duration.ts";

Deno.test("parseDuration reads Go durations and bare seconds", () => {
  assertEquals(parseDuration("30s"), 30_000);
  assertEquals(parseDuration("5m"), 300_000);
  assertEquals(parseDuration("1h30m"), 5_400_000);
  assertEquals(parseDuration("250ms"), 250);
  assertEquals(parseDuration("1.5s"), 1500);
  assertEquals(parseDuration("10"), 10_000);
  assertEquals(parseDuration("0"), 0);
  for (const bad of ["", "s", "5 m", "5d", "-1s", "1m-"]) {
    assertEquals(parseDuration(bad), undefined);
  }
});
