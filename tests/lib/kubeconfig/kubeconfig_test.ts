import { join } from "node:path";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertTrue,
} from "../../support/assert.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";

/** A kubeconfig defining cluster/user/context `name` plus `shared` ones, tagged by `tag`. */
function config(tag: string, current: string, extra = ""): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${tag}`,
    "  cluster:",
    `    server: https://${tag}.example:6443`,
    "- name: shared",
    "  cluster:",
    `    server: https://shared-${tag}.example:6443`,
    "contexts:",
    `- name: ${tag}`,
    "  context:",
    `    cluster: ${tag}`,
    `    user: ${tag}`,
    "- name: shared",
    "  context:",
    "    cluster: shared",
    "    user: shared",
    `    namespace: ns-${tag}`,
    `current-context: "${current}"`,
    "users:",
    `- name: ${tag}`,
    "  user:",
    `    token: token-${tag}`,
    "- name: shared",
    "  user:",
    `    token: shared-${tag}`,
    extra,
  ].join("\n");
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kubeconfig-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function setup(dir: string): Promise<{ a: string; b: string; home: string }> {
  const a = join(dir, "a.yaml");
  const b = join(dir, "b.yaml");
  const home = join(dir, "home");
  await Deno.mkdir(join(home, ".kube"), { recursive: true });
  await Deno.writeTextFile(a, config("a", ""));
  await Deno.writeTextFile(b, config("b", "b"));
  await Deno.writeTextFile(join(home, ".kube", "config"), config("home", "home"));
  return { a, b, home };
}

Deno.test("precedence: --kubeconfig > $KUBECONFIG > ~/.kube/config", async () => {
  await withDir(async (dir) => {
    const { a, b, home } = await setup(dir);
    const fromHome = await loadKubeconfig({}, { sources: { home } });
    assertEquals(fromHome.paths, [join(home, ".kube", "config")]);
    assertEquals(fromHome.currentContext, "home");
    const fromEnv = await loadKubeconfig({}, { sources: { env: b, home } });
    assertEquals(fromEnv.currentContext, "b");
    const explicit = await loadKubeconfig({ kubeconfig: a }, { sources: { env: b, home } });
    assertEquals(explicit.paths, [a]);
    assertEquals(explicit.currentContext, "");
    assertEquals(
      (await explicit.restConfig().catch((e) => e)).message,
      (() => {
        return `no kubeconfig context is selected in "${a}": set current-context or pass --context`;
      })(),
    );
  });
});

Deno.test("merge: the first file that defines a name wins; current-context from the first that sets one", async () => {
  await withDir(async (dir) => {
    const { a, b, home } = await setup(dir);
    const kc = await loadKubeconfig({}, { sources: { env: `${a}:${b}`, home } });
    assertEquals(kc.currentContext, "b", "a.yaml sets none, so b.yaml's wins");
    assertEquals(kc.find("clusters", "shared")?.value.server, "https://shared-a.example:6443");
    assertEquals(kc.find("clusters", "shared")?.file, a);
    assertEquals(kc.find("clusters", "b")?.file, b);
    assertEquals(kc.list("contexts").map((e) => [e.name, e.file]), [
      ["a", a],
      ["shared", a],
      ["b", b],
    ]);
    const rc = await kc.restConfig();
    assertEquals([rc.server, rc.token], ["https://b.example:6443", "token-b"]);
    const shared = await (await loadKubeconfig({ context: "shared" }, {
      sources: { env: `${b}:${a}`, home },
    })).restConfig();
    assertEquals([shared.server, shared.token, shared.namespace], [
      "https://shared-b.example:6443",
      "shared-b",
      "ns-b",
    ]);
  });
});

Deno.test("missing files in $KUBECONFIG are skipped; an explicit missing file is an error", async () => {
  await withDir(async (dir) => {
    const { b, home } = await setup(dir);
    const missing = join(dir, "missing.yaml");
    const kc = await loadKubeconfig({}, { sources: { env: `${missing}:${b}`, home } });
    assertEquals(kc.currentContext, "b");
    assertEquals(kc.files[0].exists, false);
    const e = await assertRejects(() => loadKubeconfig({ kubeconfig: missing }, { sources: {} }));
    assertTrue(e instanceof UserError);
    assertEquals(e.message, `cannot read kubeconfig file "${missing}": no such file or directory`);
    await Deno.writeTextFile(join(dir, "bad.yaml"), "clusters: {a: 1}\n");
    await assertRejects(
      () => loadKubeconfig({ kubeconfig: join(dir, "bad.yaml") }, { sources: {} }),
      /is not a kubeconfig: "clusters" is not a list/,
    );
    await Deno.writeTextFile(join(dir, "broken.yaml"), "clusters: [\n");
    await assertRejects(
      () => loadKubeconfig({}, { sources: { env: join(dir, "broken.yaml") } }),
      /is not valid YAML/,
    );
  });
});

