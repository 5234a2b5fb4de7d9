import { compileArgs, TARGETS } from "../../scripts/compile.ts";
import { assertEquals, assertTrue } from "../support/assert.ts";

Deno.test("compiled binaries get the tight-heap V8 flags built in (DENO_V8_FLAGS is ignored there)", async () => {
  const args = compileArgs(TARGETS[0], "/tmp/entry.ts", "/tmp/out/kubestellar");
  assertTrue(
    args.includes("--v8-flags=--max-semi-space-size=4,--heap-growing-percent=10"),
    args.join(" "),
  );
  assertEquals(args.slice(-1), ["/tmp/entry.ts"]);
  const help = await new Deno.Command(Deno.execPath(), { args: ["compile", "--help"] }).output();
  assertTrue(
    new TextDecoder().decode(help.stdout).includes("--v8-flags"),
    "deno compile takes --v8-flags",
  );
});
