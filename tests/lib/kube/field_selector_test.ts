import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  escapeFieldValue,
  fieldSelectorString,
  parseFieldSelector,
  SelectorError,
} from "../../../lib/kube/field_selector.ts";

const F = { "metadata.name": "web", "metadata.namespace": "default", type: "Opaque" };

Deno.test("parseFieldSelector: terms and matching", () => {
  const cases: [string, boolean][] = [
    ["", true],
    ["metadata.name=web", true],
    ["metadata.name==web", true],
    ["metadata.name!=web", false],
    ["metadata.name=db", false],
    ["metadata.name=web,metadata.namespace!=kube-system", true],
    ["metadata.name=web,metadata.namespace=kube-system", false],
    ["spec.nodeName=", true],
    ["spec.nodeName!=", false],
    ["type=Opaque,,", true],
  ];
  for (const [text, want] of cases) {
    assertEquals(parseFieldSelector(text).matches(F), want, text);
  }
  const sel = parseFieldSelector("a=b,c!=d,e==f");
  assertEquals(sel.requirements, [
    { field: "a", operator: "=", value: "b" },
    { field: "c", operator: "!=", value: "d" },
    { field: "e", operator: "=", value: "f" },
  ]);
  assertTrue(parseFieldSelector("").empty);
  assertTrue(!sel.empty);
});

Deno.test("parseFieldSelector: escapes", () => {
  const sel = parseFieldSelector("metadata.name=a\\,b\\=c\\\\d");
  assertEquals(sel.requirements[0].value, "a,b=c\\d");
  assertEquals(escapeFieldValue("a,b=c\\d"), "a\\,b\\=c\\\\d");
  assertEquals(fieldSelectorString(sel), "metadata.name=a\\,b\\=c\\\\d");
});

Deno.test("parseFieldSelector: errors", async () => {
  const cases: [string, string][] = [
    ["metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["a=b=c", "invalid field selector: unescaped character in value: ="],
  ];
  for (const [text, msg] of cases) {
    const e = await assertRejects(() => parseFieldSelector(text));
    assertTrue(e instanceof SelectorError);
    assertEquals(e.message, msg);
  }
});
