import { assertEquals, assertRejects } from "../../support/assert.ts";
import { formatLabelSelector } from "../../../lib/kube/label_selector.ts";
import { parseToLabelSelector } from "../../../lib/kube/label_selector_object.ts";

Deno.test("parseToLabelSelector: equality to matchLabels, set and existence to matchExpressions", () => {
  const sel = parseToLabelSelector("env=prod,tier in (web,api),!legacy,zone,app==x,b notin (y)");
  assertEquals(sel.matchLabels, { env: "prod", app: "x" });
  assertEquals(sel.matchExpressions, [
    { key: "b", operator: "NotIn", values: ["y"] },
    { key: "legacy", operator: "DoesNotExist" },
    { key: "tier", operator: "In", values: ["web", "api"] },
    { key: "zone", operator: "Exists" },
  ]);
  assertEquals(formatLabelSelector(parseToLabelSelector("env=prod")), "env=prod");
  assertEquals(parseToLabelSelector(""), { matchLabels: {}, matchExpressions: [] });
});

Deno.test("parseToLabelSelector: operators without an object form and bad syntax throw", async () => {
  await assertRejects(
    () => parseToLabelSelector("a!=b"),
    /"!=" is not a valid label selector operator/,
  );
  await assertRejects(() => parseToLabelSelector("a>1"), /"gt" isn't supported in label selectors/);
  await assertRejects(() => parseToLabelSelector("a in b"), /unable to parse requirement/);
});
