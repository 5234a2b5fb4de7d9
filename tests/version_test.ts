import { assertEquals } from "./support/assert.ts";
import { runCli } from "./support/cli.ts";

Deno.test("kubestellar-version prints compact JSON with the documented key order", async () => {
  const r = await runCli([], { as: "kubestellar-version" });
  assertEquals(r.code, 0);
  const obj = JSON.parse(r.stdout);
  assertEquals(Object.keys(obj), [
    "major",
    "minor",
    "gitVersion",
    "gitCommit",
    "gitTreeState",
    "buildDate",
    "goVersion",
    "compiler",
    "platform",
  ]);
  assertEquals(r.stdout.trim().split("\n").length, 1);
});

Deno.test("kubestellar-version prints one requested component", async () => {
  const r = await runCli(["buildDate"], { as: "kubestellar-version" });
  assertEquals(r.code, 0);
  assertEquals(r.stdout, "1970-01-01T00:00:00Z\n");
  const p = await runCli(["platform"], { as: "kubestellar-version" });
  assertEquals(p.stdout.trim().split("/").length, 2);
});

Deno.test("kubestellar-version rejects an unknown component with the seed's lines", async () => {
  const r = await runCli(["help"], { as: "kubestellar-version" });
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    'Invalid component requested: "help"\nUsage: kubestellar-version [buildDate|gitCommit|gitTreeState|platform]\n',
  );
  const two = await runCli(["a", "b"], { as: "kubestellar-version" });
  assertEquals(two.code, 1);
  assertEquals(two.stderr.split("\n")[0], "kubestellar-version: too many arguments");
});

Deno.test("kubestellar-release prints a version line", async () => {
  const r = await runCli([], { as: "kubestellar-release" });
  assertEquals(r.code, 0);
  assertEquals(/^v\d+\.\d+\.\d+\S*\n$/.test(r.stdout), true);
});
