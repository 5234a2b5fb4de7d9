/**
 * The C-heap trimmer: it trims on its interval and stops; on Linux with glibc and the FFI
 * permission it calls the real `malloc_trim`, elsewhere it is an inactive no-op.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { startHeapTrim } from "../../../lib/process/heap_trim.ts";

Deno.test("heap trim: trims on its interval and no more once stopped", async () => {
  let calls = 0;
  const trim = startHeapTrim({ intervalMs: 5, trim: () => void calls++ });
  assertTrue(trim.active);
  await new Promise((r) => setTimeout(r, 60));
  trim.stop();
  assertTrue(calls >= 2, `trimmed ${calls} times`);
  assertEquals(trim.trims, calls);
  const after = calls;
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(calls, after);
});

Deno.test("heap trim: glibc's malloc_trim where there is one, inactive elsewhere", async () => {
  const trim = startHeapTrim({ intervalMs: 5 });
  try {
    const paths = [
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib/aarch64-linux-gnu/libc.so.6",
      "/lib64/libc.so.6",
      "/usr/lib/libc.so.6",
      "/usr/lib64/libc.so.6",
    ];
    const found = await Promise.all(paths.map((p) => Deno.stat(p).then(() => true, () => false)));
    const glibc = Deno.build.os === "linux" && found.some((f) => f);
    assertEquals(trim.active, glibc);
    if (!glibc) return;
    await new Promise((r) => setTimeout(r, 40));
    assertTrue(trim.trims >= 1, "the real trim ran");
  } finally {
    trim.stop();
  }
});
