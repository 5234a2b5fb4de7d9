/**
 * The count of mailboxes whose workspace is Ready and whose `bind-edge` APIBinding is
 * Bound, kept up to date by two watches (the ESPW's Workspaces, every workspace's
 * `bind-edge`): listed once, then followed event by event.
 *
 * Why not a list every couple of seconds: at 10,000 mailboxes each such poll made
 * kcp-lite list 10,000 Workspaces and 10,000 APIBindings (about 10 KiB each: the status
 * names every bound schema), which took a third of kcp-lite's CPU during the very
 * figure being measured and made it vary by a factor of two from run to run.
 *
 * @module
 */
import { keptMetadata } from "../lib/controller/cached_form.ts";
import { Informer } from "../lib/controller/informer.ts";
import type { KubeObject } from "../lib/controller/list_watch.ts";
import { restListWatch } from "../lib/controller/rest_list_watch.ts";
import type { RestClient } from "../lib/kube/rest_client.ts";
import { API_BINDINGS, WORKSPACES } from "../tests/support/edge_fixtures.ts";

const phaseOf = (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase;

/** Keeps only the key, the phase and (Workspaces) the logical cluster. */
function slim(o: KubeObject): KubeObject {
  const spec = o.spec as { cluster?: string } | undefined;
  return {
    metadata: keptMetadata(o),
    spec: spec?.cluster ? { cluster: spec.cluster } : undefined,
    status: { phase: phaseOf(o) },
  };
}

/** Ready, bound mailboxes, watched. */
export class MailboxReadiness {
  readonly #workspaces: Informer<KubeObject>;
  readonly #bindings: Informer<KubeObject>;
  readonly #abort = new AbortController();

  private constructor(espw: RestClient, wildcard: RestClient) {
    this.#workspaces = new Informer(restListWatch(espw, WORKSPACES), {}, { cachedForm: slim });
    this.#bindings = new Informer(
      restListWatch(wildcard, API_BINDINGS, { fieldSelector: "metadata.name=bind-edge" }),
      {},
      { cachedForm: slim },
    );
  }

  /** Starts both watches; resolves once both have listed. */
  static async start(espw: RestClient, wildcard: RestClient): Promise<MailboxReadiness> {
    const r = new MailboxReadiness(espw, wildcard);
    for (const informer of [r.#workspaces, r.#bindings]) {
      informer.run(r.#abort.signal).catch(() => {});
    }
    await Promise.all([r.#workspaces.synced, r.#bindings.synced]);
    return r;
  }

  /** Mailboxes Ready and bound now. */
  count(): number {
    const bound = new Set<string>();
    for (const b of this.#bindings.list()) {
      const cluster = b.metadata?.annotations?.["kcp.io/cluster"];
      if (cluster && phaseOf(b) === "Bound") bound.add(cluster);
    }
    let n = 0;
    for (const w of this.#workspaces.list()) {
      const cluster = (w.spec as { cluster?: string } | undefined)?.cluster;
      if (w.metadata?.name?.includes("-mb-") && phaseOf(w) === "Ready" && cluster) {
        if (bound.has(cluster)) n++;
      }
    }
    return n;
  }

  /** Resolves once `n` mailboxes are Ready and bound (looked at every `everyMs`). */
  async until(n: number, timeoutMs: number, everyMs = 100): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.count() < n) {
      if (performance.now() > deadline) {
        throw new Error(`${n} Ready mailboxes: only ${this.count()} after ${timeoutMs / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  stop(): void {
    this.#abort.abort();
  }
}
