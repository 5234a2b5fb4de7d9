import { assertEquals, assertTrue } from "../../support/assert.ts";
import { UsageError, UserError } from "../../../lib/cli/errors.ts";
import { parseKcpServerCredsArgs } from "../../../lib/pki/kcp_server_creds_args.ts";

const PROG = "kubestellar-ensure-kcp-server-creds";

function parseError(args: string[]): UserError {
  try {
    parseKcpServerCredsArgs(PROG, args);
  } catch (e) {
    assertTrue(e instanceof UserError, String(e));
    return e;
  }
  throw new Error(`accepted ${JSON.stringify(args)}`);
}

Deno.test("parseKcpServerCredsArgs accepts one DNS-1123 subdomain, or help", () => {
  for (const d of ["yep.yep", "localhost", "kcp-1.example.com", "a", "123.45"]) {
    assertEquals(parseKcpServerCredsArgs(PROG, [d]), { help: false, domain: d });
  }
  assertEquals(parseKcpServerCredsArgs(PROG, ["-h"]), { help: true });
  assertEquals(parseKcpServerCredsArgs(PROG, ["--help"]), { help: true });
});

Deno.test("parseKcpServerCredsArgs: wrong argument count is exit 1 with the usage line", () => {
  for (const args of [[], ["a.b", "c.d"], ["--help", "x"]]) {
    const e = parseError(args);
    assertEquals(e.exitCode, 1);
    assertEquals(
      e.message,
      `${PROG}: expected exactly one argument, the DNS domain name, but got ${args.length}`,
    );
    assertEquals(e.details, [`Usage: ${PROG} dns-name`]);
  }
});

Deno.test("parseKcpServerCredsArgs: not one word or not a DNS name is exit 2, one line", () => {
  for (const d of ["two words", " lead", "tab\there", "new\nline"]) {
    const e = parseError([d]);
    assertTrue(e instanceof UsageError);
    assertEquals(e.exitCode, 2);
    assertEquals(e.message, `${PROG}: the given domain name must be one word`);
  }
  const bad = ["Foo.Bar", "under_score", "-x", "a..b", "trailing.", ".lead", "x".repeat(254), ""];
  for (const d of bad) {
    const e = parseError([d]);
    assertEquals(e.exitCode, 2, d);
    assertTrue(e.message.startsWith(`${PROG}: invalid domain name "`), e.message);
    assertEquals(e.message.includes("\n"), false);
    assertEquals(e.details, []);
  }
  // A very long name is shortened in the message.
  const long = parseError(["x".repeat(254)]);
  assertTrue(long.message.includes(`"${"x".repeat(77)}..."`), long.message);
});
