import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  EVERYTHING,
  formatLabelSelector,
  labelSelectorFromObject,
  NOTHING,
  parseLabelSelector,
  SelectorError,
} from "../../../lib/kube/label_selector.ts";

const L = { env: "prod", tier: "web", version: "3", "example.com/team": "a" };

Deno.test("parseLabelSelector: matching", () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ["", L, true],
    ["", undefined, true],
    ["env=prod", L, true],
    ["env==prod", L, true],
    ["env=qa", L, false],
    ["env!=qa", L, true],
    ["env!=prod", L, false],
    ["missing!=x", L, true],
    ["env in (qa,prod)", L, true],
    ["env in (qa)", L, false],
    ["missing in (x)", L, false],
    ["env notin (qa)", L, true],
    ["env notin (prod,qa)", L, false],
    ["missing notin (x)", L, true],
    ["env", L, true],
    ["missing", L, false],
    ["!missing", L, true],
    ["!env", L, false],
    ["env=prod,tier=web", L, true],
    ["env=prod,tier=db", L, false],
    ["example.com/team=a", L, true],
    [" env = prod , tier in ( web , db ) ", L, true],
    ["version>2", L, true],
    ["version>3", L, false],
    ["version<4", L, true],
    ["env>1", L, false],
    ["empty=", { empty: "" }, true],
    ["empty=", {}, false],
    ["in=notin", { in: "notin" }, true],
    ["x in ()", { x: "" }, true],
    ["x in (a,)", { x: "" }, true],
  ];
  for (const [text, labels, want] of cases) {
    assertEquals(
      parseLabelSelector(text).matches(labels),
      want,
      `${text} on ${JSON.stringify(labels)}`,
    );
  }
});

Deno.test("parseLabelSelector: canonical string form and emptiness", () => {
  assertEquals(
    parseLabelSelector("z=1,a in (y,x),!b,c,d!=2,e notin (q),f==3").toString(),
    "a in (x,y),!b,c,d!=2,e notin (q),f==3,z=1",
  );
  assertTrue(parseLabelSelector("").empty);
  assertTrue(!parseLabelSelector("a").empty);
});

Deno.test("parseLabelSelector: syntax errors carry Kubernetes messages", async () => {
  const cases: [string, string][] = [
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a=b c", "found 'c', expected: ',' or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["!a=b", "unable to parse requirement: found 'a', expected: ',' or 'end of string'"],
    ["a in b", "unable to parse requirement: found 'b' expected: '('"],
    ["a in (b", "unable to parse requirement: found '', expected: ',', or identifier"],
    ["a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    [
      "a>b",
      "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    [
      "-a=b",
      'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters',
    ],
    [
      "a=-b",
      'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string',
    ],
  ];
  for (const [text, msg] of cases) {
    const e = await assertRejects(() => parseLabelSelector(text));
    assertTrue(e instanceof SelectorError, text);
    assertTrue(e.message.startsWith(msg), `${text}: ${e.message}`);
  }
});

Deno.test("labelSelectorFromObject: nil matches nothing, {} matches everything", () => {
  assertEquals(labelSelectorFromObject(undefined).matches(L), false);
  assertEquals(labelSelectorFromObject(null).matches({}), false);
  assertEquals(labelSelectorFromObject(undefined), NOTHING);
  assertEquals(labelSelectorFromObject({}).matches({}), true);
  assertEquals(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), EVERYTHING);
  assertTrue(EVERYTHING.empty);
  assertTrue(!NOTHING.empty);
});

Deno.test("labelSelectorFromObject: matchLabels AND matchExpressions", () => {
  const sel = labelSelectorFromObject({
    matchLabels: { env: "prod" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["web", "api"] },
      { key: "legacy", operator: "DoesNotExist" },
      { key: "version", operator: "Exists" },
      { key: "zone", operator: "NotIn", values: ["eu"] },
    ],
  });
  assertEquals(sel.matches(L), true);
  assertEquals(sel.matches({ ...L, legacy: "y" }), false);
  assertEquals(sel.matches({ ...L, zone: "eu" }), false);
  assertEquals(sel.matches({ ...L, tier: "db" }), false);
  assertEquals(sel.toString(), "env=prod,!legacy,tier in (api,web),version,zone notin (eu)");
});

Deno.test("labelSelectorFromObject: validation errors", async () => {
  const cases: [unknown, string][] = [
    [
      { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: "a", operator: "NotIn" }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    [
      { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
      '"Gt" is not a valid label selector operator',
    ],
    [{ matchLabels: { "a/b/c": "x" } }, 'key: Invalid value: "a/b/c": a qualified name must'],
    [{ matchLabels: { a: "x y" } }, 'values[0][a]: Invalid value: "x y": a valid label'],
  ];
  for (const [sel, msg] of cases) {
    const e = await assertRejects(() => labelSelectorFromObject(sel as never));
    assertTrue(e instanceof SelectorError);
    assertTrue(e.message.startsWith(msg), e.message);
  }
});

Deno.test("formatLabelSelector: display form", () => {
  assertEquals(formatLabelSelector(undefined), "<none>");
  assertEquals(formatLabelSelector({}), "<none>");
  assertEquals(
    formatLabelSelector({
      matchLabels: { b: "1" },
      matchExpressions: [{ key: "a", operator: "NotIn", values: ["y", "x"] }],
    }),
    "a notin (x,y),b=1",
  );
  assertEquals(
    formatLabelSelector({ matchExpressions: [{ key: "a", operator: "In" }] }),
    "<error>",
  );
});
