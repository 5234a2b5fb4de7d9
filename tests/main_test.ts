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

Deno.test("ensure/remove with an unknown word or flag: one line, exit 1", async () => {
  for (const as of ["kubestellar", "kubectl-kubestellar"]) {
    const widget = await runCli(["ensure", "widget", "x"], { as });
    assertEquals(widget, {
      code: 1,
      stdout: "",
      stderr: 'kubectl-kubestellar-ensure: unknown subcommand "widget": use location or wmw\n',
    });
    const flag = await runCli(["remove", "--bogus"], { as });
    assertEquals(flag, {
      code: 1,
      stdout: "",
      stderr: 'kubectl-kubestellar-remove: unknown flag "--bogus": use location or wmw\n',
    });
  }
  const help = await runCli(["remove", "-h"], { as: "kubectl-kubestellar" });
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /^Usage: kubectl kubestellar remove subcommand\n/);
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
