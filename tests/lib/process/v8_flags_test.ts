import { assertEquals } from "../../support/assert.ts";
import { TIGHT_HEAP_V8_FLAGS, withTightHeap } from "../../../lib/process/v8_flags.ts";

Deno.test("tight-heap flags follow the user's own, unless the user set them", () => {
  const ours = "--optimize-for-size,--max-semi-space-size=1";
  assertEquals(withTightHeap(undefined), ours);
  assertEquals(withTightHeap(""), ours);
  // DENO_V8_FLAGS is a comma-separated list.
  assertEquals(withTightHeap("--stack-size=2000"), `--stack-size=2000,${ours}`);
  assertEquals(
    withTightHeap("--stack-size=2000, --trace-gc"),
    `--stack-size=2000,--trace-gc,${ours}`,
  );
  assertEquals(
    withTightHeap("--max-semi-space-size=8"),
    "--max-semi-space-size=8,--optimize-for-size",
  );
  // Turning one of ours off is setting it.
  assertEquals(
    withTightHeap("--no-optimize-for-size"),
    "--no-optimize-for-size,--max-semi-space-size=1",
  );
});

Deno.test("Deno accepts the combined flags", async () => {
  for (const flags of [withTightHeap("--stack-size=2000"), TIGHT_HEAP_V8_FLAGS.join(",")]) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "console.log('ok')"],
      env: { DENO_V8_FLAGS: flags },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(r.stdout), "ok\n", new TextDecoder().decode(r.stderr));
  }
});
