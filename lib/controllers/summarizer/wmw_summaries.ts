/**
 * The status summarizer's view of one workload management workspace: its
 * StatusSummarizers (compiled, each with its running `SummaryState`), the mailboxes its
 * EdgePlacements target and which placements target each, and its Namespaces' labels
 * (for `namespaceSelectors`). A mailbox copy counts for a summarizer when a placement
 * of this workspace that targets that mailbox selects the object (so another
 * workspace's copies never leak in) and one of the summarizer's `objects` clauses
 * matches it.
 *
 * Work per copy event (`apply`): the placements targeting that one mailbox and the
 * summarizers naming that resource — never the other clusters or objects. When
 * membership changes (a mailbox joins or leaves, a summarizer is new, selection or a
 * cluster's labels changed) the (mailbox, summarizer) pairs concerned are marked
 * pending and `flush` recomputes them from listed copies; the copies themselves are
 * never kept, only what each contributes.
 *
 * @module
 */
import { Informer } from "../../controller/informer.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";
import {
  type EdgePlacement,
  mailboxName,
  type SinglePlacement,
  type StatusSummarizer,
} from "../../edge/api_types.ts";
import {
  type DownsyncTest,
  matchesDownsyncTest,
  matchesUpsyncClause,
  type ObjectRef,
} from "../../placement/what_match.ts";
import { groupResource } from "../placement/discovery.ts";
import { canonicalJson, sameJson } from "../placement/projected_form.ts";
import { type CopySource, sourceId } from "./copy_source.ts";
import { type ClusterInfo, type CompiledSummarizer, compileSummarizer } from "./summarizer_spec.ts";
import { SummaryState } from "./summary_state.ts";

const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };

/** One StatusSummarizer and its running summary. */
export interface SummarizerEntry {
  name: string;
  uid: string;
  generation: number;
  compiled: CompiledSummarizer;
  state: SummaryState;
  /** The resources its clauses name, at the workspace's versions, as copy sources. */
  resources: CopySource[];
  /** Their `sourceId`s. */
  sources: Set<string>;
  /** Named resources the workspace does not serve. */
  missing: string[];
  /** False until its first recomputation is done (its summary would be partial). */
  initialized: boolean;
}

/** The `cluster` binding of a mailbox (undefined when its destination is unknown). */
export type ClusterSource = (mailbox: string) => ClusterInfo | undefined;

