/**
 * `kubectl kubestellar preview (KUBECTL_FLAG | --wmw WS_PATH | -o table|json|yaml | -X)*
 * [EDGEPLACEMENT…]`: prints, without writing anything, which objects each EdgePlacement
 * of a workload management workspace (`--wmw`, default the current workspace) would send
 * to which SyncTargets, and the selector that chose each.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UsageError, withProg } from "../lib/cli/errors.ts";
import { err, out, outRaw } from "../lib/cli/io.ts";
import { connectionFlags } from "../lib/cli/kubectl_flags.ts";
import { scanPluginArgs } from "../lib/cli/plugin_args.ts";
import type { PreviewFormat } from "../lib/controllers/placement/preview_render.ts";

const USAGE =
  "Usage: kubectl kubestellar preview ($kubectl_flag | --wmw ws_path | -o table|json|yaml | -X)* [edgeplacement_name ...]";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const scan = scanPluginArgs(ctx.args, {
    prog: ctx.prog,
    usage: USAGE,
    flags: [
      { names: ["--wmw"], key: "wmw", value: "workspace path" },
      { names: ["-o", "--output"], key: "output", value: "output format" },
    ],
    rejectContext: false,
  });
  if (scan.help) {
    out(USAGE);
    return 0;
  }
  const format = (scan.values.output ?? "table") as PreviewFormat;
  if (!["table", "json", "yaml"].includes(format)) {
    throw new UsageError(
      `${ctx.prog}: unknown output format "${format}"; use table, json or yaml`,
      1,
      [USAGE],
    );
  }
  // The session, the placement code and YAML load only after the arguments are good.
  const { openWorkspaceSession, requireCurrentWorkspace } = await import(
    "../lib/workspace/workspace_session.ts"
  );
  const { computePreview } = await import("../lib/controllers/placement/preview.ts");
  const { renderPreview } = await import("../lib/controllers/placement/preview_render.ts");
  const session = await openWorkspaceSession(connectionFlags(scan.passThrough));
  try {
    const named = scan.values.wmw;
    const wmw = named === undefined
      ? requireCurrentWorkspace(session).path
      : named === "root" || named.includes(":")
      ? named
      : `root:${named}`;
    if (scan.trace) err(`+ read EdgePlacements and workload objects in ${wmw}`);
    const client = session.client.withCluster(wmw);
    try {
      outRaw(renderPreview(await computePreview(client, wmw, scan.positionals), format));
    } finally {
      client.close();
    }
    return 0;
  } catch (e) {
    throw withProg(ctx.prog, e);
  } finally {
    session.close();
  }
}
