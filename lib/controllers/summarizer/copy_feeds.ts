/**
 * The mailbox copies the status summarizer reads, as feeds of events, and snapshots of
 * them when a summary needs copies it has not been told about.
 *
 * Feeds. One informer per summarized resource over every mailbox (`/clusters/*`, the
 * projected copies only: `edge.kubestellar.io/projected=yes`), shared by every workload
 * management workspace that needs it (reference-counted), so the number of watches does
 * not grow with the number of mailboxes. Only a CRD-defined resource, which kcp serves
 * across workspaces as metadata only, is watched mailbox by mailbox (see
 * `copy_source.ts`). A feed's cache keeps each copy's key and resourceVersion, never the
 * copy: each event is handed on once, with its mailbox (found from the copy's logical
 * cluster), and the summarizer keeps only what the copy contributes.
 *
 * A feed's first list reports every copy at once: the events wait in one backlog, in
 * order, and are handed on in slices of a few milliseconds with a turn of the event loop
 * between (the controllers share one process); a lone event is handed on at once.
 *
 * Snapshots. A mailbox that joins a placement, a new summarizer on a resource already
 * watched, or a changed `cluster` binding needs copies the feed reported before: they
 * are listed again — mailbox by mailbox for a few mailboxes, else one wildcard list,
 * page by page. Events received before the list is sent are handed on first, so the
 * list is as new as they are or newer. A copy the feed reports while the list runs is
 * left to the feed ("touched"): the feed reports every change in order and so ends on
 * the newest state, which a list answer read earlier may not hold.
 *
 * @example
 * ```ts
 * const feeds = new CopyFeeds({ client, espwPath, mailboxOf, onCopy, onListed, ... });
 * feeds.reconcileOwner("wmw-a", mailboxes, sources, held);
 * const touched = await feeds.snapshot(source, new Set([mb]), (mb, key, copy) => {});
 * ```
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import { yieldToEventLoop } from "../../controller/yield.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";
import { isForbidden, isNotFound } from "../../kube/rest_errors.ts";
import type { Logger } from "../../log/logger.ts";
import {
  copyCachedForm,
  copyKeyOf,
  type CopySource,
  grOf,
  sourceId,
  sourceRef,
} from "./copy_source.ts";

/** Snapshots of up to this many mailboxes list each mailbox; more take one wildcard list. */
export const PER_MAILBOX_LISTS = 16;
const PAGE = 500;
/** Longest run of backlog work between two turns of the event loop. */
const SLICE_MS = 5;
const PROJECTED = `${EDGE_KEYS.projected}=yes`;

/** Told about every copy event: the copy, or undefined when it was deleted. */
export type CopyHandler = (
  mailbox: string,
  source: CopySource,
  key: string,
  copy: KubeObject | undefined,
) => void;

/** What the feeds need and tell. */
export interface CopyFeedsOptions {
  /** A client with wildcard and per-workspace access (e.g. `system:admin`). */
  client: RestClient;
  espwPath: string;
  /** The mailbox whose workspace is logical cluster `id` (undefined: not known). */
  mailboxOf(id: string): string | undefined;
  onCopy: CopyHandler;
  /** A feed listed its copies for the first time (each was reported). */
  onListed(source: CopySource): void;
  /** A wildcard list of `source` was answered 404: it is not served across workspaces. */
  onWildcardRefused(source: CopySource): void;
  log: Logger;
  /** Snapshots of more mailboxes than this take one wildcard list (default 16). */
  perMailboxListsUpTo?: number;
}

interface Feed {
  abort: AbortController;
  owners: Set<string>;
  listed: boolean;
  error?: string;
}

interface Window {
  id: string;
  mailboxes: ReadonlySet<string>;
  touched: Set<string>;
}

const noop = () => {};
const clusterOf = (o: KubeObject) => o.metadata?.annotations?.["kcp.io/cluster"] ?? "";

