import { assertEquals } from "../../support/assert.ts";
import { TIGHT_HEAP_V8_FLAGS, withTightHeap } from "../../../lib/process/v8_flags.ts";

Deno.test("tight-heap flags follow the user's own, unless the user set them", () => {
  const ours = "--max-semi-space-size=4,--heap-growing-percent=10";
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
    "--max-semi-space-size=8,--heap-growing-percent=10",
  );
  assertEquals(
    withTightHeap("--heap-growing-percent=50"),
    "--heap-growing-percent=50,--max-semi-space-size=4",
  );
  // Turning a flag off is setting it.
  assertEquals(
    withTightHeap("--no-max-semi-space-size"),
    "--no-max-semi-space-size,--heap-growing-percent=10",
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
