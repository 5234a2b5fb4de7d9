import { assertEquals, assertRejects } from "../../support/assert.ts";
import { CONTROLLER_REGISTRY, selectControllers } from "../../../lib/controllers/registry.ts";
import { parseControllerFlags } from "../../../lib/controllers/runtime/controller_flags.ts";

Deno.test("controller words: one name, an upstream alias, a list, or all", () => {
  const names = (word: string) => selectControllers(word).map((c) => c.name);
  assertEquals(names("where-resolver"), ["where-resolver"]);
  assertEquals(names("kubestellar-where-resolver"), ["where-resolver"]);
  assertEquals(names("placement-translator,mailbox-controller,mailbox-controller"), [
    "placement-translator",
    "mailbox-controller",
  ]);
  assertEquals(names("all"), CONTROLLER_REGISTRY.map((c) => c.name));
  assertEquals(selectControllers("all").map((c) => c.executable), [
    "mailbox-controller",
    "kubestellar-where-resolver",
    "placement-translator",
    "status-summarizer",
    "kubestellar-edge-view",
  ]);
});

Deno.test("controller words: unknown names and empty lists are usage errors", async () => {
  await assertRejects(
    () => selectControllers("mailbox-controller,syncer"),
    /unknown controller "syncer"/,
  );
  await assertRejects(() => selectControllers(","), /name at least one controller/);
});

Deno.test("controller flags: --log-folder", async () => {
  assertEquals(parseControllerFlags(["--log-folder", "/tmp/l"]).logFolder, "/tmp/l");
  assertEquals(parseControllerFlags([]).logFolder, undefined);
  await assertRejects(
    () => parseControllerFlags(["--log-folder="]),
    /--log-folder needs a directory/,
  );
});
