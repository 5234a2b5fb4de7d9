/**
 * Runs the toolkit's own commands as child processes, the way a user types them, and
 * shows the command line and its output under the current quickstart step.
 *
 * @module
 */
import { selfCommand } from "../core/self_command.ts";
import type { Show } from "./step_runner.ts";

/** The environment and directory every command runs with. */
export interface ToolkitEnvironment {
  cwd: string;
  env: Record<string, string>;
}

/** What a command printed. */
export interface ToolkitResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `kubestellar <args>` (shown as `shownAs`); prints each output line; throws with
 * the last error line when the command fails.
 */
export async function runToolkit(
  environment: ToolkitEnvironment,
  args: string[],
  show: Show,
  shownAs = `kubectl kubestellar ${args.join(" ")}`,
): Promise<ToolkitResult> {
  const self = await selfCommand();
  show(`$ ${shownAs}`);
  const child = new Deno.Command(self.command, {
    args: [...self.args, ...args],
    cwd: environment.cwd,
    env: { ...environment.env, KUBESTELLAR_INVOKED_AS: "kubestellar" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const r = await child.output();
  const stdout = new TextDecoder().decode(r.stdout);
  const stderr = new TextDecoder().decode(r.stderr);
  for (const line of (stdout + stderr).split("\n")) if (line.trim() !== "") show(`  ${line}`);
  if (!r.success) {
    const last = stderr.trim().split("\n").pop() || `exit code ${r.code}`;
    throw new Error(`'${shownAs}' failed: ${last}`);
  }
  return { stdout, stderr };
}

/** Starts `kubestellar <args>` in the background with output to `logFile`. */
export async function spawnToolkit(
  environment: ToolkitEnvironment,
  args: string[],
  logFile: string,
): Promise<Deno.ChildProcess> {
  const self = await selfCommand();
  const log = await Deno.open(logFile, { create: true, append: true });
  const child = new Deno.Command(self.command, {
    args: [...self.args, ...args],
    cwd: environment.cwd,
    env: { ...environment.env, KUBESTELLAR_INVOKED_AS: "kubestellar" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) await log.write(chunk);
  };
  Promise.all([pump(child.stdout), pump(child.stderr)]).finally(() => log.close()).catch(() => {});
  return child;
}
