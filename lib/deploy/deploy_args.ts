/**
 * The command line of `kubectl kubestellar deploy` (commands-spec §4.1): `--openshift
 * BOOL`, `--external-endpoint DOMAIN:PORT`, `-X`, `-h` and helm flags in any order.
 *
 * Differences from upstream, on purpose: the port must be a number from 1 to 65535 and
 * the domain must not be empty, a helm switch never swallows the next word, unknown
 * flags are an error, and the usage line names `--external-endpoint` correctly.
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";
import { scanPluginArgs } from "../cli/plugin_args.ts";
import { HELM_FLAGS } from "./helm_flags.ts";

/** What deploy was asked to do. */
export interface DeployRequest {
  /** `-h` was given. */
  help: boolean;
  /** `-X` was given: echo the helm command line. */
  trace: boolean;
  /** The hosting cluster is OpenShift. */
  openshift: boolean;
  /** External host name; "" on OpenShift when the router is to assign one. */
  host: string;
  /** External port. */
  port: number;
  /** Flags for helm, in order. */
  helmFlags: string[];
}

/** The usage line. */
export function deployUsage(): string {
  return "Usage: kubectl kubestellar deploy ($helm_flag | --external-endpoint $domain_name:$port | --openshift $boolean | -X)*";
}

const DOMAIN_RE =
  /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Parses and checks deploy's arguments; throws `UsageError` (exit 1) on bad input. */
export function parseDeployArgs(prog: string, args: string[]): DeployRequest {
  const usage = deployUsage();
  const scan = scanPluginArgs(args, {
    prog,
    usage,
    flags: [
      { names: ["--openshift"], key: "openshift", value: "--openshift value (true or false)" },
      {
        names: ["--external-endpoint"],
        key: "endpoint",
        value: "--external-endpoint value (domain:port)",
      },
    ],
    passThrough: HELM_FLAGS,
  });
  const fail = (msg: string): never => {
    throw new UsageError(`${prog}: ${msg}`, 1, [usage]);
  };
  const request: DeployRequest = {
    help: scan.help,
    trace: scan.trace,
    openshift: false,
    host: "",
    port: 443,
    helmFlags: scan.passThrough,
  };
  if (scan.help) return request;
  if (scan.positionals.length > 0) fail("no positional arguments are allowed");
  const openshift = scan.values.openshift ?? "false";
  if (openshift !== "true" && openshift !== "false") fail("--openshift should be true or false");
  request.openshift = openshift === "true";
  const endpoint = scan.values.endpoint ?? "";
  if (endpoint === "") {
    if (!request.openshift) fail("--external-endpoint cannot be omitted unless --openshift true");
    return request;
  }
  const parts = endpoint.split(":");
  if (parts.length > 2) fail("--external-endpoint value should only have one colon");
  if (parts.length < 2) fail("--external-endpoint value should have a colon in it");
  const [host, portText] = parts;
  if (!DOMAIN_RE.test(host)) {
    fail(`--external-endpoint needs a domain name before the colon, got ${JSON.stringify(host)}`);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    fail(
      `--external-endpoint needs a port from 1 to 65535 after the colon, got ${
        JSON.stringify(portText)
      }`,
    );
  }
  request.host = host;
  request.port = port;
  return request;
}
