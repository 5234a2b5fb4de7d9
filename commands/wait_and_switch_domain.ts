/**
 * `wait-and-switch-domain [--timeout DURATION] INPATH OUTPATH CONTEXT DOMAIN PORT
 * CACERT_FILE`: waits until the server of CONTEXT in INPATH answers API requests
 * (with that context's credentials), then does what `switch-domain` does.
 *
 * Unlike upstream, the wait is bounded: `--timeout` (or `$KUBESTELLAR_WAIT_TIMEOUT`,
 * default 5m). Progress goes to stderr every few seconds. DOMAIN, PORT, the CA file
 * and the output directory are checked before waiting; INPATH may appear while
 * waiting (the server writes it when it starts), but an INPATH that exists and cannot
 * be read or used (bad YAML, no such context) ends the wait at once. On timeout: one
 * line, exit 1, no output file.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { UserError, withProg } from "../lib/cli/errors.ts";
import { err, out } from "../lib/cli/io.ts";
import { parseDuration } from "../lib/kubeconfig/duration.ts";

/** Environment variable holding the default timeout. */
export const WAIT_TIMEOUT_ENV = "KUBESTELLAR_WAIT_TIMEOUT";
const DEFAULT_TIMEOUT = "5m";

interface ParsedArgs {
  help: boolean;
  timeout?: string;
  positionals: string[];
}

function parseArgs(args: string[], usage: string): ParsedArgs {
  const parsed: ParsedArgs = { help: false, positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === "-h" || word === "--help") parsed.help = true;
    else if (word === "--timeout") {
      if (i + 1 >= args.length) throw new UserError("missing --timeout value", 1, [usage]);
      parsed.timeout = args[++i];
    } else if (word.startsWith("--timeout=")) parsed.timeout = word.slice("--timeout=".length);
    else if (word === "--") {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    } else if (word.startsWith("-") && word !== "-") {
      throw new UserError(`unknown flag ${JSON.stringify(word)}`, 1, [usage]);
    } else parsed.positionals.push(word);
  }
  return parsed;
}

function timeoutMs(flag: string | undefined): number {
  const [text, source] = flag !== undefined
    ? [flag, "--timeout"]
    : [Deno.env.get(WAIT_TIMEOUT_ENV) || DEFAULT_TIMEOUT, `$${WAIT_TIMEOUT_ENV}`];
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UserError(
      `invalid ${source} ${JSON.stringify(text)}: give a positive duration such as 90s or 5m`,
    );
  }
  return ms;
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const usage =
    `Usage: ${ctx.prog} [--timeout DURATION] inpath outpath context domain port cacert_file`;
  try {
    const args = parseArgs(ctx.args, usage);
    if (args.help) {
      out(usage);
      return 0;
    }
    if (args.positionals.length !== 6) throw new UserError(usage, 1);
    const [inPath, outPath, context, domain, port, caFile] = args.positionals;
    const limit = timeoutMs(args.timeout);
    // The kubeconfig and HTTP code (YAML, node modules) loads only after the arguments are good.
    const { inputConnection, prepareSwitch, switchDomain, UnusableInputError } = await import(
      "../lib/kubeconfig/switch_domain.ts"
    );
    const { ServerWaitTimeoutError, waitForServer } = await import(
      "../lib/kube/wait_for_server.ts"
    );
    const target = await prepareSwitch({ outPath, domain, port, caFile });
    try {
      await waitForServer({
        connect: () => inputConnection(inPath, context),
        isFatal: (e) => e instanceof UnusableInputError,
        target: `the server of context '${context}' in "${inPath}"`,
        timeoutMs: limit,
        progress: (line) => err(line),
      });
    } catch (e) {
      if (e instanceof ServerWaitTimeoutError) throw new UserError(e.message, 1);
      throw e;
    }
    await switchDomain({ ...target, inPath, context });
    return 0;
  } catch (e) {
    throw withProg(ctx.prog, e);
  }
}
