import { assertEquals, assertRejects, assertStringIncludes } from "../../support/assert.ts";
import { StepFailed, StepRunner } from "../../../lib/quickstart/step_runner.ts";

Deno.test("steps print headings and results, stop at the first failure, and clean up in reverse", async () => {
  const lines: string[] = [];
  const run = new StepRunner((l) => lines.push(l));
  const cleaned: string[] = [];
  const v = await run.step("Start", (show) => {
    show("serving");
    run.onCleanup("a", () => Promise.resolve(void cleaned.push("a")));
    run.onCleanup("b", () => Promise.resolve(void cleaned.push("b")));
    return Promise.resolve(42);
  });
  assertEquals(v, 42);
  const e = await assertRejects(() =>
    run.step("Break", () => Promise.reject(new Error("no server")))
  );
  assertEquals(e instanceof StepFailed, true);
  assertEquals(run.ok, false);
  await run.cleanup();
  assertEquals(cleaned, ["b", "a"]);
  assertEquals(lines[0], "\n==> Step 1: Start");
  assertEquals(lines[1], "    serving");
  assertStringIncludes(lines.join("\n"), "==> Step 2: Break\n    FAILED: no server");
  assertStringIncludes(run.summary().join("\n"), "FAILED");
});
