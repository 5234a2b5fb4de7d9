import { parseProcessFlags } from "../../../lib/core/process_flags.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

const P = "kubestellar";

function fails(args: string[]): string {
  try {
    parseProcessFlags(P, args, "/w");
  } catch (e) {
    assertTrue(e instanceof UserError);
    assertEquals(e.exitCode, 1);
    return e.message;
  }
  throw new Error("expected a failure");
}

Deno.test("flags may come before and after the subcommand; the last subcommand wins", () => {
  const f = parseProcessFlags(
    P,
    ["-V", "--log-folder", "/l", "init", "--ensure-imw", "root:a,b", "start", "-X"],
    "/w",
  );
  assertEquals(f.subcommand, "start");
  assertEquals([f.verbose, f.trace, f.logFolder], [true, true, "/l"]);
  assertEquals(f.imws, ["a", "b"]);
  assertEquals(f.wmws, ["wmw1"]);
});

Deno.test("defaults: log folder under the working directory, imw1 and wmw1, local kcp", () => {
  const f = parseProcessFlags(P, ["stop"], "/w");
  assertEquals([f.logFolder, f.imws, f.wmws, f.localKcp], ["/w/kubestellar-logs", ["imw1"], [
    "wmw1",
  ], true]);
  assertEquals(
    parseProcessFlags(P, ["init", "--ensure-imw", "", "--ensure-wmw", ""], "/w").imws,
    [],
  );
});

Deno.test("bad command lines give the documented one-line errors", () => {
  assertEquals(fails([]), "kubestellar: missing a subcommand");
  assertEquals(fails(["init", "--log-folder"]), "kubestellar: missing log folder");
  assertEquals(
    fails(["init", "--ensure-imw"]),
    "kubestellar: missing comma separated list of IMWs",
  );
  assertEquals(
    fails(["init", "--ensure-wmw"]),
    "kubestellar: missing comma separated list of WMWs",
  );
  assertEquals(
    fails(["init", "--local-kcp", "maybe"]),
    "kubestellar: --local-kcp must be given 'true' or 'false', not 'maybe'",
  );
  assertEquals(fails(["init", "--bogus"]), 'kubestellar: unknown flag "--bogus"');
  assertEquals(fails(["init", "extra"]), 'kubestellar: unknown positional argument "extra"');
  assertTrue(fails(["init", "--ensure-imw", "root:a:b"]).includes("not a valid workspace name"));
});
