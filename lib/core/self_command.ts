/**
 * How this toolkit runs itself as a child process (`kubestellar start` launching
 * `kubestellar controller <name>`): a compiled binary runs itself; under `deno run` the
 * same Deno runs the same main module with the project's `deno.json` when there is one.
 *
 * @example
 * ```ts
 * const self = await selfCommand();
 * new Deno.Command(self.command, { args: [...self.args, "controller", "mailbox-controller"] });
 * ```
 *
 * @module
 */
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/** A command line prefix that runs this toolkit's entry point. */
export interface SelfCommand {
  command: string;
  args: string[];
}

/** The prefix for the running process's toolkit. */
export async function selfCommand(): Promise<SelfCommand> {
  const exe = Deno.execPath();
  const name = basename(exe).replace(/\.exe$/, "");
  if (name !== "deno") return { command: exe, args: [] };
  const main = Deno.mainModule;
  const args = ["run", "-A", "--quiet"];
  if (main.startsWith("file:")) {
    const config = fileURLToPath(new URL("./deno.json", main));
    try {
      await Deno.stat(config);
      args.push("--config", config);
    } catch { /* no project config next to the entry point */ }
  }
  return { command: exe, args: [...args, main] };
}
