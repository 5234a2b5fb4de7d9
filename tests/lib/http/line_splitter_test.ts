import { assertEquals } from "../../support/assert.ts";
import { LineSplitter } from "../../../lib/http/line_splitter.ts";

Deno.test("line splitter: lines come out whole wherever the chunks break", () => {
  const text = "first\n\nsecond line\nthird, without a newline";
  for (let size = 1; size <= text.length; size++) {
    const split = new LineSplitter();
    const lines: string[] = [];
    for (let at = 0; at < text.length; at += size) {
      lines.push(...split.push(text.slice(at, at + size)));
    }
    assertEquals(lines, ["first", "", "second line"], `chunks of ${size}`);
    assertEquals(split.end(), "third, without a newline");
    assertEquals(split.end(), "", "end starts over");
  }
});

Deno.test("line splitter: a long line in many chunks is joined once, in order", () => {
  const split = new LineSplitter();
  const long = Array.from({ length: 5_000 }, (_, i) => `piece${i};`).join("");
  const out: string[] = [];
  for (let at = 0; at < long.length; at += 100) out.push(...split.push(long.slice(at, at + 100)));
  assertEquals(out, []);
  assertEquals(split.push("\nnext\n"), [long, "next"]);
  assertEquals(split.end(), "");
});
