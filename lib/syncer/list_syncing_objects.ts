/**
 * `kubestellar-list-syncing-objects` (commands-spec §11, controllers-spec §6.1): lists
 * or watches one kind of object across every mailbox workspace.
 *
 * Mailbox workspaces are the Workspaces whose name splits on `-mb-` into exactly two
 * parts, found with the "parent" connection in the parent workspace and in its child
 * `espw` (where this project's mailbox controller puts them). Objects are read with the
 * "all" connection at `/clusters/<logical cluster>` of each mailbox.
 *
 * Output: YAML documents (`---`, the object, an empty line) that kubectl reads back as
 * they are (strings YAML 1.1 would take for other types are quoted; `kubectl_yaml.ts`)
 * or, with `--json`, one compact JSON object per line; keys sorted (as Go prints maps). With `--watch` each
 * object gains `Action: add|update|delete` and the listing runs until stopped; without
 * it the command exits as soon as everything has been listed. A mailbox that does not
 * serve the kind (or fails otherwise) is reported once, and again only when that changes.
 *
 * @example
 * ```ts
 * await listSyncingObjects({ resource: { group: "apps", version: "v1", resource: "replicasets" },
 *   all, parent, json: true, watch: false, write: (t) => outRaw(t) });
 * ```
 *
 * @module
 */
import { kubectlYaml } from "../cli/kubectl_yaml.ts";
import { Informer } from "../controller/informer.ts";
import type { KubeObject, ListWatch } from "../controller/list_watch.ts";
import { MAILBOX_SEPARATOR } from "../edge/api_types.ts";
import { type RestClient, restClientFor } from "../kube/rest_client.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { isNotFound } from "../kube/rest_errors.ts";
import { parseClusterUrl } from "../workspace/workspace_path.ts";
import { restListWatch } from "../controller/rest_list_watch.ts";
import type { ResourceId } from "./sync_plan.ts";

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

/** Options of `listSyncingObjects`. */
export interface ListSyncingOptions {
  resource: ResourceId;
  /** Kind to fill in on list items. */
  kind?: string;
  /** Connection for reading the objects (any workspace of the server). */
  all: RestConfig;
  /** Connection to the parent workspace of the mailboxes. */
  parent: RestConfig;
  watch: boolean;
  json: boolean;
  /** Where output goes. */
  write(text: string): void;
  /** Where problems go (one line each). */
  warn?(line: string): void;
  /** Ends a watch. */
  signal?: AbortSignal;
}

/** A mailbox workspace. */
export interface MailboxRef {
  name: string;
  /** Its logical cluster. */
  cluster: string;
}

/** True when a workspace name is a mailbox name. */
export function isMailboxName(name: string): boolean {
  return name.split(MAILBOX_SEPARATOR).length === 2;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      out[k] = sortKeys((v as Record<string, unknown>)[k]);
    }
    return out;
  }
  return v;
}

/** Formats one object (with `action` when watching). */
export function formatObject(obj: KubeObject, json: boolean, action?: string): string {
  const data = sortKeys(action ? { Action: action, ...obj } : obj);
  if (json) return JSON.stringify(data) + "\n";
  return `---\n${kubectlYaml(data)}\n`;
}

function mailboxOf(ws: KubeObject): MailboxRef | undefined {
  const name = ws.metadata?.name ?? "";
  const cluster = (ws.spec as { cluster?: string } | undefined)?.cluster;
  if (!isMailboxName(name) || !cluster) return undefined;
  return { name, cluster };
}

/** The workspaces searched for mailboxes: the parent and its `espw` child. */
function parentPaths(parent: RestConfig): string[] {
  const path = parseClusterUrl(parent.server)?.path;
  if (!path) return [""];
  return [path, `${path}:espw`];
}

function clientAt(base: RestClient, path: string): RestClient {
  return path
    ? base.withCluster(path)
    : base.withCluster(parseClusterUrl(base.server)?.path ?? "root");
}

/** Every mailbox workspace now. */
export async function listMailboxes(parent: RestClient): Promise<MailboxRef[]> {
  const found: MailboxRef[] = [];
  for (const path of parentPaths(parent.config)) {
    const c = clientAt(parent, path);
    try {
      const list = await c.list<KubeObject>(WORKSPACES);
      for (const ws of list.items) {
        const mb = mailboxOf(ws);
        if (mb) found.push(mb);
      }
    } catch (e) {
      if (!isNotFound(e) || path === parentPaths(parent.config)[0]) throw e;
    } finally {
      c.close();
    }
  }
  return found;
}

function withType(o: ListSyncingOptions, obj: KubeObject): KubeObject {
  const { group, version } = o.resource;
  return {
    ...obj,
    apiVersion: obj.apiVersion ?? (group ? `${group}/${version}` : version),
    kind: obj.kind ?? o.kind,
  };
}

