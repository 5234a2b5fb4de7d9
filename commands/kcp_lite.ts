/**
 * `kubestellar kcp-lite start [--root-directory DIR] [--secure-port N] [--bind-address A]
 * [--tls-sni-cert-key CERT,KEY[:NAME,…]]… [--kube-mode]`: runs kcp-lite in the foreground,
 * prints its URL and admin kubeconfig path, and stops cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import type { CommandContext } from "../lib/cli/command.ts";
import { describeError, UsageError, UserError } from "../lib/cli/errors.ts";
import { err, out } from "../lib/cli/io.ts";
import type { KcpLiteOptions, SniCertKey } from "../lib/kcplite/kcp_lite_server.ts";

function usage(prog: string): string {
  return [
    `Usage: ${prog} start [--root-directory DIR] [--secure-port N] [--bind-address ADDR]`,
    `         [--tls-sni-cert-key CERT,KEY[:NAME,...]]... [--kube-mode]`,
    "",
    "Runs kcp-lite, the embedded kcp-compatible API server, until interrupted.",
    "  --root-directory DIR   state directory (default .kcp)",
    "  --secure-port N        HTTPS port (default 6443; 0 picks a free port)",
    "  --bind-address ADDR    address to listen on (default 127.0.0.1)",
    "  --tls-sni-cert-key     extra serving certificate chosen by SNI (repeatable)",
    "  --kube-mode            serve a plain Kubernetes API (one cluster) instead of kcp",
  ].join("\n");
}

/** Parses `CERT,KEY` or `CERT,KEY:NAME1,NAME2`. */
export function parseSniCertKey(value: string): SniCertKey {
  const colon = value.indexOf(":");
  const files = colon < 0 ? value : value.slice(0, colon);
  const names = colon < 0 ? [] : value.slice(colon + 1).split(",").filter((n) => n !== "");
  const [certFile, keyFile, ...rest] = files.split(",");
  if (!certFile || !keyFile || rest.length > 0) {
    throw new UsageError(
      `--tls-sni-cert-key needs CERTFILE,KEYFILE[:NAME,...], got "${value}"`,
    );
  }
  return { certFile, keyFile, names };
}

/** Parses the arguments after `start`. */
export function parseStartArgs(args: string[]): KcpLiteOptions {
  const opts: KcpLiteOptions = {
    rootDirectory: ".kcp",
    securePort: 6443,
    bindAddress: "127.0.0.1",
    sniCertKeys: [],
    mode: "kcp",
  };
  const valued = ["--root-directory", "--secure-port", "--bind-address", "--tls-sni-cert-key"];
  for (let i = 0; i < args.length; i++) {
    let flag = args[i];
    let value: string | undefined;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag === "--kube-mode") {
      opts.mode = "kube";
      continue;
    }
    if (!valued.includes(flag)) throw new UsageError(`unknown flag: ${args[i]}`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
    }
    switch (flag) {
      case "--root-directory":
        opts.rootDirectory = value;
        break;
      case "--secure-port": {
        const port = Number(value);
        if (!/^\d+$/.test(value) || port > 65535) {
          throw new UsageError(`--secure-port needs a port number 0-65535, got "${value}"`);
        }
        opts.securePort = port;
        break;
      }
      case "--bind-address":
        opts.bindAddress = value;
        break;
      case "--tls-sni-cert-key":
        opts.sniCertKeys!.push(parseSniCertKey(value));
        break;
    }
  }
  return opts;
}

/** Runs the command. */
export async function main(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  if (sub === undefined || sub === "-h" || sub === "--help" || sub === "help") {
    out(usage(ctx.prog));
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "start") {
    throw new UsageError(`unknown subcommand "${sub}"; try: ${ctx.prog} start --help`);
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    out(usage(ctx.prog));
    return 0;
  }
  const options = parseStartArgs(rest);
  const { startKcpLite } = await import("../lib/kcplite/kcp_lite_server.ts");
  let server;
  try {
    server = await startKcpLite(options);
  } catch (e) {
    throw new UserError(`kcp-lite could not start: ${describeError(e)}`);
  }
  // Listening before the lines that say it serves: a SIGTERM sent as soon as they are read
  // must stop it cleanly, not kill it (exit 143).
  const done = Promise.withResolvers<string>();
  const onInt = () => done.resolve("SIGINT");
  const onTerm = () => done.resolve("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  out(`kcp-lite (${server.mode} mode) serving at ${server.url}`);
  out(`admin kubeconfig: ${server.adminKubeconfigPath}`);
  const signal = await done.promise;
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
  err(`${signal} received, stopping kcp-lite`);
  await server.stop();
  return 0;
}
