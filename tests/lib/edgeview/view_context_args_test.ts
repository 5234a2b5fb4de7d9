import { UsageError } from "../../../lib/cli/errors.ts";
import { parseViewContextArgs } from "../../../lib/edgeview/view_context_args.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

Deno.test("edge-view arguments: a workspace path or root child, --context, usage errors", () => {
  assertEquals(parseViewContextArgs(["wmw1"]).wmw, "root:wmw1");
  const a = parseViewContextArgs(["root:team:wmw2", "--context=mine", "--espw-path", "root:e"]);
  assertEquals([a.wmw, a.context, a.espwPath], ["root:team:wmw2", "mine", "root:e"]);
  assertEquals(parseViewContextArgs([]).wmw, undefined);
  assertTrue(parseViewContextArgs(["-h"]).help);
  for (const bad of [["a", "b"], ["--nope"], ["--context"], ["Bad_Name"]]) {
    let thrown: unknown;
    try {
      parseViewContextArgs(bad);
    } catch (e) {
      thrown = e;
    }
    assertTrue(thrown instanceof UsageError, bad.join(" "));
  }
});
