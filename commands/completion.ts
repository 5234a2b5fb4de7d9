/**
 * `kubestellar completion bash|zsh|fish`: prints the shell completion script for every
 * command name this toolkit installs (see `lib/cli/completion_scripts.ts`; the answers
 * come from `kubestellar __complete`, `lib/cli/completion.ts`). `kubectl kubestellar
 * <TAB>` needs no script of ours: kubectl's own completion runs `kubectl_complete-kubestellar`.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UsageError } from "../lib/cli/errors.ts";
import { outRaw } from "../lib/cli/io.ts";
import { completionScript, type Shell, SHELLS } from "../lib/cli/completion_scripts.ts";
import { EXECUTABLES } from "./tree.ts";

const USAGE = [
  `Usage: kubestellar completion ${SHELLS.join("|")}`,
  "Prints the completion script for the shell. For example:",
  "  source <(kubestellar completion bash)",
  "kubectl kubestellar <TAB> works through kubectl's own completion (kubectl >= 1.26).",
].join("\n");

/** The command names a script registers: every installed name but kubectl's completers. */
export function completedNames(): string[] {
  return Object.keys(EXECUTABLES).filter((n) => !n.startsWith("kubectl_complete-"));
}

/** Runs the command. */
export function main(ctx: CommandContext): Promise<number> {
  const [shell, ...rest] = ctx.args;
  if (shell === "-h" || shell === "--help") {
    outRaw(USAGE + "\n");
    return Promise.resolve(0);
  }
  if (!SHELLS.includes(shell as Shell) || rest.length > 0) {
    const why = shell === undefined ? "name a shell" : `unsupported shell "${shell}"`;
    throw new UsageError(`${ctx.prog}: ${why}`, 2, [USAGE]);
  }
  outRaw(completionScript(shell as Shell, completedNames()));
  return Promise.resolve(0);
}
