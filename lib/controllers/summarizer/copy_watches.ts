/**
 * The mailbox copies the status summarizer reads: one informer per (mailbox workspace,
 * resource), limited to projected objects (`edge.kubestellar.io/projected=yes`), shared
 * by every workload management workspace that needs it (reference-counted) and stopped
 * when none does. Each add, update or delete is handed on with the mailbox and the
 * resource it came from, so the summarizer's work per event is one copy.
 *
 * @example
 * ```ts
 * const watches = new CopyWatches(client, "root:espw", onCopy, log);
 * watches.acquire("wmw-a", mailbox, { group: "apps", version: "v1", resource: "deployments" });
 * ```
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

/** A resource at its version. */
export interface VersionedResource {
  group: string;
  version: string;
  resource: string;
}

/** Told about every copy event: the copy, or undefined when it was deleted. */
export type CopyHandler = (
  mailbox: string,
  gr: string,
  key: string,
  copy: KubeObject | undefined,
  owners: ReadonlySet<string>,
) => void;

interface Watch {
  informer: Informer;
  abort: AbortController;
  owners: Set<string>;
  version: string;
}

/** `group/resource`. */
export function grOf(r: { group: string; resource: string }): string {
  return `${r.group}/${r.resource}`;
}

const copyKeyOf = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata?.name}`;

/** Informers on mailbox copies, by (mailbox, resource). */
export class CopyWatches {
  readonly #base: RestClient;
  readonly #espw: string;
  readonly #onCopy: CopyHandler;
  readonly #log: Logger;
  readonly #watches = new Map<string, Watch>();

  constructor(base: RestClient, espwPath: string, onCopy: CopyHandler, log: Logger) {
    this.#base = base;
    this.#espw = espwPath;
    this.#onCopy = onCopy;
    this.#log = log;
  }

  /** How many informers run. */
  get size(): number {
    return this.#watches.size;
  }

  /** Makes `owner` a user of the copies of `r` in `mailbox`; true when newly started. */
  acquire(owner: string, mailbox: string, r: VersionedResource): boolean {
    const id = `${mailbox}|${grOf(r)}`;
    let w = this.#watches.get(id);
    if (w && w.version !== r.version) {
      this.#stop(id, w);
      w = undefined;
    }
    if (w) {
      w.owners.add(owner);
      return false;
    }
    const client = this.#base.withCluster(`${this.#espw}:${mailbox}`);
    const abort = new AbortController();
    const gr = grOf(r);
    const owners = new Set([owner]);
    const tell = (o: KubeObject, gone: boolean) =>
      this.#onCopy(mailbox, gr, copyKeyOf(o), gone ? undefined : o, owners);
    const informer = new Informer(
      restListWatch(client, r, { labelSelector: `${EDGE_KEYS.projected}=yes` }),
      {
        onAdd: (o) => tell(o, false),
        onUpdate: (_old, o) => tell(o, false),
        onDelete: (o) => tell(o, true),
      },
      {
        keyOf: copyKeyOf,
        backoffMaxMs: 10_000,
        onError: (e) =>
          this.#log.debug("mailbox watch failed; retrying", { mailbox, gr, error: e }),
      },
    );
    w = { informer, abort, owners, version: r.version };
    this.#watches.set(id, w);
    informer.run(abort.signal).catch(() => {}).finally(() => client.close());
    return true;
  }

  /** Ends `owner`'s use; the informer stops when it has no user left. */
  release(owner: string, mailbox: string, gr: string): void {
    const id = `${mailbox}|${gr}`;
    const w = this.#watches.get(id);
    if (!w) return;
    w.owners.delete(owner);
    if (w.owners.size === 0) this.#stop(id, w);
  }

  #stop(id: string, w: Watch): void {
    w.abort.abort();
    this.#watches.delete(id);
  }

  /**
   * Makes `owner`'s watches the (mailbox, resource) pairs of `mailboxes` × `resources`,
   * releasing the others; `watched` is the owner's record of them (updated).
   */
  reconcileOwner(
    owner: string,
    mailboxes: Iterable<string>,
    resources: VersionedResource[],
    watched: Set<string>,
  ): void {
    const desired = new Map<string, { mb: string; r: VersionedResource }>();
    for (const mb of mailboxes) {
      for (const r of resources) desired.set(`${mb}|${grOf(r)}`, { mb, r });
    }
    for (const id of [...watched]) {
      if (desired.has(id)) continue;
      const bar = id.indexOf("|");
      this.release(owner, id.slice(0, bar), id.slice(bar + 1));
      watched.delete(id);
    }
    for (const [id, { mb, r }] of desired) {
      this.acquire(owner, mb, r);
      watched.add(id);
    }
  }

  /** The cached copies of `gr` in `mailbox` (empty until listed). */
  copies(mailbox: string, gr: string): KubeObject[] {
    return this.#watches.get(`${mailbox}|${gr}`)?.informer.list() ?? [];
  }

  /** Stops every informer. */
  stop(): void {
    for (const [id, w] of this.#watches) this.#stop(id, w);
  }
}
