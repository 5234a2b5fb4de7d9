import { assertEquals, assertRejects, assertTrue } from "../../../support/assert.ts";
import {
  applyJsonPatch,
  type JsonPatchOperation,
  PatchError,
} from "../../../../lib/kube/patch/json_patch.ts";

type Op = JsonPatchOperation;

// RFC 6902 appendix A (successful examples).
const RFC_CASES: [string, unknown, Op[], unknown][] = [
  ["A.1 add object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], {
    baz: "qux",
    foo: "bar",
  }],
  ["A.2 add array element", { foo: ["bar", "baz"] }, [{
    op: "add",
    path: "/foo/1",
    value: "qux",
  }], { foo: ["bar", "qux", "baz"] }],
  ["A.3 remove object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], {
    foo: "bar",
  }],
  ["A.4 remove array element", { foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }], {
    foo: ["bar", "baz"],
  }],
  ["A.5 replace", { baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }], {
    baz: "boo",
    foo: "bar",
  }],
  [
    "A.6 move value",
    { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  ],
  ["A.7 move array element", { foo: ["all", "grass", "cows", "eat"] }, [{
    op: "move",
    from: "/foo/1",
    path: "/foo/3",
  }], { foo: ["all", "cows", "eat", "grass"] }],
  ["A.8 test success", { baz: "qux", foo: ["a", 2, "c"] }, [
    { op: "test", path: "/baz", value: "qux" },
    { op: "test", path: "/foo/1", value: 2 },
  ], { baz: "qux", foo: ["a", 2, "c"] }],
  ["A.10 add nested member", { foo: "bar" }, [{
    op: "add",
    path: "/child",
    value: { grandchild: {} },
  }], {
    foo: "bar",
    child: { grandchild: {} },
  }],
  ["A.14 ~ escapes", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], {
    "/": 9,
    "~1": 10,
  }],
  [
    "A.16 add array value",
    { foo: ["bar"] },
    [{ op: "add", path: "/foo/-", value: ["abc", "def"] }],
    {
      foo: ["bar", ["abc", "def"]],
    },
  ],
  ["copy", { a: { b: [1] } }, [{ op: "copy", from: "/a", path: "/c" }], {
    a: { b: [1] },
    c: { b: [1] },
  }],
  ["~1 in add", { metadata: { labels: {} } }, [{
    op: "add",
    path: "/metadata/labels/example.com~1team",
    value: "a",
  }], { metadata: { labels: { "example.com/team": "a" } } }],
  ["replace root", { a: 1 }, [{ op: "replace", path: "", value: [1] }], [1]],
  ["test deep equality ignores key order", { a: { x: 1, y: 2 } }, [{
    op: "test",
    path: "/a",
    value: { y: 2, x: 1 },
  }], { a: { x: 1, y: 2 } }],
];

Deno.test("applyJsonPatch: RFC 6902 examples", () => {
  for (const [name, doc, ops, want] of RFC_CASES) {
    assertEquals(applyJsonPatch(doc, ops), want, name);
  }
});

Deno.test("applyJsonPatch: failures throw PatchError and leave the input alone", async () => {
  const cases: [string, unknown, Op[], RegExp][] = [
    [
      "A.9 test failure",
      { baz: "qux" },
      [{ op: "test", path: "/baz", value: "bar" }],
      /testing value \/baz failed/,
    ],
    ["A.12 add to nonexistent target", { foo: "bar" }, [{
      op: "add",
      path: "/baz/bat",
      value: "qux",
    }], /does not exist/],
    [
      "A.15 string vs number",
      { "/": 9, "~1": 10 },
      [{ op: "test", path: "/~01", value: "10" }],
      /failed/,
    ],
    ["remove missing", { a: 1 }, [{ op: "remove", path: "/b" }], /does not exist/],
    ["replace missing", { a: 1 }, [{ op: "replace", path: "/b", value: 1 }], /does not exist/],
    ["index out of range", { a: [1] }, [{ op: "add", path: "/a/2", value: 1 }], /out of bounds/],
    ["bad index", { a: [1] }, [{ op: "remove", path: "/a/01" }], /invalid array index/],
    ["- on remove", { a: [1] }, [{ op: "remove", path: "/a/-" }], /invalid array index/],
    ["missing value", { a: 1 }, [{ op: "add", path: "/b" } as Op], /missing "value"/],
    ["missing from", { a: 1 }, [{ op: "copy", path: "/b" } as Op], /missing "from"/],
    [
      "unknown op",
      { a: 1 },
      [{ op: "frob", path: "/a" } as unknown as Op],
      /unknown JSON patch operation/,
    ],
    ["bad pointer", { a: 1 }, [{ op: "remove", path: "a" }], /must start with/],
    ["move into child", { a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a/b/c" }], /own child/],
  ];
  for (const [name, doc, ops, re] of cases) {
    const before = JSON.stringify(doc);
    const e = await assertRejects(() => applyJsonPatch(doc, ops), re);
    assertTrue(e instanceof PatchError, name);
    assertEquals(JSON.stringify(doc), before, name);
  }
});

Deno.test("applyJsonPatch: earlier operations are not visible after a later failure", async () => {
  const doc = { a: [1, 2] };
  await assertRejects(() =>
    applyJsonPatch(doc, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "test", path: "/a/0", value: 9 },
    ])
  );
  assertEquals(doc, { a: [1, 2] });
  const out = applyJsonPatch(doc, [{ op: "add", path: "/a/-", value: 3 }]);
  assertEquals(out, { a: [1, 2, 3] });
  assertEquals(doc, { a: [1, 2] });
});

Deno.test("__proto__ keys stay data", () => {
  const out = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { x: 1 } }]) as Record<
    string,
    unknown
  >;
  assertEquals(Object.getPrototypeOf(out), Object.prototype);
  assertEquals(Object.keys(out), ["__proto__"]);
});

Deno.test("applyJsonPatch: a successful patch leaves its input as it was and shares nothing with it", () => {
  const doc = { metadata: { labels: { a: "1" } }, data: { k: "v" }, list: [{ x: 1 }] };
  const before = JSON.stringify(doc);
  const out = applyJsonPatch(doc, [
    { op: "replace", path: "/data", value: { k: "w" } },
    { op: "add", path: "/metadata/labels/b", value: "2" },
    { op: "remove", path: "/metadata/labels/a" },
    { op: "copy", from: "/list/0", path: "/list/-" },
    { op: "move", from: "/data", path: "/moved" },
  ]) as { list: { x: number }[]; metadata: { labels: Record<string, string> } };
  assertEquals(JSON.stringify(doc), before);
  out.list[0].x = 9;
  out.metadata.labels.c = "3";
  assertEquals(JSON.stringify(doc), before);
});