async function listOnce(o: ListSyncingOptions, parent: RestClient, all: RestClient) {
  for (const mb of await listMailboxes(parent)) {
    const c = all.withCluster(mb.cluster);
    try {
      const list = await c.list<KubeObject>(o.resource);
      for (const item of list.items) o.write(formatObject(withType(o, item), o.json));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      o.warn?.(`mailbox ${mb.name} does not serve ${o.resource.resource}`);
    } finally {
      c.close();
    }
  }
}

/**
 * Reports each mailbox's problem once: a line when its state (serves the kind, does not
 * serve it, another error) changes, never the same line again every retry.
 */
export class MailboxProblems {
  readonly #last = new Map<string, string>();
  readonly #warn: (line: string) => void;
  readonly #resource: string;

  constructor(resource: string, warn: (line: string) => void) {
    this.#resource = resource;
    this.#warn = warn;
  }

  /** The mailbox failed with `e`. */
  failed(mailbox: string, e: unknown): void {
    const line = isNotFound(e)
      ? `mailbox ${mailbox} does not serve ${this.#resource}`
      : `mailbox ${mailbox}: ${e instanceof Error ? e.message : e}`;
    if (this.#last.get(mailbox) === line) return;
    this.#last.set(mailbox, line);
    this.#warn(line);
  }

  /** Listing in the mailbox worked; says so once if a problem was reported before. */
  listed(mailbox: string): void {
    if (!this.#last.has(mailbox)) return;
    this.#last.delete(mailbox);
    this.#warn(`mailbox ${mailbox} serves ${this.#resource} now`);
  }

  /** The mailbox is gone: forget it. */
  forget(mailbox: string): void {
    this.#last.delete(mailbox);
  }
}

/** `lw` that tells `problems` when a list succeeds. */
function reportingListWatch(
  lw: ListWatch<KubeObject>,
  onListed: () => void,
): ListWatch<KubeObject> {
  return {
    list: async (signal) => {
      const result = await lw.list(signal);
      onListed();
      return result;
    },
    watch: (rv, signal) => lw.watch(rv, signal),
  };
}

async function watchAll(o: ListSyncingOptions, parent: RestClient, all: RestClient) {
  const stop = new AbortController();
  const outer = o.signal;
  const onAbort = () => stop.abort();
  outer?.addEventListener("abort", onAbort, { once: true });
  const running: Promise<void>[] = [];
  const problems = new MailboxProblems(o.resource.resource, (line) => o.warn?.(line));
  const perMailbox = new Map<string, { abort: AbortController; client: RestClient }>();
  const print = (action: string) => (obj: KubeObject) =>
    o.write(formatObject(withType(o, obj), o.json, action));
  const startMailbox = (mb: MailboxRef) => {
    if (perMailbox.has(mb.cluster) || stop.signal.aborted) return;
    const abort = new AbortController();
    stop.signal.addEventListener("abort", () => abort.abort(), { once: true });
    const client = all.withCluster(mb.cluster);
    perMailbox.set(mb.cluster, { abort, client });
    const lw = reportingListWatch(
      restListWatch(client, o.resource),
      () => problems.listed(mb.name),
    );
    const inf = new Informer<KubeObject>(lw, {
      onAdd: print("add"),
      onUpdate: (_old, obj) => print("update")(obj),
      onDelete: print("delete"),
    }, {
      backoffMaxMs: 5_000,
      onError: (e) => problems.failed(mb.name, e),
    });
    running.push(inf.run(abort.signal).finally(() => client.close()));
  };
  const stopMailbox = (mb: MailboxRef) => {
    perMailbox.get(mb.cluster)?.abort.abort();
    perMailbox.delete(mb.cluster);
    problems.forget(mb.name);
  };
  const paths = parentPaths(parent.config);
  for (const path of paths) {
    const c = clientAt(parent, path);
    const inf = new Informer<KubeObject>(restListWatch(c, WORKSPACES), {
      onAdd: (ws) => {
        const mb = mailboxOf(ws);
        if (mb) startMailbox(mb);
      },
      onUpdate: (_old, ws) => {
        const mb = mailboxOf(ws);
        if (mb) startMailbox(mb);
      },
      onDelete: (ws) => {
        const mb = mailboxOf(ws);
        if (mb) stopMailbox(mb);
      },
    }, {
      backoffMaxMs: 15_000,
      onError: (e) => {
        if (!isNotFound(e)) {
          o.warn?.(`workspaces in ${path}: ${e instanceof Error ? e.message : e}`);
        }
      },
    });
    running.push(inf.run(stop.signal).finally(() => c.close()));
  }
  await new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    stop.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await Promise.allSettled(running);
  outer?.removeEventListener("abort", onAbort);
}

/** Lists (or watches) the objects; see the module documentation. */
export async function listSyncingObjects(o: ListSyncingOptions): Promise<void> {
  const parent = restClientFor(o.parent);
  const all = restClientFor(o.all);
  try {
    if (o.watch) await watchAll(o, parent, all);
    else await listOnce(o, parent, all);
  } finally {
    parent.close();
    all.close();
  }
}
