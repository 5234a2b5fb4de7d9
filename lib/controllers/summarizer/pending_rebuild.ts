/**
 * Recomputing the (mailbox, summarizer) pairs a workspace marked pending, from copies
 * listed again (`CopyFeeds.snapshot`): the only place besides the copy events where
 * contributions are evaluated. One list per (resource, set of mailboxes), shared by
 * every pending summarizer reading that resource.
 *
 * @example
 * ```ts
 * wmw.pend(mailbox);
 * const changed = await flushPending(wmw, feeds, (mb) => clusters.infoOf(mb));
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import { groupResource } from "../placement/discovery.ts";
import { type CopySource, sourceId } from "./copy_source.ts";
import {
  type ClusterSource,
  refOf,
  type SummarizerEntry,
  type WmwSummaries,
} from "./wmw_summaries.ts";

/** Where a rebuild reads copies from (`CopyFeeds`). */
export interface CopyReader {
  /** True once the feed of `mailbox`'s copies of `s` reported its first list. */
  listed(s: CopySource, mailbox: string): boolean;
  /** Lists copies, skipping those a feed reported meanwhile (returned). */
  snapshot(
    s: CopySource,
    mailboxes: ReadonlySet<string>,
    visit: (mailbox: string, key: string, copy: KubeObject) => void,
  ): Promise<ReadonlySet<string>>;
}

/**
 * Recomputes what `wmw` has pending: a mailbox no placement targets any more loses its
 * copies; a targeted one is listed again, per resource, except where the feed has not
 * listed yet (its first list reports every copy anyway). Returns the summarizers whose
 * summary may have changed. On failure what was pending stays pending.
 */
export async function flushPending(
  wmw: WmwSummaries,
  reader: CopyReader,
  clusterOf: ClusterSource,
): Promise<Set<SummarizerEntry>> {
  const work = new Map(wmw.pending);
  wmw.pending.clear();
  const changed = new Set<SummarizerEntry>();
  try {
    const bySource = new Map<string, { s: CopySource; at: Map<string, SummarizerEntry[]> }>();
    for (const [mb, names] of work) {
      const entries = names === "all"
        ? [...wmw.summarizers.values()]
        : [...names].flatMap((n) => wmw.summarizers.get(n) ?? []);
      wmw.rebuilds += entries.length;
      const targeted = wmw.placementsAt.has(mb);
      for (const e of entries) {
        if (!targeted) {
          for (const k of e.state.keysIn(mb)) if (e.state.put(k, mb, undefined)) changed.add(e);
          continue;
        }
        for (const s of e.resources) {
          if (!reader.listed(s, mb)) continue;
          const id = sourceId(s);
          let g = bySource.get(id);
          if (!g) bySource.set(id, g = { s, at: new Map() });
          g.at.set(mb, [...(g.at.get(mb) ?? []), e]);
        }
      }
    }
    for (const { s, at } of bySource.values()) {
      const gr = groupResource(s.group, s.resource);
      const seen = new Set<string>();
      const touched = await reader.snapshot(s, new Set(at.keys()), (mb, key, copy) => {
        const copyKey = `${mb}|${gr}|${key}`;
        seen.add(copyKey);
        const ref = refOf(gr, copy);
        const selected = wmw.selected(mb, ref);
        for (const e of at.get(mb) ?? []) {
          const c = wmw.evaluate(e, mb, ref, copy, selected, clusterOf);
          if (e.state.put(copyKey, mb, c)) changed.add(e);
        }
      });
      for (const [mb, entries] of at) {
        for (const e of entries) {
          for (const k of e.state.keysIn(mb)) {
            if (!k.startsWith(`${mb}|${gr}|`) || seen.has(k) || touched.has(k)) continue;
            if (e.state.put(k, mb, undefined)) changed.add(e);
          }
        }
      }
    }
  } catch (err) {
    for (const [mb, names] of work) wmw.pend(mb, names === "all" ? undefined : names);
    throw err;
  }
  return changed;
}
