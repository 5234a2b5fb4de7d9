/**
 * How this toolkit runs itself as a child process (`kubestellar start` launching
 * `kubestellar controller <name>`): a compiled binary runs itself; under `deno run` the
 * same Deno runs the same main module with the project's `deno.json` when there is one
 * (a bundle from a release archive runs without any config, as its launcher runs it).
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
  let config: string | undefined;
  if (main.startsWith("file:")) {
    const candidate = fileURLToPath(new URL("./deno.json", main));
    config = await Deno.stat(candidate).then(() => candidate, () => undefined);
  }
  // A bundle (release archive) has no project config: none found near the working
  // directory may apply either, as `bin/kubestellar` runs it.
  args.push(...(config ? ["--config", config] : ["--no-config", "--no-lock"]));
  return { command: exe, args: [...args, main] };
}
