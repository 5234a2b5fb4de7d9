/**
 * client-node loads only when a kubeconfig needs what it provides: nothing reaches it
 * through static imports from the entry point or the client, and the CLI prints no
 * Node deprecation warning (client-node's `punycode` one) on a path that loads it.
 */
import { join } from "node:path";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { MAIN_TS, REPO_ROOT, runCli } from "../../support/cli.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The modules reachable from `root` through static imports only. */
async function staticGraph(root: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    let s = stack.pop()!;
    s = info.redirects[s] ?? s;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpecifier.get(s)?.dependencies ?? []) {
      if (!d.isDynamic && d.code?.specifier) stack.push(d.code.specifier);
    }
  }
  return [...seen];
}

Deno.test("client-node is never imported statically by the entry point or the client", async () => {
  for (
    const root of [
      MAIN_TS,
      join(REPO_ROOT, "lib/kube/rest_client.ts"),
      join(REPO_ROOT, "lib/kubeconfig/kubeconfig.ts"),
    ]
  ) {
    const graph = await staticGraph(root);
    assertTrue(graph.length > 1, `deno info listed ${root}`);
    assertEquals(graph.filter((s) => s.includes("client-node")), [], root);
  }
});

Deno.test("--help and usage errors print no Node warning", async () => {
  for (const args of [["--help"], ["ensure", "location", "--help"], ["ensure", "location"]]) {
    const r = await runCli(args, { as: "kubectl-kubestellar" });
    assertEquals(/DeprecationWarning|\[DEP\d+\]/.test(r.stderr), false, r.stderr);
  }
});
