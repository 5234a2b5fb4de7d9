/**
 * The command line of `kubestellar-list-syncing-objects` (commands-spec §11): the
 * object selection (`--api-group`, `--api-version` default `v1`, `--api-kind`
 * (required), `--api-resource` default lowercase(kind)+`s`), `--watch`, `--json`, and
 * the two client configurations `--all-{kubeconfig,context,user,cluster}` (default
 * context `system:admin`) and `--parent-{kubeconfig,context,user,cluster}` (default
 * context `root`); unset kubeconfig paths follow the usual loading rules. `-v N` is
 * accepted. A watch runs until SIGINT/SIGTERM.
 *
 * @module
 */
import { describeError, UserError } from "../cli/errors.ts";
import { err, out, outRaw } from "../cli/io.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "../kubeconfig/kubeconfig.ts";
import { type ClientFlags, LIST_SYNCING_USAGE, parseListSyncingArgs } from "./list_syncing_args.ts";
import { listSyncingObjects } from "./list_syncing_objects.ts";
import { DENATURED_GROUP, DENATURED_VERSION } from "../denature/denatured_kinds.ts";
import { isCenterOnly } from "../placement/resource_modes.ts";

export {
  type ClientFlags,
  LIST_SYNCING_USAGE,
  type ListSyncingArgs,
  parseListSyncingArgs,
} from "./list_syncing_args.ts";

/** The connection of one client configuration. */
export async function clientConfig(flags: ClientFlags): Promise<RestConfig> {
  const kc = await loadKubeconfig({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    user: flags.user,
    cluster: flags.cluster,
  });
  return await kc.restConfig();
}

/** Runs the command. */
export async function runListSyncingObjects(prog: string, rawArgs: string[]): Promise<number> {
  const args = parseListSyncingArgs(prog, rawArgs);
  if (args.help) {
    for (const l of LIST_SYNCING_USAGE) out(l);
    return 0;
  }
  let all: RestConfig;
  let parent: RestConfig;
  try {
    all = await clientConfig(args.all);
    parent = await clientConfig(args.parent);
  } catch (e) {
    throw new UserError(`${prog}: ${describeError(e)}`);
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (args.watch) {
    Deno.addSignalListener("SIGINT", onSignal);
    Deno.addSignalListener("SIGTERM", onSignal);
  }
  // Mailboxes hold the workload's RBAC, webhooks and the like denatured: asked for the
  // natured kind, list its denatured copies (docs/denaturing.md).
  let resource = args.resource;
  if (isCenterOnly(resource.group, resource.resource)) {
    resource = { group: DENATURED_GROUP, version: DENATURED_VERSION, resource: resource.resource };
    err(
      `${prog}: mailboxes hold ${args.resource.resource} denatured: listing ` +
        `${resource.resource}.${DENATURED_GROUP}`,
    );
  }
  try {
    await listSyncingObjects({
      resource,
      kind: args.kind || undefined,
      all,
      parent,
      watch: args.watch,
      json: args.json,
      write: outRaw,
      warn: (l) => err(`${prog}: ${l}`),
      signal: stop.signal,
    });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${prog}: ${describeError(e)}`);
  } finally {
    if (args.watch) {
      Deno.removeSignalListener("SIGINT", onSignal);
      Deno.removeSignalListener("SIGTERM", onSignal);
    }
  }
  return 0;
}
