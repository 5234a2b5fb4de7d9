/**
 * The fleet benchmark's verdict on "unselected creates cost no more after N placed": a
 * ratio when the costs are well above the rounds' noise, none when the difference is
 * within it.
 *
 * @module
 */
import { assertEquals } from "../support/assert.ts";
import { unselectedVerdict } from "../../bench/fleet_steps.ts";

const cpu = (median: number, spread = 0) => ({ median, spread });

Deno.test("unselected verdict: a ratio above the limit and beyond the noise is not met", () => {
  const v = unselectedVerdict(cpu(0.020, 0.002), [cpu(0.021, 0.001), cpu(0.040, 0.003)], 1.5);
  assertEquals(v.met, false);
  assertEquals(v.worstRatio, 2);
  assertEquals(v.withinNoise, false);
});

Deno.test("unselected verdict: a ratio within the limit is met", () => {
  const v = unselectedVerdict(cpu(0.020), [cpu(0.025), cpu(0.029)], 1.5);
  assertEquals(v.met, true);
});

Deno.test("unselected verdict: a big ratio of tiny costs within the rounds' spread is met", () => {
  const v = unselectedVerdict(cpu(0.0003, 0.0021), [cpu(0.0010, 0.001), cpu(0.0004, 0)], 1.5);
  assertEquals(v.withinNoise, true);
  assertEquals(v.met, true);
  assertEquals(v.noise, 0.0021);
});

Deno.test("unselected verdict: a fresh cost of zero is a ratio only against zero", () => {
  assertEquals(unselectedVerdict(cpu(0), [cpu(0)], 1.5).worstRatio, 1);
  assertEquals(unselectedVerdict(cpu(0), [cpu(0.01)], 1.5).met, false);
});
