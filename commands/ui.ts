/**
 * `kubestellar ui [--address 127.0.0.1] [--port 0] [--open] [--allclusters-context NAME]
 * [--espw-path PATH] (KUBECTL_FLAG)*`: serves a live, read-only web view of the fleet —
 * clusters, placements and where each object is — over the user's kubeconfig, and
 * prints `KubeStellar UI: http://ADDRESS:PORT/?token=TOKEN`. See `docs/ui.md`.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { withProg } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";
import { scanPluginArgs } from "../lib/cli/plugin_args.ts";
import { UI_FLAGS, UI_USAGE, uiSettings } from "../lib/ui/ui_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const scan = scanPluginArgs(ctx.args, {
    prog: ctx.prog,
    usage: UI_USAGE,
    flags: UI_FLAGS,
    rejectContext: false,
    acceptTrace: false,
  });
  if (scan.help) {
    out(UI_USAGE);
    out("Serves a live, read-only web view of the fleet (clusters, placements, where each");
    out("object is) and prints its address with a fresh token. Binds loopback by default.");
    return 0;
  }
  // The server, the watch machinery and the page load only after the arguments are good.
  const settings = uiSettings(scan, ctx.prog);
  const { runUi } = await import("../lib/ui/ui_command.ts");
  try {
    await runUi(settings, scan);
    return 0;
  } catch (e) {
    throw withProg(ctx.prog, e);
  }
}
