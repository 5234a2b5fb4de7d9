/**
 * `kubestellar ui [--address 127.0.0.1] [--port 0] [--open] [--allclusters-context NAME]
 * [--espw-path PATH] (KUBECTL_FLAG)*`: serves the live, read-only web view of the fleet
 * over the user's own kubeconfig and prints one line,
 * `KubeStellar UI: http://ADDRESS:PORT/?token=TOKEN`, then runs until interrupted.
 *
 * - The selected context (kubectl's flags apply) reads the edge objects through the
 *   edge APIExport's view and each workload management workspace.
 * - `--allclusters-context` (default `system:admin` when the kubeconfig has it, as
 *   for the controllers; else the selected context) reads the mailbox copies across
 *   every workspace; without that right the copies' states come from the SyncerConfigs.
 * - Every client is read-only (`read_only_client.ts`).
 * - A non-loopback `--address` is served with a warning on stderr.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { err, out } from "../cli/io.ts";
import { connectionFlags } from "../cli/kubectl_flags.ts";
import type { ScanResult } from "../cli/plugin_args.ts";
import { restClientFor } from "../kube/rest_client.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { Logger } from "../log/logger.ts";
import { interrupted } from "../process/interrupted.ts";
import { openWorkspaceSession } from "../workspace/workspace_session.ts";
import { ChangeFeed } from "./change_feed.ts";
import { FleetModel } from "./fleet_model.ts";
import { openBrowser } from "./open_browser.ts";
import { readOnly } from "./read_only_client.ts";
import { UI_PAGE } from "./ui_assets.ts";
import { startUiServer } from "./ui_server.ts";
import { newToken } from "./ui_token.ts";
import { isLoopback, type UiSettings } from "./ui_args.ts";

function urlHost(address: string): string {
  return address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
}

/** Runs the UI until SIGINT or SIGTERM. */
export async function runUi(settings: UiSettings, scan: ScanResult): Promise<void> {
  const flags = connectionFlags(scan.passThrough);
  const session = await openWorkspaceSession(flags);
  const client = readOnly(session.client);
  const wanted = settings.allClustersContext ??
    (session.kubeconfig.find("contexts", "system:admin") ? "system:admin" : undefined);
  let allClusters = client;
  if (wanted !== undefined && wanted !== session.config.contextName) {
    const kc = await loadKubeconfig({ kubeconfig: flags.kubeconfig, context: wanted });
    kc.requireContext(wanted);
    allClusters = readOnly(restClientFor(await kc.restConfig()));
  }
  const feed = new ChangeFeed();
  const log = new Logger("kubestellar-ui");
  const model = new FleetModel({
    client,
    allClusters,
    espwPath: settings.espwPath,
    feed,
    log,
  });
  const token = newToken();
  let server;
  try {
    server = startUiServer({
      hostname: settings.address,
      port: settings.port,
      token,
      model,
      feed,
      page: UI_PAGE,
    });
  } catch (e) {
    session.close();
    if (allClusters !== client) allClusters.close();
    if (e instanceof Deno.errors.AddrInUse) {
      throw new UserError(`cannot listen on ${settings.address}:${settings.port}: address in use`);
    }
    if (e instanceof Error) {
      throw new UserError(`cannot listen on ${settings.address}:${settings.port}: ${e.message}`);
    }
    throw e;
  }
  const abort = new AbortController();
  const running = model.run(abort.signal);
  if (!isLoopback(settings.address)) {
    err(
      `Warning: --address ${settings.address} is not a loopback address: anyone who can reach it and has the URL can read the fleet`,
    );
  }
  const url = `http://${urlHost(settings.address)}:${server.port}/?token=${token}`;
  out(`KubeStellar UI: ${url}`);
  if (settings.open) {
    const why = await openBrowser(url);
    if (why) err(`could not open a browser (${why}): open the URL above yourself`);
  }
  await interrupted();
  abort.abort();
  feed.close();
  await server.shutdown();
  await running.catch(() => {});
  if (allClusters !== client) allClusters.close();
  session.close();
}
