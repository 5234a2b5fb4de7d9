/**
 * Reported state for placements with `wantSingletonReportedState` (controllers-spec
 * §4.7), one workload object at a time: the object in its workspace carries
 * `kubestellar.io/executing-count` = the number of mailboxes it goes to, and when that
 * is exactly one, its `.status` mirrors the mailbox copy's (which the syncer keeps
 * current). The mailbox copies involved are watched (one informer per mailbox and
 * resource, shared, keyed by namespace/name), so a status change there is copied back
 * without polling, and only the object whose copy changed is looked at again.
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { EDGE_KEYS } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import { isNotFound } from "../../kube/rest_errors.ts";
import type { Logger } from "../../log/logger.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import { partKey } from "./compiled_placement.ts";
import { sameJson } from "./projected_form.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";

/** One workload object whose state is reported. */
export interface SingletonObject {
  info: ApiResourceInfo;
  namespace: string;
  name: string;
  source: KubeObject;
  /** Mailbox workspace names it goes to. */
  mailboxes: string[];
}

interface CopyWatch {
  info: ApiResourceInfo;
  informer: Informer;
  abort: AbortController;
  /** Part key → workspaces whose object of that key reads this watch. */
  users: Map<string, Set<string>>;
}

const nsNameKey = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata?.name}`;

/** Maintains executing counts and copies status back. */
export class SingletonState {
  readonly #base: RestClient;
  readonly #mailboxPath: (mailbox: string) => string;
  readonly #onCopyChange: (wmw: string, key: string) => void;
  readonly #log: Logger;
  readonly #watches = new Map<string, CopyWatch>();
  /** `<wmw>\n<part key>` → the watch it reads. */
  readonly #using = new Map<string, { watch: string; wmw: string; key: string }>();

  constructor(
    base: RestClient,
    mailboxPath: (mailbox: string) => string,
    onCopyChange: (wmw: string, key: string) => void,
    log: Logger,
  ) {
    this.#base = base;
    this.#mailboxPath = mailboxPath;
    this.#onCopyChange = onCopyChange;
    this.#log = log;
  }

  /**
   * Converges object `key` of workspace `wmw` (`o` undefined: no placement wants its
   * state any more); throws when a write failed.
   */
  async reconcile(wmw: string, key: string, o: SingletonObject | undefined): Promise<void> {
    const user = `${wmw}\n${key}`;
    if (!o) return this.#release(user);
    const client = this.#base.withCluster(wmw);
    const ref = {
      group: o.info.group,
      version: o.info.version,
      resource: o.info.resource,
      namespace: o.namespace || undefined,
      name: o.name,
    };
    try {
      const count = String(o.mailboxes.length);
      if (o.source.metadata?.annotations?.[EDGE_KEYS.executingCount] !== count) {
        await client.patch(
          ref,
          { metadata: { annotations: { [EDGE_KEYS.executingCount]: count } } },
          "merge",
        );
      }
      if (o.mailboxes.length !== 1) return this.#release(user);
      const informer = this.#watchCopy(user, wmw, key, o.mailboxes[0], o.info);
      const found = informer.get(o.namespace ? `${o.namespace}/${o.name}` : o.name);
      if (!found || found.status === undefined || sameJson(found.status, o.source.status)) return;
      const status = { ...(found.status as Record<string, unknown>) };
      for (const k of Object.keys((o.source.status as Record<string, unknown>) ?? {})) {
        if (!(k in status)) status[k] = null;
      }
      await client.patchStatus(ref, { status }, "merge");
      this.#log.debug("copied reported state", {
        workspace: wmw,
        object: `${o.namespace}/${o.name}`,
      });
    } catch (e) {
      if (!isNotFound(e)) throw e; // a deleted object is seen again by its own event
    } finally {
      client.close();
    }
  }

  #release(user: string): void {
    const use = this.#using.get(user);
    if (use === undefined) return;
    this.#using.delete(user);
    const w = this.#watches.get(use.watch);
    const wmws = w?.users.get(use.key);
    wmws?.delete(use.wmw);
    if (wmws?.size === 0) w!.users.delete(use.key);
    if (w && w.users.size === 0) {
      w.abort.abort();
      this.#watches.delete(use.watch);
    }
  }

  #watchCopy(
    user: string,
    wmw: string,
    part: string,
    mailbox: string,
    info: ApiResourceInfo,
  ): Informer {
    const key = `${mailbox}|${info.group}/${info.version}/${info.resource}`;
    if (this.#using.get(user)?.watch !== key) this.#release(user);
    let w = this.#watches.get(key);
    if (!w) {
      const client = this.#base.withCluster(this.#mailboxPath(mailbox));
      const abort = new AbortController();
      const notify = (copy: KubeObject) => {
        const k = partKey(info, copy.metadata?.namespace ?? "", copy.metadata?.name ?? "");
        for (const x of w!.users.get(k) ?? []) this.#onCopyChange(x, k);
      };
      const informer = new Informer(
        restListWatch(
          client,
          { group: info.group, version: info.version, resource: info.resource },
          { labelSelector: `${EDGE_KEYS.projected}=yes` },
        ),
        { onAdd: notify, onUpdate: (_o, n) => notify(n), onDelete: notify },
        {
          keyOf: nsNameKey,
          onError: (e) => this.#log.debug("mailbox watch failed; retrying", { mailbox, error: e }),
        },
      );
      w = { info, informer, abort, users: new Map() };
      this.#watches.set(key, w);
      informer.run(abort.signal).catch(() => {}).finally(() => client.close());
    }
    let wmws = w.users.get(part);
    if (!wmws) w.users.set(part, wmws = new Set());
    wmws.add(wmw);
    this.#using.set(user, { watch: key, wmw, key: part });
    return w.informer;
  }

  /** Stops every watch. */
  stop(): void {
    for (const w of this.#watches.values()) w.abort.abort();
    this.#watches.clear();
    this.#using.clear();
  }
}
