/**
 * Runs the toolkit as a user would: a separate process, as a named executable.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The entry point. */
export const MAIN_TS = join(REPO_ROOT, "main.ts");

/** What a finished command left behind. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for `runCli`. */
export interface CliOptions {
  /** Executable name to act as (default `kubestellar`). */
  as?: string;
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
}

/** Runs `main.ts` with `args` as the executable `options.as`. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN_TS, ...args],
    cwd: options.cwd,
    env: { KUBESTELLAR_INVOKED_AS: options.as ?? "kubestellar", NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const r = await child.output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}
