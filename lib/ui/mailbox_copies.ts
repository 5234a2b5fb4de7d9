/**
 * The mailbox copies the UI knows about: for every resource some placement selects,
 * one informer over all workspaces (`/clusters/*`, which needs the all-clusters
 * context; a resource an APIBinding provides is addressed with its export's identity,
 * `deployments:<hash>`) of the objects labelled `edge.kubestellar.io/projected=yes` — the copies
 * the placement translator writes into mailbox workspaces, with the status syncers
 * return. Informers start and stop as the set of selected resources changes, and the
 * time each copy last changed (as the UI saw it) is kept for the copy state.
 *
 * @example
 * ```ts
 * const copies = new MailboxCopies(allClusters.withCluster("*"), { onChange, onError });
 * copies.want(resources);
 * copies.lookup(info, mailboxClusterId, "ns", "name"); // { copy, seenAt } or { unreadable }
 * ```
 *
 * @module
 */
import { describeError } from "../cli/errors.ts";
import { Informer } from "../controller/informer.ts";
import { type KubeObject, objectKey } from "../controller/list_watch.ts";
import { restListWatch } from "../controller/rest_list_watch.ts";
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { RestClient } from "../kube/rest_client.ts";
import { ApiError } from "../kube/rest_errors.ts";
import { groupResource } from "../controllers/placement/discovery.ts";
import type { CopyResource } from "./wmw_selections.ts";

/** What the copies tell their owner. */
export interface MailboxCopiesEvents {
  onChange(): void;
  onError(source: string, e: unknown): void;
  /** `source` listed (again) after errors. */
  onListed?(source: string): void;
}

interface CopyWatch {
  info: CopyResource;
  informer: Informer;
  abort: AbortController;
  synced: boolean;
  refused?: string;
  seenAt: Map<string, number>;
}

/** The answer of `lookup`. */
export interface CopyLookup {
  copy?: KubeObject;
  seenAt?: number;
  /** Why copies of this resource cannot be known. */
  unreadable?: string;
}

/** Watches projected copies across every mailbox. */
export class MailboxCopies {
  readonly #all: RestClient;
  readonly #events: MailboxCopiesEvents;
  readonly #watches = new Map<string, CopyWatch>();
  readonly #backoffMaxMs: number;
  readonly #changedAt = new Map<string, number>();

  constructor(all: RestClient, events: MailboxCopiesEvents, backoffMaxMs = 5_000) {
    this.#all = all;
    this.#events = events;
    this.#backoffMaxMs = backoffMaxMs;
  }

  /** Resources watched now (`group/resource`). */
  get watched(): string[] {
    return [...this.#watches.keys()].sort();
  }

  /** Makes the informers match `resources`. */
  want(resources: Iterable<CopyResource>): void {
    const wanted = new Map<string, CopyResource>();
    for (const r of resources) wanted.set(groupResource(r.group, r.resource), r);
    for (const [gr, w] of this.#watches) {
      const want = wanted.get(gr);
      if (!want || want.version !== w.info.version || want.identity !== w.info.identity) {
        w.abort.abort();
        this.#watches.delete(gr);
      }
    }
    for (const [gr, info] of wanted) if (!this.#watches.has(gr)) this.#start(gr, info);
  }

  #start(gr: string, info: CopyResource): void {
    const seenAt = new Map<string, number>();
    const source = `mailbox copies of ${info.group || "core"}/${info.resource}`;
    const changed = (o: KubeObject, gone = false) => {
      const key = objectKey(o);
      // What the first list brings changed at some time before: its creation is the
      // best known bound (an update since then shows once the next change comes).
      const created = Date.parse(String(o.metadata?.creationTimestamp ?? ""));
      const now = watch.synced || Number.isNaN(created) ? Date.now() : created;
      if (gone) seenAt.delete(key);
      else seenAt.set(key, now);
      this.#changedAt.set(key.slice(0, key.indexOf("|")), now);
      if (watch.synced) this.#events.onChange();
    };
    const informer = new Informer(
      restListWatch(this.#all, {
        group: info.group,
        version: info.version,
        // A bound resource is read across workspaces with its export's identity.
        resource: info.identity ? `${info.resource}:${info.identity}` : info.resource,
      }, { labelSelector: `${EDGE_KEYS.projected}=yes` }),
      {
        onAdd: (o) => changed(o),
        onUpdate: (_o, n) => changed(n),
        onDelete: (o) => changed(o, true),
      },
      {
        backoffMaxMs: this.#backoffMaxMs,
        onError: (e) => {
          const refused = e instanceof ApiError && (e.code === 403 || e.code === 404);
          const before = watch.refused;
          watch.refused = refused ? describeError(e) : undefined;
          if (before !== watch.refused) this.#events.onChange();
          this.#events.onError(source, e);
        },
      },
    );
    const abort = new AbortController();
    const watch: CopyWatch = { info, informer, abort, synced: false, seenAt };
    this.#watches.set(gr, watch);
    informer.run(abort.signal).catch(() => {});
    informer.synced.then(() => {
      if (abort.signal.aborted) return;
      watch.synced = true;
      watch.refused = undefined;
      this.#events.onListed?.(source);
      this.#events.onChange();
    });
  }

  /** The copy of one object in the mailbox whose logical cluster is `mailboxCluster`. */
  lookup(
    info: { group: string; resource: string },
    mailboxCluster: string,
    namespace: string,
    name: string,
  ): CopyLookup {
    const w = this.#watches.get(groupResource(info.group, info.resource));
    if (!w) return { unreadable: "copies of this resource are not watched" };
    if (w.refused) return { unreadable: `cannot list copies across mailboxes: ${w.refused}` };
    if (!w.synced) return { unreadable: "mailbox copies are being listed" };
    const key = `${mailboxCluster}|${namespace ? `${namespace}/${name}` : name}`;
    const copy = w.informer.get(key);
    return copy ? { copy, seenAt: w.seenAt.get(key) } : {};
  }

  /**
   * True when a copy in the mailbox with logical cluster `mailboxCluster` changed after
   * `time` (RFC 3339; absent: ever): a heartbeat newer than that changes copy states.
   */
  changedSince(mailboxCluster: string, time: string | undefined): boolean {
    const at = this.#changedAt.get(mailboxCluster);
    if (at === undefined) return false;
    const since = time ? Date.parse(time) : NaN;
    return Number.isNaN(since) || at + 1000 >= since;
  }

  /** Stops every informer. */
  stop(): void {
    for (const w of this.#watches.values()) w.abort.abort();
    this.#watches.clear();
  }
}
