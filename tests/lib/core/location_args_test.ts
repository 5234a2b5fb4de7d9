import {
  imwPath,
  parseEnsureLocationArgs,
  parseRemoveLocationArgs,
} from "../../../lib/core/location_args.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { oneLineUserErrorMessage as fails } from "./core_units_support.ts";

const P = "kubectl-kubestellar-ensure-location";

const ensure = (...args: string[]) => () => parseEnsureLocationArgs(P, args);
const remove = (...args: string[]) => () => parseRemoveLocationArgs(P, args);

Deno.test("ensure location: own flags, kubectl flags and positionals in any order", () => {
  const a = parseEnsureLocationArgs(P, [
    "-v",
    "3",
    "--imw",
    "imw-1",
    "demo1",
    "--kubeconfig=/k",
    "foo=bar",
    "-X",
    "the-word=the-bird",
  ]);
  assertEquals(a.imw, "imw-1");
  assertEquals(a.name, "demo1");
  assertEquals(a.labels, [["foo", "bar"], ["the-word", "the-bird"]]);
  assertEquals(a.passThrough, ["-v", "3", "--kubeconfig=/k"]);
  assertTrue(a.trace);
  assertEquals(parseEnsureLocationArgs(P, ["x", "a.b/c=d"]).imw, ".");
  assertTrue(parseEnsureLocationArgs(P, ["-h"]).help);
});

Deno.test("ensure location: upstream's messages for bad arguments", () => {
  assertEquals(fails(ensure()), `${P}: must be given a non-empty object name`);
  assertEquals(fails(ensure("demo1")), `${P}: must be given at least one label key=value`);
  assertEquals(fails(ensure("demo1", "foo")), `${P}: syntax error for label name=value arg foo`);
  assertEquals(
    fails(ensure("demo1", "a=b=c")),
    `${P}: syntax error for label name=value arg a=b=c`,
  );
  assertEquals(fails(ensure("demo1", "id=x")), `${P}: 'id' label may not be specified`);
  assertTrue(fails(ensure("demo1", "_a=b")).includes("label name '_a' is not valid"));
  assertTrue(fails(ensure("demo1", "a=-b")).includes("label value '-b' is not valid"));
  // Labels are checked before the name.
  assertEquals(fails(ensure("Bad", "foo")), `${P}: syntax error for label name=value arg foo`);
  assertTrue(fails(ensure("Demo_1", "a=b")).startsWith(`${P}: objname not valid, must match`));
  assertEquals(
    fails(ensure("default", "a=b")),
    `${P}: Sorry, 'default' is not an acceptable name for these objects`,
  );
  assertEquals(fails(ensure("x", "a=b", "--context", "c")), `${P}: --context flag not supported`);
  assertEquals(fails(ensure("x", "a=b", "--context=c")), `${P}: --context flag not supported`);
  assertEquals(fails(ensure("x", "a=b", "--imw")), `${P}: missing IMW pathname`);
  assertTrue(fails(ensure("x", "a=b", "--bogus")).includes(`unknown flag "--bogus"`));
});

Deno.test("remove location: one name, same name rules", () => {
  const r = parseRemoveLocationArgs(P, ["--imw", "root:imw-1", "demo1", "-s", "https://h"]);
  assertEquals([r.imw, r.name, r.passThrough], ["root:imw-1", "demo1", ["-s", "https://h"]]);
  assertEquals(fails(remove("a", "b")), `${P}: only one positional argument is allowed`);
  assertEquals(fails(remove()), `${P}: must be given a non-empty object name`);
  assertEquals(fails(remove("--imw", "x")), `${P}: must be given a non-empty object name`);
  assertTrue(fails(remove("UP")).includes("objname not valid"));
});

Deno.test("--imw: '.' is the current workspace, a bare name a child of root", () => {
  assertEquals(imwPath("."), undefined);
  assertEquals(imwPath("imw-1"), "root:imw-1");
  assertEquals(imwPath("root:imw-1"), "root:imw-1");
  assertEquals(imwPath("root"), "root");
  assertEquals(imwPath("root:a:b"), "root:a:b");
});
