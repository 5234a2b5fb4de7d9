/**
 * Shell completion without a server: command words and flags, derived from the command
 * tree and each command's usage; the bash script driven through bash's own completion
 * protocol (`complete -p`, `COMP_WORDS`/`COMP_CWORD`/`COMP_LINE`/`COMP_POINT`, `COMPREPLY`,
 * with the words bash itself splits at `:` and `=`); kubectl's plugin completion
 * (`kubectl __complete kubestellar …`) through real kubectl; zsh and fish scripts parsed
 * when those shells are installed; and no client-node, kcp-lite or YAML in the modules
 * static completion loads.
 *
 * @module
 */
import { join } from "node:path";
import { COMMAND_TREE, EXECUTABLES } from "../../commands/tree.ts";
import { completedNames } from "../../commands/completion.ts";
import { CONTROLLER_REGISTRY } from "../../lib/controllers/registry.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { MAIN_TS, REPO_ROOT, runCli } from "../support/cli.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { pluginUser } from "../support/plugin_path.ts";

/** A user whose kubeconfig names no server (static completion needs none). */
async function offlineUser() {
  const file = await Deno.makeTempFile({ suffix: ".kubeconfig" });
  await Deno.writeTextFile(file, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n");
  const user = await pluginUser(file);
  await Deno.remove(file);
  return user;
}

async function complete(...words: string[]): Promise<{ values: string[]; directive: string }> {
  const r = await runCli(["__complete", ...words]);
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  return { values: lines.slice(0, -1).map((l) => l.split("\t")[0]), directive: lines.at(-1)! };
}

Deno.test("command words come from the tree; each command's flags from its usage", async () => {
  const visible = COMMAND_TREE.filter((n) => !n.hidden).map((n) => n.name);
  assertEquals((await complete("")).values, visible);
  assertEquals((await complete("ensure", "")).values, ["location", "wmw"]);
  const prep = await complete("prep-for-syncer", "--");
  for (const flag of ["--imw", "--espw", "--syncer-image", "--wait-timeout", "--kubeconfig"]) {
    assertTrue(prep.values.includes(flag), `${flag} in ${prep.values}`);
  }
  assertEquals(prep.directive, ":4");
  assertEquals((await complete("preview", "-o", "")).values, ["table", "json", "yaml"]);
  assertEquals((await complete("deploy", "--openshift=t")).values, ["--openshift=true"]);
  assertEquals((await complete("completion", "")).values, ["bash", "zsh", "fish"]);
  assertEquals((await complete("version", "git")).values, ["gitCommit", "gitTreeState"]);
  assertEquals((await complete("controller", "")).values, [
    ...CONTROLLER_REGISTRY.map((c) => c.name),
    "all",
  ]);
  assertTrue((await complete("start", "--")).values.includes("--ensure-imw"));
  // A value flag without known values falls back to file names (directive 0).
  assertEquals((await complete("prep-for-syncer", "-o", "")).directive, ":0");
  // Every leaf documents at least one flag or takes none at all, and answers either way.
  const leaves = COMMAND_TREE.flatMap((n) =>
    n.children ? n.children.map((c) => [n.name, c.name]) : [[n.name]]
  );
  for (const path of leaves) {
    const r = await complete(...path, "-");
    assertTrue(/^:\d+$/.test(r.directive), `${path.join(" ")} answers`);
  }
});

Deno.test("kubestellar completion bash: registered names and bash's completion protocol", async () => {
  const user = await offlineUser();
  const dir = user.dir;
  try {
    const script = await user.run("kubestellar", ["completion", "bash"]);
    assertEquals(script.code, 0, script.stderr);
    const file = join(dir, "kubestellar.bash");
    await Deno.writeTextFile(file, script.stdout);
    const bash = async (body: string) => {
      const r = await user.run("/bin/bash", [
        "--norc",
        "--noprofile",
        "-c",
        `source '${file}'\n${body}`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      return r.stdout;
    };
    // complete -p: every installed name but kubectl's completers.
    const registered = await bash("complete -p");
    for (const name of completedNames()) {
      assertStringIncludes(registered, `complete -F __kubestellar_complete`);
      assertTrue(new RegExp(`\\b${name.replace(/[.-]/g, "\\$&")}\\b`).test(registered), name);
    }
    assertTrue(!registered.includes("kubectl_complete-"), "completers are not completed");
    // Bash's protocol: the words as bash splits them (recorded from an interactive bash).
    const reply = (words: string[], line: string) =>
      bash(
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
__kubestellar_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      );
    assertEquals(
      await reply(["kubestellar", "ens"], "kubestellar ens"),
      "ensure-kcp-server-creds\nensure\n",
    );
    assertEquals(await reply(["kubestellar", "remove", "l"], "kubestellar remove l"), "location\n");
    assertEquals(
      await reply(["kubestellar", "preview", "-o", "=", "y"], "kubestellar preview -o=y"),
      "yaml\n",
    );
    assertEquals(await reply(["kubectl-ws", "cr"], "kubectl-ws cr"), "create\ncreate-context\n");
    assertEquals(
      await reply(["mailbox-controller", "--allclusters-c"], "mailbox-controller --allclusters-c"),
      "--allclusters-context\n",
    );
    // compgen sees the same function.
    assertStringIncludes(await bash("compgen -A function __kubestellar"), "__kubestellar_complete");
  } finally {
    await user.cleanup();
  }
});

Deno.test("kubectl __complete kubestellar … through real kubectl's plugin completion", async () => {
  const { kubectl } = await kubeTools();
  const user = await offlineUser();
  try {
    const run = async (...args: string[]) => {
      const r = await user.run(kubectl, ["__complete", ...args]);
      assertEquals(r.code, 0, r.stderr);
      return r.stdout.trimEnd().split("\n");
    };
    const top = await run("kubestellar", "");
    assertEquals(top.at(-1), ":4");
    assertTrue(
      top.includes(
        "ensure\tensure a location (SyncTarget/Location pair) or a workload management workspace",
      ),
      top.join("\n"),
    );
    assertEquals(await run("kubestellar", "remove", ""), [
      "location\tremove a SyncTarget/Location pair",
      "wmw\tremove a workload management workspace",
      ":4",
    ]);
    assertTrue((await run("kubestellar", "ensure", "location", "--i")).includes("--imw"));
    assertEquals(await run("ws", "tr"), ["tree\tprint the workspace tree", ":4"]);
    assertEquals(await run("kcp", "bind", ""), ["apiexport\tbind to an APIExport", ":4"]);
    // kubectl finds the plugin names too.
    assertTrue((await run("kub")).some((l) => l.startsWith("kubestellar")));
  } finally {
    await user.cleanup();
  }
});

/** True when `shell` runs (a missing binary makes `output()` throw before it returns). */
async function haveShell(shell: string): Promise<boolean> {
  try {
    const r = await new Deno.Command(shell, {
      args: ["-c", "true"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return r.success;
  } catch {
    return false;
  }
}

for (const shell of ["zsh", "fish"] as const) {
  const present = await haveShell(shell);
  if (!present) console.log(`${shell} completion script check SKIPPED: ${shell} is not installed`);
  Deno.test({ name: `kubestellar completion ${shell} parses`, ignore: !present }, async () => {
    const r = await runCli(["completion", shell]);
    assertEquals(r.code, 0, r.stderr);
    const dir = await Deno.makeTempDir();
    try {
      const file = join(dir, `script.${shell}`);
      await Deno.writeTextFile(file, r.stdout);
      const check = await new Deno.Command(shell, { args: ["-n", file], stderr: "piped" }).output();
      assertEquals(check.code, 0, new TextDecoder().decode(check.stderr));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("static completion loads no client-node, kcp-lite or YAML", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // One module importing every module static completion loads: the entry point, the
    // completion engine and its sources, and each command module of the tree.
    const roots = [
      MAIN_TS,
      join(REPO_ROOT, "lib/cli/completion.ts"),
      join(REPO_ROOT, "lib/cli/completion_sources.ts"),
    ];
    const loaders = COMMAND_TREE.flatMap((n) => n.children ?? [n]).map((n) => String(n.load));
    for (const text of loaders) {
      const m = /import\("\.\/([\w_]+\.ts)"\)/.exec(text);
      if (m) roots.push(join(REPO_ROOT, "commands", m[1]));
    }
    const entry = join(dir, "all.ts");
    await Deno.writeTextFile(entry, roots.map((r) => `import ${JSON.stringify(r)};`).join("\n"));
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", join(REPO_ROOT, "deno.json"), entry],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(info.code, 0, new TextDecoder().decode(info.stderr));
    type Dep = { code?: { specifier: string }; isDynamic?: boolean };
    const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
      modules: { specifier: string; dependencies?: Dep[] }[];
    };
    const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
    const seen = new Set<string>();
    const queue = [`file://${entry}`];
    while (queue.length > 0) {
      const s = queue.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const d of bySpecifier.get(s)?.dependencies ?? []) {
        if (d.code && !d.isDynamic) queue.push(d.code.specifier);
      }
    }
    assertTrue(seen.size > roots.length, "graph walked");
    const heavy = [...seen].filter((s) =>
      /client-node|\/lib\/kcplite\/|npm:\/?yaml|\/yaml@|commander/.test(s)
    );
    assertEquals(heavy, []);
    assertTrue(Object.keys(EXECUTABLES).includes("kubectl_complete-kubestellar"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