Deno.test("writes land in the file that holds the entry, atomically, mode 0600", async () => {
  await withDir(async (dir) => {
    const { a, b, home } = await setup(dir);
    await Deno.chmod(a, 0o644);
    const bBefore = await Deno.readTextFile(b);
    const kc = await loadKubeconfig({}, { sources: { env: `${a}:${b}`, home } });
    // "shared" lives in both; a.yaml's definition is the one in effect.
    kc.set("clusters", "shared", { server: "https://moved.example:443" });
    await kc.save();
    assertEquals(await Deno.readTextFile(b), bBefore, "b.yaml was not touched");
    const aText = await Deno.readTextFile(a);
    assertStringIncludes(aText, "    server: https://moved.example:443\n");
    assertEquals((await Deno.stat(a)).mode! & 0o777, 0o600);
    // Entries only b.yaml holds are edited in b.yaml.
    kc.set("users", "b", { token: "rotated" });
    await kc.save();
    assertStringIncludes(await Deno.readTextFile(b), "    token: rotated\n");
    assertEquals(await Deno.readTextFile(a), aText);
    const leftovers = [...Deno.readDirSync(dir)].filter((e) => e.name.includes(".tmp-"));
    assertEquals(leftovers, []);
  });
});

Deno.test("new entries and a new current-context go to the default file; clearing clears the setter", async () => {
  await withDir(async (dir) => {
    const { a, b, home } = await setup(dir);
    const bBefore = await Deno.readTextFile(b);
    const missing = join(dir, "new", "first.yaml");
    // The first existing file of the list is client-go's default file.
    const kc = await loadKubeconfig({}, { sources: { env: `${missing}:${a}:${b}`, home } });
    kc.set("clusters", "fresh", { server: "https://fresh:1" });
    kc.setCurrentContext("a");
    await kc.save();
    const aText = await Deno.readTextFile(a);
    assertStringIncludes(aText, "- cluster:\n    server: https://fresh:1\n");
    assertStringIncludes(aText, "current-context: a\n");
    assertEquals(await Deno.readTextFile(b), bBefore);
    assertEquals(await Deno.stat(missing).catch(() => undefined), undefined);
    kc.setCurrentContext("");
    await kc.save();
    assertStringIncludes(await Deno.readTextFile(a), "current-context: ");
    assertEquals(kc.currentContext, "b", "b.yaml's value shows through again");
    kc.setCurrentContext("");
    await kc.save();
    assertStringIncludes(await Deno.readTextFile(b), 'current-context: ""\n');

    // With --kubeconfig everything goes to that file, which need not exist yet for writes.
    const lone = join(dir, "home", "lone.yaml");
    await Deno.writeTextFile(lone, "");
    const explicit = await loadKubeconfig({ kubeconfig: lone }, { sources: { env: b } });
    explicit.set("contexts", "c", { cluster: "x", user: "y" });
    explicit.setCurrentContext("c");
    await explicit.save();
    const text = await Deno.readTextFile(lone);
    assertStringIncludes(text, "apiVersion: v1\n");
    assertStringIncludes(text, "current-context: c\n");
    assertStringIncludes(text, "- context:\n    cluster: x\n    user: y\n  name: c\n");
    assertEquals((await Deno.stat(lone)).mode! & 0o777, 0o600);
  });
});

Deno.test("delete removes the entry in effect from its file, as kubectl config delete-* does", async () => {
  await withDir(async (dir) => {
    const { a, b, home } = await setup(dir);
    const bBefore = await Deno.readTextFile(b);
    const kc = await loadKubeconfig({}, { sources: { env: `${a}:${b}`, home } });
    assertEquals(kc.delete("users", "shared"), true);
    assertEquals(kc.delete("users", "nobody"), false);
    // b.yaml's definition now shows through.
    assertEquals(kc.find("users", "shared")?.value.token, "shared-b");
    await kc.save();
    assertTrue(!(await Deno.readTextFile(a)).includes("- name: shared\n  user:"));
    assertEquals(await Deno.readTextFile(b), bBefore);
  });
});

Deno.test("a missing context is a UserError naming the files", async () => {
  await withDir(async (dir) => {
    const { a, home } = await setup(dir);
    const kc = await loadKubeconfig({ context: "nope" }, { sources: { env: a, home } });
    await assertRejects(
      () => kc.restConfig(),
      new RegExp(`^context "nope" does not exist in kubeconfig "${a}"`),
    );
  });
});

Deno.test("a missing context in a kubeconfig file that does not exist says the file is missing", async () => {
  await withDir(async (dir) => {
    const missing = `${dir}/nowhere/kc`;
    const kc = await loadKubeconfig({ context: "root" }, { sources: { env: missing, home: dir } });
    await assertRejects(
      () => kc.restConfig(),
      new RegExp(`^context "root" does not exist in kubeconfig "${missing}" \\(no such file\\)`),
    );
  });
});
