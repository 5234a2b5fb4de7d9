/**
 * `kubestellar ui` on the command line: help, usage errors (one line and the usage,
 * exit 1), a missing kubeconfig (one line), and which addresses count as loopback.
 *
 * @module
 */
import { isLoopback } from "../../lib/ui/ui_args.ts";
import { runCli } from "../support/cli.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";

Deno.test("kubestellar ui --help prints the usage; the root help lists ui", async () => {
  const r = await runCli(["ui", "--help"]);
  assertEquals(r.code, 0);
  assertStringIncludes(r.stdout, "Usage: kubestellar ui [--address 127.0.0.1] [--port 0] [--open]");
  const root = await runCli(["--help"]);
  assertTrue(/^\s+ui\s+serve a live, read-only web view/m.test(root.stdout), root.stdout);
});

Deno.test("kubestellar ui rejects bad flags with one line and the usage", async () => {
  for (
    const [args, line] of [
      [["--port", "70000"], "--port must be a port number from 0 to 65535"],
      [["--port", "x"], "--port must be a port number from 0 to 65535"],
      [["--bogus"], 'unknown flag "--bogus"'],
      [["extra"], 'unexpected argument "extra"'],
      [["--address"], "missing address"],
    ] as [string[], string][]
  ) {
    const r = await runCli(["ui", ...args]);
    assertEquals(r.code, 1, args.join(" "));
    assertStringIncludes(r.stderr, line);
    assertStringIncludes(r.stderr, "Usage: kubestellar ui");
    assertTrue(!r.stderr.includes("    at "), "no stack trace");
  }
});

Deno.test("kubestellar ui with a kubeconfig that does not exist says so in one line", async () => {
  const r = await runCli(["ui", "--kubeconfig", "/nonexistent/kubeconfig"]);
  assertEquals(r.code, 1);
  assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
  assertStringIncludes(r.stderr, "/nonexistent/kubeconfig");
  assertEquals(r.stdout, "", "no URL printed");
});

Deno.test("loopback addresses", () => {
  for (const a of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assertTrue(isLoopback(a), a);
  }
  for (const a of ["0.0.0.0", "192.168.1.10", "::", "example.com", "1.2.3.4"]) {
    assertTrue(!isLoopback(a), a);
  }
});
