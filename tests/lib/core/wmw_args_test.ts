import { parseEnsureWmwArgs, parseRemoveWmwArgs } from "../../../lib/core/wmw_args.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { oneLineUserErrorMessage as fails } from "./core_units_support.ts";

const P = "kubectl-kubestellar-ensure-wmw";

const ensure = (...args: string[]) => () => parseEnsureWmwArgs(P, args);
const remove = (...args: string[]) => () => parseRemoveWmwArgs(P, args);

Deno.test("ensure wmw: --with-kube defaults to true; flags anywhere", () => {
  const a = parseEnsureWmwArgs(P, ["example-wmw"]);
  assertEquals([a.name, a.withKube, a.trace], ["example-wmw", true, false]);
  const b = parseEnsureWmwArgs(P, ["--with-kube", "false", "-X", "w", "--kubeconfig", "k"]);
  assertEquals([b.name, b.withKube, b.trace, b.passThrough], ["w", false, true, [
    "--kubeconfig",
    "k",
  ]]);
  assertEquals(parseEnsureWmwArgs(P, ["w", "--with-kube", "true"]).withKube, true);
  assertTrue(parseEnsureWmwArgs(P, ["--help"]).help);
});

Deno.test("ensure wmw: upstream's messages for bad arguments", () => {
  assertEquals(
    fails(ensure("w", "--with-kube", "maybe")),
    `${P}: with-kube should be true or false`,
  );
  assertEquals(fails(ensure("w", "--with-kube")), `${P}: missing with-kube value`);
  assertEquals(fails(ensure("a", "b")), `${P}: too many positional arguments`);
  assertEquals(fails(ensure()), `${P}: workload management workspace name not specified`);
  assertEquals(fails(ensure("w", "--context", "x")), `${P}: --context flag not supported`);
  assertTrue(fails(ensure("root:w")).includes("invalid workload management workspace name"));
});

Deno.test("remove wmw: one bare name", () => {
  const r = parseRemoveWmwArgs(P, ["-X", "demo1"]);
  assertEquals([r.name, r.trace], ["demo1", true]);
  assertEquals(fails(remove("a", "b")), `${P}: too many positional arguments`);
  assertEquals(fails(remove()), `${P}: workload management workspace name not specified`);
  assertTrue(fails(remove("w", "--with-kube", "x")).includes(`unknown flag "--with-kube"`));
});
