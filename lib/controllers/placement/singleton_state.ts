/**
 * Reported state for placements with `wantSingletonReportedState` (controllers-spec
 * §4.7): the workload object in its workspace carries `kubestellar.io/executing-count`
 * = the number of mailboxes it goes to, and when that is exactly one, its `.status`
 * mirrors the mailbox copy's (which the syncer keeps current). The mailbox copies
 * involved are watched, so a status change there is copied back without polling.
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
  informer: Informer;
  abort: AbortController;
  wmws: Set<string>;
}

/** Maintains executing counts and copies status back. */
export class SingletonState {
  readonly #base: RestClient;
  readonly #mailboxPath: (mailbox: string) => string;
  readonly #onCopyChange: (wmw: string) => void;
  readonly #log: Logger;
  readonly #watches = new Map<string, CopyWatch>();

  constructor(
    base: RestClient,
    mailboxPath: (mailbox: string) => string,
    onCopyChange: (wmw: string) => void,
    log: Logger,
  ) {
    this.#base = base;
    this.#mailboxPath = mailboxPath;
    this.#onCopyChange = onCopyChange;
    this.#log = log;
  }

  /** Converges the objects of workspace `wmw`; throws when a write failed. */
  async reconcile(wmw: string, objects: SingletonObject[]): Promise<void> {
    const client = this.#base.withCluster(wmw);
    const needed = new Set<string>();
    const errors: unknown[] = [];
    try {
      for (const o of objects) {
        try {
          await this.#one(client, wmw, o, needed);
        } catch (e) {
          if (!isNotFound(e)) errors.push(e);
        }
      }
    } finally {
      client.close();
    }
    for (const [key, w] of this.#watches) {
      if (needed.has(key)) continue;
      w.wmws.delete(wmw);
      if (w.wmws.size === 0) {
        w.abort.abort();
        this.#watches.delete(key);
      }
    }
    if (errors.length > 0) {
      throw new Error(
        `reported state in ${wmw}: ${errors[0] instanceof Error ? errors[0].message : errors[0]}`,
      );
    }
  }

  async #one(
    client: RestClient,
    wmw: string,
    o: SingletonObject,
    needed: Set<string>,
  ): Promise<void> {
    const ref = {
      group: o.info.group,
      version: o.info.version,
      resource: o.info.resource,
      namespace: o.namespace || undefined,
      name: o.name,
    };
    const count = String(o.mailboxes.length);
    if (o.source.metadata?.annotations?.[EDGE_KEYS.executingCount] !== count) {
      await client.patch(
        ref,
        { metadata: { annotations: { [EDGE_KEYS.executingCount]: count } } },
        "merge",
      );
    }
    if (o.mailboxes.length !== 1) return;
    const informer = this.#watchCopy(wmw, o.mailboxes[0], o.info, needed);
    const found = informer.list().find((c) =>
      c.metadata?.name === o.name && (c.metadata?.namespace ?? "") === o.namespace
    );
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
  }

  #watchKey(mailbox: string, info: ApiResourceInfo): string {
    return `${mailbox}|${info.group}/${info.version}/${info.resource}`;
  }

  #watchCopy(wmw: string, mailbox: string, info: ApiResourceInfo, needed: Set<string>): Informer {
    const key = this.#watchKey(mailbox, info);
    needed.add(key);
    let w = this.#watches.get(key);
    if (!w) {
      const client = this.#base.withCluster(this.#mailboxPath(mailbox));
      const abort = new AbortController();
      const notify = () => {
        for (const x of w!.wmws) this.#onCopyChange(x);
      };
      const informer = new Informer(
        restListWatch(
          client,
          { group: info.group, version: info.version, resource: info.resource },
          {
            labelSelector: `${EDGE_KEYS.projected}=yes`,
          },
        ),
        { onAdd: notify, onUpdate: notify, onDelete: notify },
        {
          onError: (e) => this.#log.debug("mailbox watch failed; retrying", { mailbox, error: e }),
        },
      );
      w = { informer, abort, wmws: new Set() };
      this.#watches.set(key, w);
      informer.run(abort.signal).catch(() => {}).finally(() => client.close());
    }
    w.wmws.add(wmw);
    return w.informer;
  }

  /** Stops every watch. */
  stop(): void {
    for (const w of this.#watches.values()) w.abort.abort();
    this.#watches.clear();
  }
}