export function refOf(gr: string, copy: KubeObject): ObjectRef {
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
  #placementFingerprint = "";
  #placements: EdgePlacement[] = [];
  /** A namespace or its labels changed since placements were last taken. */
  namespacesChanged = false;
  /** The copy feeds it uses (`CopyFeeds.reconcileOwner`'s record). */
  readonly feeds = new Set<string>();
  /** Mailbox → the summarizers (names, or all) whose copies there need recomputing. */
  readonly pending = new Map<string, Set<string> | "all">();
  /** Contribution evaluations so far (tests count work with it). */
  evaluations = 0;
  /** (mailbox, summarizer) pairs recomputed from listed copies (tests count work with it). */
  rebuilds = 0;

  constructor(cluster: string) {
    this.cluster = cluster;
  }

  /**
   * Watches the workspace's Namespaces (their labels serve `namespaceSelectors`). When
   * a placement or summarizer clause uses `namespaceSelectors`, a namespace change after
   * the first list, and the first list itself, set `namespacesChanged` and call
   * `onChange`.
   */
  watchNamespaces(base: RestClient, signal: AbortSignal, log: Logger, onChange: () => void): void {
    const client = base.withCluster(this.cluster);
    let synced = false;
    const changed = () => {
      if (!synced || !this.#usesNamespaceSelectors()) return;
      this.namespacesChanged = true;
      onChange();
    };
    const informer = new Informer(
      restListWatch(client, NAMESPACES),
      {
        onAdd: changed,
        onUpdate: (a, b) =>
          !sameJson(a.metadata?.labels ?? {}, b.metadata?.labels ?? {}) && changed(),
        onDelete: changed,
      },
      {
        keyOf: (o) => o.metadata?.name ?? "",
        cachedForm: (o) => ({
          metadata: {
            name: o.metadata?.name,
            resourceVersion: o.metadata?.resourceVersion,
            labels: o.metadata?.labels,
          },
        }),
        onError: (e) =>
          log.debug("namespace watch failed; retrying", { cluster: this.cluster, error: e }),
      },
    );
    this.namespaceLabels = (ns) => informer.get(ns)?.metadata?.labels ?? {};
    informer.synced.then(() => {
      synced = true;
      changed();
    });
    informer.run(signal).catch(() => {}).finally(() => client.close());
  }

  #usesNamespaceSelectors(): boolean {
    const uses = (tests: DownsyncTest[] | undefined) =>
      (tests ?? []).some((t) => (t.namespaceSelectors?.length ?? 0) > 0);
    if (this.#placements.some((ep) => uses(ep.spec?.downsync as DownsyncTest[] | undefined))) {
      return true;
    }
    return [...this.summarizers.values()].some((e) => uses(e.compiled.objects as DownsyncTest[]));
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

  /** The contribution of `copy` to `e` (undefined: it does not count). */
  evaluate(
    e: SummarizerEntry,
    mailbox: string,
    ref: ObjectRef,
    copy: KubeObject,
    selected: boolean,
    clusterOf: ClusterSource,
  ) {
    const cluster = selected && this.#counts(e, ref) ? clusterOf(mailbox) : undefined;
    if (!cluster) return undefined;
    this.evaluations++;
    return e.compiled.contribution(copy, cluster);
  }

  /** Recomputes one copy for every summarizer naming its source; returns those changed. */
  apply(
    mailbox: string,
    source: CopySource,
    key: string,
    copy: KubeObject | undefined,
    clusterOf: ClusterSource,
  ): SummarizerEntry[] {
    const changed: SummarizerEntry[] = [];
    const gr = groupResource(source.group, source.resource);
    const id = sourceId(source);
    const copyKey = `${mailbox}|${gr}|${key}`;
    const ref = copy && refOf(gr, copy);
    let selected: boolean | undefined;
    for (const e of this.summarizers.values()) {
      if (!e.sources.has(id)) continue;
      let contribution;
      if (copy && ref) {
        selected ??= this.selected(mailbox, ref);
        contribution = this.evaluate(e, mailbox, ref, copy, selected, clusterOf);
      }
      if (e.state.put(copyKey, mailbox, contribution)) changed.push(e);
    }
    return changed;
  }

  /** Asks for `mailbox`'s copies to be recomputed for `names` (default: every summarizer). */
  pend(mailbox: string, names?: Iterable<string>): void {
    const had = this.pending.get(mailbox);
    if (had === "all") return;
    if (!names) return void this.pending.set(mailbox, "all");
    const set = had ?? new Set<string>();
    for (const n of names) set.add(n);
    this.pending.set(mailbox, set);
  }

  /**
   * Takes the workspace's placements and where each sends its objects (`record` is told
   * each destination's mailbox); returns the mailboxes targeted before, and whether the
   * placements' selection (or a namespace's labels) changed.
   */
  setPlacements(
    placements: EdgePlacement[],
    destinationsOf: (p: EdgePlacement) => SinglePlacement[],
    record: (mailbox: string, d: SinglePlacement) => void,
  ): { before: Set<string>; selectionChanged: boolean } {
    const placementsAt = new Map<string, EdgePlacement[]>();
    for (const p of placements) {
      for (const d of destinationsOf(p)) {
        const mb = mailboxName(d.cluster, d.syncTargetUID);
        record(mb, d);
        placementsAt.set(mb, [...(placementsAt.get(mb) ?? []), p]);
      }
    }
    const fingerprint = canonicalJson(
      placements.map((p) => [p.metadata?.name, p.spec?.downsync, p.spec?.upsync]),
    );
    const before = new Set(this.placementsAt.keys());
    const selectionChanged = fingerprint !== this.#placementFingerprint || this.namespacesChanged;
    this.namespacesChanged = false;
    this.placementsAt = placementsAt;
    this.#placements = placements;
    this.#placementFingerprint = fingerprint;
    return { before, selectionChanged };
  }

  /**
   * Takes the workspace's StatusSummarizers: keeps the entries whose spec and resources
   * are unchanged, makes fresh ones (empty state) for the others; returns the names of
   * the fresh ones and whether some named resource is not served.
   */
  async setSummarizers(
    summarizers: (StatusSummarizer & KubeObject)[],
    resolve: (objects: CompiledSummarizer["objects"]) => Promise<{
      resources: CopySource[];
      missing: string[];
    }>,
  ): Promise<{ fresh: string[]; missingAny: boolean }> {
    for (const name of [...this.summarizers.keys()]) {
      if (!summarizers.some((s) => s.metadata?.name === name)) this.summarizers.delete(name);
    }
    const fresh: string[] = [];
    let missingAny = false;
    for (const s of summarizers) {
      const name = s.metadata?.name ?? "";
      const uid = s.metadata?.uid ?? "";
      const had = this.summarizers.get(name);
      const sameSpec = had?.uid === uid && had.compiled.fingerprint === canonicalJson(s.spec ?? {});
      const compiled = sameSpec ? had!.compiled : compileSummarizer(s.spec);
      const { resources, missing } = await resolve(compiled.objects);
      missingAny ||= missing.length > 0;
      const generation = s.metadata?.generation ?? 0;
      if (had && sameSpec && canonicalJson(had.resources) === canonicalJson(resources)) {
        had.generation = generation;
        had.missing = missing;
        continue;
      }
      const state = new SummaryState(compiled.combined);
      const sources = new Set(resources.map(sourceId));
      this.summarizers.set(name, {
        name,
        uid,
        generation,
        compiled,
        state,
        resources,
        sources,
        missing,
        initialized: false,
      });
      fresh.push(name);
    }
    return { fresh, missingAny };
  }

  /** The copy sources its summarizers read. */
  sources(): CopySource[] {
    const out = new Map<string, CopySource>();
    for (const e of this.summarizers.values()) for (const r of e.resources) out.set(sourceId(r), r);
    return [...out.values()];
  }

  /** Marks pending what a membership change affects (everything when selection changed). */
  pendMembership(before: Set<string>, selectionChanged: boolean, fresh: string[]): void {
    if (selectionChanged) {
      for (const mb of new Set([...before, ...this.knownMailboxes()])) this.pend(mb);
      return;
    }
    if (fresh.length > 0) { for (const mb of this.placementsAt.keys()) this.pend(mb, fresh); }
    for (const mb of before) if (!this.placementsAt.has(mb)) this.pend(mb);
    for (const mb of this.placementsAt.keys()) if (!before.has(mb)) this.pend(mb);
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
