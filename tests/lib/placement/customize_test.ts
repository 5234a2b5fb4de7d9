import { assertEquals } from "../../support/assert.ts";
import {
  JsonPathError,
  parseJsonPath,
  setAtPath,
} from "../../../lib/placement/customize/jsonpath.ts";
import {
  expandDeep,
  expandString,
  parameterDefinitions,
} from "../../../lib/placement/customize/expand_parameters.ts";
import { assertRejects } from "../../support/assert.ts";

Deno.test("%(name) expands from definitions; unknown names and other % stay; %% is %", () => {
  const defs = { env: "prod", region: "eu" };
  assertEquals(expandString("env is %(env) in %(region)", defs), "env is prod in eu");
  assertEquals(expandString("%(nope) 50%x 100%%", defs), "%(nope) 50%x 100%");
  assertEquals(
    expandDeep({ a: ["%(env)", 3, { "%(env)": "%(region)" }] }, defs),
    { a: ["prod", 3, { "%(env)": "eu" }] },
  );
});

Deno.test("labels win over annotations, Location over SyncTarget", () => {
  const defs = parameterDefinitions(
    { labels: { env: "prod" }, annotations: { env: "ann", note: "n" } },
    { labels: { env: "st", extra: "x" } },
  );
  assertEquals(defs, { env: "prod", note: "n", extra: "x" });
});

Deno.test("the seed's replacement path sets the first env value", () => {
  const obj = {
    spec: { template: { spec: { containers: [{ env: [{ name: "E", value: "old" }] }] } } },
  };
  const n = setAtPath(
    obj,
    parseJsonPath("$.spec.template.spec.containers.0.env.0.value"),
    "env is prod",
  );
  assertEquals(n, 1);
  assertEquals(obj.spec.template.spec.containers[0].env[0].value, "env is prod");
});

Deno.test("definite chains create missing members; indices out of range are not created", () => {
  const obj: Record<string, unknown> = { spec: { list: [1] } };
  assertEquals(setAtPath(obj, parseJsonPath("$.metadata.labels.tier"), "web"), 1);
  assertEquals(obj.metadata, { labels: { tier: "web" } });
  assertEquals(setAtPath(obj, parseJsonPath("$.spec.list[3]"), 9), 0);
  assertEquals(obj.spec, { list: [1] });
});

Deno.test("wildcards, unions, slices and recursive descent", () => {
  const obj = { a: [{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }], b: { v: 0, c: { v: 0 } } };
  assertEquals(setAtPath(obj, parseJsonPath("$.a[*].v"), 7), 4);
  assertEquals(setAtPath(obj, parseJsonPath("$.a[0:4:2].v"), 8), 2);
  assertEquals(obj.a.map((x) => x.v), [8, 7, 8, 7]);
  assertEquals(setAtPath(obj, parseJsonPath("$.a[1,3].v"), 5), 2);
  assertEquals(setAtPath(obj, parseJsonPath("$.b..v"), 9), 2);
  assertEquals(obj.b, { v: 9, c: { v: 9 } });
});

Deno.test("bad paths are reported", async () => {
  for (const bad of ["spec.x", "$.a[", "$.a[1:2:0]", "$.a.%"]) {
    await assertRejects(() => parseJsonPath(bad), /./);
  }
  try {
    parseJsonPath("x");
  } catch (e) {
    assertEquals(e instanceof JsonPathError, true);
  }
});
