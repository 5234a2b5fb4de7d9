/**
 * `kubestellar-ensure-kcp-server-creds DNS-NAME`: creates or re-uses the CA and the kcp
 * server credentials for one domain in `./pki` and prints their three absolute paths
 * on one line (for `eval pieces=($(…))`); progress goes to stderr.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { err, out } from "../lib/cli/io.ts";
import { kcpServerCredsUsage, parseKcpServerCredsArgs } from "../lib/pki/kcp_server_creds_args.ts";

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const req = parseKcpServerCredsArgs(ctx.prog, ctx.args);
  if (req.help) {
    out(kcpServerCredsUsage(ctx.prog));
    return 0;
  }
  const { ensureKcpServerCreds, formatCredsLine, logicalWorkingDirectory } = await import(
    "../lib/pki/kcp_server_creds.ts"
  );
  const creds = await ensureKcpServerCreds({
    domain: req.domain,
    cwd: logicalWorkingDirectory(),
    log: err,
    prog: ctx.prog,
  });
  out(formatCredsLine(creds));
  return 0;
}
