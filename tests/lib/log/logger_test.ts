import { assertEquals } from "../../support/assert.ts";
import { Logger } from "../../../lib/log/logger.ts";

Deno.test("log lines are klog-like, structured, and never show secrets", () => {
  const lines: string[] = [];
  const log = new Logger("mailbox-controller", {
    write: (l) => lines.push(l),
    now: () => new Date(Date.UTC(2026, 10, 23, 22, 34, 16, 123)),
  });
  log.info("created mailbox", {
    name: "abc-mb-1",
    count: 2,
    token: "s3cret",
    err: new Error("boom"),
  });
  log.debug("hidden");
  log.child("queue").warn("slow");
  assertEquals(lines, [
    'I1123 22:34:16.123000 mailbox-controller] created mailbox name="abc-mb-1" count=2 token="<redacted>" err="boom"',
    "W1123 22:34:16.123000 mailbox-controller/queue] slow",
  ]);
  const verbose = new Logger("x", { verbose: true, write: (l) => lines.push(l) });
  verbose.debug("shown");
  assertEquals(lines.length, 3);
});
