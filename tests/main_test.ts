import { assertEquals, assertMatch, assertStringIncludes } from "./support/assert.ts";
import { runCli } from "./support/cli.ts";
import { hoistProcessSubcommand } from "../main.ts";

Deno.test("kubestellar --help lists the documented commands", async () => {
  const r = await runCli(["--help"]);
  assertEquals(r.code, 0);
  for (const name of ["init", "start", "stop", "ensure", "remove", "prep-for-syncer", "deploy"]) {
    assertMatch(r.stdout, new RegExp(`\\n  ${name}\\b`));
  }
});

Deno.test("kubectl kubestellar with no arguments prints the plugin overview", async () => {
  const r = await runCli([], { as: "kubectl-kubestellar" });
  assertEquals(r.code, 0);
  assertStringIncludes(
    r.stdout,
    "Usage:\n  kubectl kubestellar [command]\n\nAvailable commands:\n",
  );
  assertStringIncludes(r.stdout, "\n  prep-for-syncer ");
});

Deno.test("kubectl kubestellar ensure without a subcommand prints its usage", async () => {
  const r = await runCli(["ensure"], { as: "kubectl-kubestellar" });
  assertEquals(r.code, 0);
  assertMatch(r.stdout, /^Usage: kubectl kubestellar ensure subcommand/);
});

Deno.test("an unknown command is a usage error, not a stack trace", async () => {
  const r = await runCli(["frobnicate"]);
  assertEquals(r.code, 1);
  assertMatch(r.stderr, /unknown command 'frobnicate'/);
  assertEquals(r.stderr.includes("    at "), false);
});

Deno.test("process-control flags may come before the subcommand", () => {
  assertEquals(hoistProcessSubcommand(["-V", "--log-folder", "/tmp/l", "start", "-X"]), [
    "start",
    "-V",
    "--log-folder",
    "/tmp/l",
    "-X",
  ]);
  assertEquals(hoistProcessSubcommand(["init", "--ensure-imw", ""]), ["init", "--ensure-imw", ""]);
  assertEquals(hoistProcessSubcommand(["--ensure-wmw", "", "init"]), ["init", "--ensure-wmw", ""]);
});
