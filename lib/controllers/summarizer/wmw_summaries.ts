/**
 * The status summarizer's view of one workload management workspace: its
 * StatusSummarizers (compiled, each with its running `SummaryState`), the mailboxes its
 * EdgePlacements target and which placements target each, and its Namespaces' labels
 * (for `namespaceSelectors`). A mailbox copy counts for a summarizer when a placement
 * of this workspace that targets that mailbox selects the object (so another
 * workspace's copies never leak in) and one of the summarizer's `objects` clauses
 * matches it.
 *
 * Work per copy event: the placements targeting that one mailbox and the summarizers
 * naming that resource — never the other clusters or objects.
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import type { EdgePlacement } from "../../edge/api_types.ts";
import {
  type DownsyncTest,
  matchesDownsyncTest,
  matchesUpsyncClause,
  type ObjectRef,
} from "../../placement/what_match.ts";
import { grOf, type VersionedResource } from "./copy_watches.ts";
import type { ClusterInfo, CompiledSummarizer } from "./summarizer_spec.ts";
import { SummaryState } from "./summary_state.ts";

const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };

/** One StatusSummarizer and its running summary. */
export interface SummarizerEntry {
  name: string;
  uid: string;
  generation: number;
  compiled: CompiledSummarizer;
  state: SummaryState;
  /** The resources its clauses name, at the workspace's versions. */
  resources: VersionedResource[];
  /** Named resources the workspace does not serve. */
  missing: string[];
}

/** Reads the mailbox copies known so far. */
export type CopySource = (mailbox: string, gr: string) => KubeObject[];
/** The `cluster` binding of a mailbox (undefined when its destination is unknown). */
export type ClusterSource = (mailbox: string) => ClusterInfo | undefined;

function refOf(gr: string, copy: KubeObject): ObjectRef {
  const slash = gr.indexOf("/");
  return {
    group: gr.slice(0, slash),
    resource: gr.slice(slash + 1),
    namespace: copy.metadata?.namespace ?? "",
    name: copy.metadata?.name ?? "",
    labels: copy.metadata?.labels,
  };
}

/** One workspace's summarizers and placements. */
export class WmwSummaries {
  readonly cluster: string;
  readonly summarizers = new Map<string, SummarizerEntry>();
  /** Mailbox → the placements of this workspace that target it. */
  placementsAt = new Map<string, EdgePlacement[]>();
  /** Namespace name → labels (undefined until listed). */
  namespaceLabels: (ns: string) => Record<string, string> | undefined = () => undefined;
  /** Canonical JSON of the placements' what-parts, to notice when selection changes. */
  placementFingerprint = "";
  /** The (mailbox, resource) pairs it holds watches for: `mailbox|group/resource`. */
  readonly watched = new Set<string>();
  /** Contribution evaluations so far (tests count work with it). */
  evaluations = 0;

  constructor(cluster: string) {
    this.cluster = cluster;
  }

  /**
   * Watches the workspace's Namespaces (their labels serve `namespaceSelectors`);
   * `onChange` is told of every change after the first list, and once it is done.
   */
  watchNamespaces(base: RestClient, signal: AbortSignal, log: Logger, onChange: () => void): void {
    const client = base.withCluster(this.cluster);
    let synced = false;
    const changed = () => synced && onChange();
    const informer = new Informer(
      restListWatch(client, NAMESPACES),
      { onAdd: changed, onUpdate: changed, onDelete: changed },
      {
        keyOf: (o) => o.metadata?.name ?? "",
        onError: (e) =>
          log.debug("namespace watch failed; retrying", { cluster: this.cluster, error: e }),
      },
    );
    this.namespaceLabels = (ns) => informer.get(ns)?.metadata?.labels ?? {};
    informer.synced.then(() => {
      synced = true;
      onChange();
    });
    informer.run(signal).catch(() => {}).finally(() => client.close());
  }

  /** True when a placement of this workspace targeting `mailbox` selects the copy. */
  selected(mailbox: string, ref: ObjectRef): boolean {
    const nsLabels = ref.namespace ? this.namespaceLabels(ref.namespace) : undefined;
    return (this.placementsAt.get(mailbox) ?? []).some((ep) =>
      ((ep.spec?.downsync ?? []) as DownsyncTest[]).some((t) =>
        matchesDownsyncTest(ref, t, nsLabels)
      ) && !(ep.spec?.upsync ?? []).some((u) => matchesUpsyncClause(ref, u))
    );
  }

  #counts(e: SummarizerEntry, ref: ObjectRef): boolean {
    const nsLabels = ref.namespace ? this.namespaceLabels(ref.namespace) : undefined;
    return e.compiled.objects.some((t) => matchesDownsyncTest(ref, t as DownsyncTest, nsLabels));
  }

  /** Recomputes one copy for every summarizer naming its resource; returns those changed. */
  apply(
    mailbox: string,
    gr: string,
    key: string,
    copy: KubeObject | undefined,
    clusterOf: ClusterSource,
  ): SummarizerEntry[] {
    const changed: SummarizerEntry[] = [];
    const copyKey = `${mailbox}|${gr}|${key}`;
    let selected: boolean | undefined;
    for (const e of this.summarizers.values()) {
      if (!e.resources.some((r) => grOf(r) === gr)) continue;
      let contribution;
      if (copy) {
        const ref = refOf(gr, copy);
        selected ??= this.selected(mailbox, ref);
        const cluster = selected && this.#counts(e, ref) ? clusterOf(mailbox) : undefined;
        if (cluster) {
          this.evaluations++;
          contribution = e.compiled.contribution(copy, cluster);
        }
      }
      if (e.state.put(copyKey, mailbox, contribution)) changed.push(e);
    }
    return changed;
  }

  /** Recomputes every copy held in `mailbox` for `only` (default: every summarizer). */
  rebuildMailbox(
    mailbox: string,
    copies: CopySource,
    clusterOf: ClusterSource,
    only?: SummarizerEntry[],
  ): Set<SummarizerEntry> {
    const changed = new Set<SummarizerEntry>();
    const entries = only ?? [...this.summarizers.values()];
    const targeted = this.placementsAt.has(mailbox);
    for (const e of entries) {
      const seen = new Set<string>();
      for (const r of targeted ? e.resources : []) {
        const gr = grOf(r);
        for (const copy of copies(mailbox, gr)) {
          const ns = copy.metadata?.namespace;
          const key = ns ? `${ns}/${copy.metadata?.name}` : `${copy.metadata?.name}`;
          seen.add(`${mailbox}|${gr}|${key}`);
          const ref = refOf(gr, copy);
          const cluster = this.selected(mailbox, ref) && this.#counts(e, ref)
            ? clusterOf(mailbox)
            : undefined;
          if (cluster) this.evaluations++;
          const c = cluster ? e.compiled.contribution(copy, cluster) : undefined;
          if (e.state.put(`${mailbox}|${gr}|${key}`, mailbox, c)) changed.add(e);
        }
      }
      for (const k of e.state.keysIn(mailbox)) {
        if (!seen.has(k) && e.state.put(k, mailbox, undefined)) changed.add(e);
      }
    }
    return changed;
  }

  /** Every mailbox some summarizer holds a contribution from, or a placement targets. */
  knownMailboxes(): Set<string> {
    const out = new Set(this.placementsAt.keys());
    for (const e of this.summarizers.values()) {
      for (const k of e.state.keys()) out.add(k.slice(0, k.indexOf("|")));
    }
    return out;
  }
}
