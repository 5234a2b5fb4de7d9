/**
 * Median wall time of `--help` for every command and of `kubestellar-version`,
 * run as a user runs them (a new `deno run` process each time).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COMMAND_TREE, type CommandNode } from "../commands/tree.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms, timeRuns } from "./stats.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const MAIN = join(ROOT, "main.ts");

async function runOnce(as: string, args: string[]): Promise<void> {
  await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: { KUBESTELLAR_INVOKED_AS: as },
    stdout: "null",
    stderr: "null",
  }).output();
}

function leaves(nodes: CommandNode[], path: string[] = []): string[][] {
  return nodes.flatMap((n) =>
    n.children ? leaves(n.children, [...path, n.name]) : [[...path, n.name]]
  );
}

export const cliStartup: Benchmark = {
  name: "cli-startup",
  description:
    "median wall time of --help per command and of kubestellar-version (target <= 150 ms)",
  async run() {
    const runs = 7;
    const cases: [string, string, string[]][] = [
      ["kubestellar --help", "kubestellar", ["--help"]],
      ["kubestellar-version", "kubestellar-version", []],
      ["kubestellar-release", "kubestellar-release", []],
      ...leaves(COMMAND_TREE).map((p) =>
        [`kubestellar ${p.join(" ")} --help`, "kubestellar", [...p, "--help"]] as [
          string,
          string,
          string[],
        ]
      ),
    ];
    await runOnce("kubestellar", ["--help"]); // warm-up
    for (const [label, as, args] of cases) {
      const t = await timeRuns(runs, () => runOnce(as, args));
      console.log(`${label.padEnd(60)} ${ms(median(t))}`);
    }
  },
};
