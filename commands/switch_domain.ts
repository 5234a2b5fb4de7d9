/**
 * `switch-domain INPATH OUTPATH CONTEXT DOMAIN PORT CACERT_FILE`: writes an alternate
 * kubeconfig that reaches the kcp server of CONTEXT by DOMAIN:PORT and trusts the CA
 * in CACERT_FILE (see `lib/kubeconfig/switch_domain.ts`).
 *
 * Exit codes as upstream: 1 for a wrong argument count (with the usage line),
 * 10 when the context does not exist; 1 for every other problem.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UserError, withProg } from "../lib/cli/errors.ts";
import { out } from "../lib/cli/io.ts";

/** The upstream usage line. */
export function switchDomainUsage(prog: string): string {
  return `Usage: ${prog} inpath outpath context domain port cacert_file`;
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const usage = switchDomainUsage(ctx.prog);
  if (ctx.args.length === 1 && (ctx.args[0] === "-h" || ctx.args[0] === "--help")) {
    out(usage);
    return 0;
  }
  if (ctx.args.length !== 6) throw new UserError(usage, 1);
  const [inPath, outPath, context, domain, port, caFile] = ctx.args;
  try {
    // The kubeconfig code (YAML, node modules) loads only after the arguments are good.
    const { prepareSwitch, switchDomain } = await import("../lib/kubeconfig/switch_domain.ts");
    const target = await prepareSwitch({ outPath, domain, port, caFile });
    await switchDomain({ ...target, inPath, context });
  } catch (e) {
    throw withProg(ctx.prog, e);
  }
  return 0;
}
