/**
 * Which mailbox a copy seen through the `/clusters/*` wildcard is in: copies carry only
 * their logical cluster id (`kcp.io/cluster`), and the mailbox Workspaces in the ESPW
 * say which id each mailbox has (`spec.cluster`). One informer on the ESPW's Workspaces,
 * caching names and ids only; `onMailbox` is told when a mailbox gets (or changes, or
 * loses) its id, since copy events for it could not be placed before.
 *
 * @example
 * ```ts
 * const ids = new MailboxIds(client, "root:espw", (mb) => recheck(mb), log);
 * ids.run(signal);
 * ids.mailboxOf("2x8zq1"); // "k3x…-mb-0f1e…"
 * ```
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { parseMailboxName } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import { WORKSPACES } from "../../workspace/workspace_object.ts";

type Ws = KubeObject & { spec?: { cluster?: string } };

/** Mailbox name ↔ logical cluster id. */
export class MailboxIds {
  readonly informer: Informer<Ws>;
  readonly #byId = new Map<string, string>();
  readonly #byName = new Map<string, string>();
  readonly #onMailbox: (mailbox: string) => void;
  readonly #espw: RestClient;

  constructor(
    client: RestClient,
    espwPath: string,
    onMailbox: (mailbox: string) => void,
    log: Logger,
  ) {
    this.#onMailbox = onMailbox;
    this.#espw = client.withCluster(espwPath);
    this.informer = new Informer<Ws>(
      restListWatch<Ws>(this.#espw, WORKSPACES),
      {
        onAdd: (ws) => this.#seen(ws, false),
        onUpdate: (_old, ws) => this.#seen(ws, false),
        onDelete: (ws) => this.#seen(ws, true),
      },
      {
        keyOf: (o) => o.metadata?.name ?? "",
        cachedForm: (o) => ({
          metadata: { name: o.metadata?.name, resourceVersion: o.metadata?.resourceVersion },
          spec: { cluster: (o as Ws).spec?.cluster },
        }),
        onError: (e) => log.warn("watch failed; retrying", { resource: "workspaces", error: e }),
      },
    );
  }

  /** Watches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      await this.informer.run(signal);
    } finally {
      this.#espw.close();
    }
  }

  /** The mailbox whose workspace is logical cluster `id`. */
  mailboxOf(id: string): string | undefined {
    return this.#byId.get(id);
  }

  #seen(ws: Ws, gone: boolean): void {
    const name = ws.metadata?.name ?? "";
    if (!parseMailboxName(name)) return;
    const id = gone ? undefined : ws.spec?.cluster || undefined;
    const before = this.#byName.get(name);
    if (before === id) return;
    if (before !== undefined) this.#byId.delete(before);
    if (id === undefined) this.#byName.delete(name);
    else {
      this.#byName.set(name, id);
      this.#byId.set(id, name);
    }
    this.#onMailbox(name);
  }
}
