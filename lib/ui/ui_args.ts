/**
 * The command line of `kubestellar ui`: its usage, its own flags (`--address`,
 * `--port`, `--open`, `--allclusters-context`, `--espw-path`; kubectl's connection flags
 * pass through the scanner), and which addresses count as loopback. Light on purpose:
 * `--help` and usage errors load nothing else.
 *
 * @example
 * ```ts
 * const scan = scanPluginArgs(args, { prog, usage: UI_USAGE, flags: UI_FLAGS, rejectContext: false });
 * const settings = uiSettings(scan, prog); // { address: "127.0.0.1", port: 0, open: false, … }
 * ```
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import type { OwnFlag, ScanResult } from "../cli/plugin_args.ts";

/** The usage line. */
export const UI_USAGE =
  "Usage: kubestellar ui [--address 127.0.0.1] [--port 0] [--open] [--allclusters-context name] [--espw-path ws_path] ($kubectl_flag)*";

/** The command's own flags. */
export const UI_FLAGS: OwnFlag[] = [
  { names: ["--address"], key: "address", value: "address" },
  { names: ["--port"], key: "port", value: "port" },
  { names: ["--open"], key: "open" },
  { names: ["--allclusters-context"], key: "allClustersContext", value: "context name" },
  { names: ["--espw-path"], key: "espwPath", value: "workspace path" },
];

/** True for addresses only this machine can reach. */
export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return a === "localhost" || a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The settings of one run. */
export interface UiSettings {
  address: string;
  port: number;
  open: boolean;
  allClustersContext?: string;
  espwPath: string;
}

/** Reads the command's own flags out of a scan. */
export function uiSettings(scan: ScanResult, prog: string): UiSettings {
  const address = scan.values.address ?? "127.0.0.1";
  const portText = scan.values.port ?? "0";
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) {
    throw new UsageError(`${prog}: --port must be a port number from 0 to 65535`, 1, [UI_USAGE]);
  }
  if (address === "") throw new UsageError(`${prog}: --address must not be empty`, 1, [UI_USAGE]);
  if (scan.positionals.length > 0) {
    throw new UsageError(`${prog}: unexpected argument "${scan.positionals[0]}"`, 1, [UI_USAGE]);
  }
  return {
    address,
    port,
    open: scan.switches.has("open"),
    allClustersContext: scan.values.allClustersContext,
    espwPath: scan.values.espwPath ?? "root:espw",
  };
}
