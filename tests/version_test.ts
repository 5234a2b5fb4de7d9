import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assertEquals, assertMatch } from "./support/assert.ts";
import { MAIN_TS, REPO_ROOT, runCli } from "./support/cli.ts";
import { optionalTool } from "./support/optional_tool.ts";
import { type BuildStamp, goPlatform, kcpGitVersion } from "../lib/version/build_info.ts";
import { PROJECT_VERSION } from "../lib/version/project_version.ts";
import { computeStamp } from "../scripts/build_stamp.ts";

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

const TAIL =
  `"goVersion":"deno${Deno.version.deno}","compiler":"deno","platform":"${goPlatform()}"`;

Deno.test("kubestellar-version in an unstamped checkout says so plainly", async () => {
  const r = await runCli([], { as: "kubestellar-version" });
  assertEquals(r.code, 0);
  assertEquals(
    r.stdout,
    `{"major":"1","minor":"24","gitVersion":"v1.24.3+kcp-${PROJECT_VERSION}-unstamped",` +
      `"gitCommit":"unstamped","gitTreeState":"unstamped","buildDate":"unstamped",${TAIL}}\n`,
  );
  for (const part of ["buildDate", "gitCommit", "gitTreeState"]) {
    const one = await runCli([part], { as: "kubestellar-version" });
    assertEquals(one, { code: 0, stdout: "unstamped\n", stderr: "" });
  }
  const p = await runCli(["platform"], { as: "kubestellar-version" });
  assertEquals(p.stdout, `${goPlatform()}\n`);
});

Deno.test("kubestellar-version in a stamped build prints the document's lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stamped-" });
  try {
    // What scripts/build_stamp.ts writes, with the document's example values.
    const stamp: BuildStamp = {
      release: "v0.2.3-preview",
      gitVersion: kcpGitVersion("v0.2.1-20-g1747254b880cb7"),
      gitCommit: "1747254b",
      gitTreeState: "dirty",
      buildDate: "2023-05-19T02:54:01Z",
    };
    const entry = join(dir, "entry.ts");
    await Deno.writeTextFile(
      entry,
      `(globalThis as { __KUBESTELLAR_BUILD__?: unknown }).__KUBESTELLAR_BUILD__ = ${
        JSON.stringify(stamp)
      };\nconst { cli } = await import(${
        JSON.stringify(pathToFileURL(MAIN_TS).href)
      });\nawait cli();\n`,
    );
    const run = (as: string, args: string[]) => runEntry(entry, as, args);
    assertEquals(await run("kubestellar-version", ["buildDate"]), "2023-05-19T02:54:01Z\n");
    assertEquals(await run("kubestellar-version", ["gitCommit"]), "1747254b\n");
    assertEquals(
      await run("kubestellar-version", []),
      `{"major":"1","minor":"24","gitVersion":"v1.24.3+kcp-v0.2.1-20-g1747254b880cb7",` +
        `"gitCommit":"1747254b","gitTreeState":"dirty","buildDate":"2023-05-19T02:54:01Z",${TAIL}}\n`,
    );
    assertEquals(await run("kubestellar-release", []), "v0.2.3-preview\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function runEntry(entry: string, as: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--config", join(REPO_ROOT, "deno.json"), entry, ...args],
    env: { KUBESTELLAR_INVOKED_AS: as, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(r.stdout);
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  return text;
}

const HAVE_GIT = await optionalTool("git", "the git-describe stamp test");

Deno.test(
  { name: "build stamps take gitVersion from git describe, kcp style", ignore: !HAVE_GIT },
  async () => {
    const stamp = await computeStamp("v9.9.9");
    assertMatch(stamp.gitVersion, /^v1\.24\.3\+kcp-v\d+\.\d+\.\d+\S*$/);
    assertMatch(stamp.gitCommit, /^[0-9a-f]{8}$/);
    assertMatch(stamp.gitTreeState, /^(clean|dirty)$/);
    assertMatch(stamp.buildDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  },
);

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

Deno.test("kubestellar-release prints a version line and takes no arguments", async () => {
  const r = await runCli([], { as: "kubestellar-release" });
  assertEquals(r, { code: 0, stdout: `${PROJECT_VERSION}-dev\n`, stderr: "" });
  const extra = await runCli(["extra"], { as: "kubestellar-release" });
  assertEquals(extra, {
    code: 1,
    stdout: "",
    stderr:
      'kubestellar-release: unexpected argument "extra"; it takes no arguments (usage: kubestellar-release)\n',
  });
  const flag = await runCli(["--bogus"], { as: "kubestellar-release" });
  assertEquals(flag.code, 1);
  assertEquals(flag.stderr.split("\n").length, 2, flag.stderr);
});
