import { assertEquals } from "../../support/assert.ts";
import { mergeLines } from "../../../lib/kubeconfig/line_merge.ts";

Deno.test("mergeLines: no edit gives the original back", () => {
  assertEquals(mergeLines("a:  1 # x\n", "a: 1 # x\n", "a: 1 # x\n"), "a:  1 # x\n");
});

Deno.test("mergeLines: only lines the edit changed come from the edited text", () => {
  const original = "#  head\nk:   v\na: 1\nb:    2\nc: 3\n";
  const base = "# head\nk: v\na: 1\nb: 2\nc: 3\n";
  const edited = "# head\nk: v\na: 10\nb: 2\nc: 3\nd: 4\n";
  assertEquals(mergeLines(original, base, edited), "#  head\nk:   v\na: 10\nb:    2\nc: 3\nd: 4\n");
});

Deno.test("mergeLines: deletions remove exactly the deleted lines", () => {
  const original = "x:\n  - a  # one\n  - b\n  - c  # three\n";
  const base = "x:\n  - a # one\n  - b\n  - c # three\n";
  const edited = "x:\n  - a # one\n  - c # three\n";
  assertEquals(mergeLines(original, base, edited), "x:\n  - a  # one\n  - c  # three\n");
});

Deno.test("mergeLines: inside a changed chunk, re-formatted lines the edit kept come from the original", () => {
  // The renderer re-indents a nested list; an edit next to it must not re-indent it.
  const original = "m:\n  s: old\n  l:\n  - x\n  - y\nz: 1\n";
  const base = "m:\n  s: old\n  l:\n    - x\n    - y\nz: 1\n";
  const edited = "m:\n  s: new\n  l:\n    - x\n    - y\n  t: added\nz: 1\n";
  assertEquals(
    mergeLines(original, base, edited),
    "m:\n  s: new\n  l:\n  - x\n  - y\n  t: added\nz: 1\n",
  );
});

Deno.test("mergeLines: a file without a final newline", () => {
  assertEquals(mergeLines("a: 1\nb:  2", "a: 1\nb: 2\n", "a: 5\nb: 2\n"), "a: 5\nb:  2");
});