/** Copy feeds by resource (by mailbox and resource for per-mailbox sources). */
export class CopyFeeds {
  readonly #o: CopyFeedsOptions;
  readonly #feeds = new Map<string, Feed>();
  readonly #windows = new Set<Window>();
  #backlog: (() => void)[] = [];
  #next = 0;
  #draining = false;
  readonly #idle: (() => void)[] = [];
  /** List requests made for snapshots (tests count work with it). */
  snapshots = 0;

  constructor(options: CopyFeedsOptions) {
    this.#o = options;
  }

  /** How many feeds (informers, each one watch) run. */
  get size(): number {
    return this.#feeds.size;
  }

  #feedId(s: CopySource, mailbox?: string): string {
    return s.perMailbox ? `${mailbox}|${sourceId(s)}` : sourceId(s);
  }

  /**
   * Makes `owner` use the feeds of `sources` (per-mailbox ones for each of `mailboxes`),
   * releasing the others; `held` is the owner's record of its feeds (updated).
   */
  reconcileOwner(
    owner: string,
    mailboxes: Iterable<string>,
    sources: CopySource[],
    held: Set<string>,
  ): void {
    const desired = new Map<string, { s: CopySource; mailbox?: string }>();
    const mbs = [...mailboxes];
    for (const s of sources) {
      if (!s.perMailbox) desired.set(this.#feedId(s), { s });
      else for (const mailbox of mbs) desired.set(this.#feedId(s, mailbox), { s, mailbox });
    }
    for (const id of [...held]) {
      if (desired.has(id)) continue;
      const f = this.#feeds.get(id);
      f?.owners.delete(owner);
      if (f?.owners.size === 0) this.#stop(id, f);
      held.delete(id);
    }
    for (const [id, { s, mailbox }] of desired) {
      (this.#feeds.get(id) ?? this.#start(id, s, mailbox)).owners.add(owner);
      held.add(id);
    }
  }

  /** True once the feed carrying `mailbox`'s copies of `s` has reported its first list. */
  listed(s: CopySource, mailbox: string): boolean {
    return this.#feeds.get(this.#feedId(s, mailbox))?.listed ?? false;
  }

  /** Why the wildcard feed of `s` has not listed yet (undefined: listed, or no error). */
  problem(s: CopySource): string | undefined {
    return s.perMailbox ? undefined : this.#feeds.get(this.#feedId(s))?.error;
  }

  #start(id: string, s: CopySource, mailbox?: string): Feed {
    const client = this.#o.client.withCluster(
      mailbox ? `${this.#o.espwPath}:${mailbox}` : "*",
    );
    const feed: Feed = { abort: new AbortController(), owners: new Set(), listed: false };
    const gr = grOf(s);
    const sid = sourceId(s);
    const tell = (o: KubeObject, gone: boolean) => {
      const key = copyKeyOf(o);
      const now = mailbox ?? this.#o.mailboxOf(clusterOf(o));
      for (const w of this.#windows) {
        if (now && w.id === sid && w.mailboxes.has(now)) w.touched.add(`${now}|${gr}|${key}`);
      }
      // Placed when handed on: a mailbox learned meanwhile gets what its first list brings.
      this.#later(() => {
        const mb = mailbox ?? this.#o.mailboxOf(clusterOf(o));
        if (mb) this.#o.onCopy(mb, s, key, gone ? undefined : o);
      });
    };
    let refused = false;
    const informer = new Informer(
      restListWatch(client, sourceRef(s, !!mailbox), { labelSelector: PROJECTED }),
      {
        onAdd: (o) => tell(o, false),
        onUpdate: (_old, o) => tell(o, false),
        onDelete: (o) => tell(o, true),
      },
      {
        cachedForm: copyCachedForm,
        backoffMaxMs: 10_000,
        onError: (e) => {
          feed.error = e instanceof Error ? e.message : String(e);
          if (!mailbox && !feed.listed && !refused && isNotFound(e)) {
            refused = true;
            this.#o.onWildcardRefused(s);
          }
          this.#o.log.debug("copy watch failed; retrying", { resource: sid, mailbox, error: e });
        },
      },
    );
    informer.synced.then(() =>
      this.#later(() => {
        if (feed.abort.signal.aborted) return;
        feed.listed = true;
        feed.error = undefined;
        this.#o.onListed(s);
      })
    );
    informer.run(feed.abort.signal).catch(() => {}).finally(() => client.close());
    this.#feeds.set(id, feed);
    return feed;
  }

  /** Runs `work` after what is already in the backlog (at once when that is nothing). */
  #later(work: () => void): void {
    this.#backlog.push(work);
    if (!this.#draining) this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#next < this.#backlog.length) {
        const until = performance.now() + SLICE_MS;
        while (this.#next < this.#backlog.length && performance.now() < until) {
          const work = this.#backlog[this.#next];
          this.#backlog[this.#next++] = noop;
          try {
            work();
          } catch (e) {
            this.#o.log.error("handling a copy event failed", { error: e });
          }
        }
        if (this.#next < this.#backlog.length) {
          await yieldToEventLoop();
        }
      }
    } finally {
      this.#backlog = [];
      this.#next = 0;
      this.#draining = false;
      for (const idle of this.#idle.splice(0)) idle();
    }
  }

  #stop(id: string, f: Feed): void {
    f.abort.abort();
    this.#feeds.delete(id);
  }

  /**
   * Lists the copies of `s` in `mailboxes`, handing each to `visit` unless a feed event
   * for it came while the list ran; returns those copies' keys (`mailbox|gr|key`). A
   * mailbox whose workspace or resource is not there yet has no copies.
   */
  async snapshot(
    s: CopySource,
    mailboxes: ReadonlySet<string>,
    visit: (mailbox: string, key: string, copy: KubeObject) => void,
  ): Promise<ReadonlySet<string>> {
    const w: Window = { id: sourceId(s), mailboxes, touched: new Set() };
    const gr = grOf(s);
    const take = (mb: string, o: KubeObject) => {
      const key = copyKeyOf(o);
      if (!w.touched.has(`${mb}|${gr}|${key}`)) visit(mb, key, o);
    };
    // Events received before the list is sent are handed on first, so the list is as new
    // as they are or newer; those received after are marked in the window.
    while (this.#draining) await new Promise<void>((r) => this.#idle.push(r));
    this.#windows.add(w);
    try {
      if (!s.perMailbox && mailboxes.size > (this.#o.perMailboxListsUpTo ?? PER_MAILBOX_LISTS)) {
        await this.#inWorkspace("*", sourceRef(s, false), (o) => {
          const mb = this.#o.mailboxOf(clusterOf(o));
          if (mb && mailboxes.has(mb)) take(mb, o);
        });
        return w.touched;
      }
      const list = [...mailboxes];
      for (let i = 0; i < list.length; i += PER_MAILBOX_LISTS) {
        await Promise.all(
          list.slice(i, i + PER_MAILBOX_LISTS).map((mb) =>
            this.#inWorkspace(`${this.#o.espwPath}:${mb}`, sourceRef(s, true), (o) => take(mb, o))
              .catch((e) => {
                if (!isNotFound(e) && !isForbidden(e)) throw e;
              })
          ),
        );
      }
      return w.touched;
    } finally {
      this.#windows.delete(w);
    }
  }

  async #inWorkspace(path: string, ref: ResourceRef, visit: (o: KubeObject) => void) {
    const client = this.#o.client.withCluster(path);
    try {
      let cont: string | undefined;
      do {
        const page = await client.list<KubeObject>(ref, {
          labelSelector: PROJECTED,
          limit: PAGE,
          continue: cont,
        });
        this.snapshots++;
        for (const o of page.items ?? []) visit(o);
        cont = page.metadata?.continue || undefined;
      } while (cont);
    } finally {
      client.close();
    }
  }

  /** Stops every feed. */
  stop(): void {
    for (const [id, f] of this.#feeds) this.#stop(id, f);
  }
}
