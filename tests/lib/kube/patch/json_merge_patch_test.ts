import { assertEquals } from "../../../support/assert.ts";
import { applyMergePatch, createMergePatch } from "../../../../lib/kube/patch/json_merge_patch.ts";

// RFC 7386 appendix A.
const RFC_CASES: [unknown, unknown, unknown][] = [
  [{ a: "b" }, { a: "c" }, { a: "c" }],
  [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  [{ a: "b" }, { a: null }, {}],
  [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
  [{ a: ["b"] }, { a: "c" }, { a: "c" }],
  [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
  [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  [["a", "b"], ["c", "d"], ["c", "d"]],
  [{ a: "b" }, ["c"], ["c"]],
  [{ a: "foo" }, null, null],
  [{ a: "foo" }, "bar", "bar"],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: "b", c: null }, { a: "b" }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

Deno.test("applyMergePatch: RFC 7386 examples", () => {
  for (const [target, patch, want] of RFC_CASES) {
    assertEquals(applyMergePatch(target, patch), want, JSON.stringify([target, patch]));
  }
});

Deno.test("applyMergePatch never mutates its inputs or shares structure", () => {
  const target = { a: { b: [1, 2] }, c: { d: 1 } };
  const patch = { c: { e: [3] } };
  const out = applyMergePatch(target, patch) as Record<string, Record<string, unknown>>;
  assertEquals(target, { a: { b: [1, 2] }, c: { d: 1 } });
  assertEquals(patch, { c: { e: [3] } });
  (out.a.b as number[]).push(9);
  (out.c.e as number[]).push(9);
  assertEquals(target.a.b, [1, 2]);
  assertEquals(patch.c.e, [3]);
});

Deno.test("kubectl label-style metadata patches", () => {
  const obj = { metadata: { name: "x", labels: { a: "1", b: "2" } }, spec: { n: 1 } };
  assertEquals(applyMergePatch(obj, { metadata: { labels: { a: null, c: "3" } } }), {
    metadata: { name: "x", labels: { b: "2", c: "3" } },
    spec: { n: 1 },
  });
});

Deno.test("createMergePatch round-trips", () => {
  const cases: [unknown, unknown][] = [
    [{ a: 1, b: 2 }, { b: 3 }],
    [{ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3, d: [1] } }],
    [{ a: [1, 2] }, { a: [2] }],
    [{ a: 1 }, { a: { nested: true } }],
    [{ a: { x: 1 } }, { a: 5 }],
    [{ same: { x: 1 } }, { same: { x: 1 } }],
    ["scalar", { a: 1 }],
  ];
  for (const [orig, mod] of cases) {
    const patch = createMergePatch(orig, mod);
    assertEquals(applyMergePatch(orig, patch), mod, JSON.stringify([orig, mod, patch]));
  }
  assertEquals(createMergePatch({ a: 1, b: 2 }, { b: 3 }), { a: null, b: 3 });
  assertEquals(createMergePatch({ a: { b: 1, c: 2 } }, { a: { b: 1 } }), { a: { c: null } });
  assertEquals(createMergePatch({ same: { x: 1 } }, { same: { x: 1 } }), {});
});

Deno.test("__proto__ keys stay data", () => {
  const out = applyMergePatch({}, JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
  assertEquals(Object.getPrototypeOf(out), Object.prototype);
  assertEquals(Object.keys(out), ["__proto__"]);
});
